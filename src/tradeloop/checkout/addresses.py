"""The buyer's address book: at most MAX_ADDRESSES addresses, exactly one of them the default.

A member of a company also delivers to the company's addresses. Checkout reads them from orders' buyer context
(`orders.policies.buyer_context(...).addresses`, which b2b answers), never from b2b itself: `company_addresses`.
`delivery_address` turns the buyer's choice — one of their own addresses or one of the company's — into the
snapshot an order keeps (`Address.snapshot()`'s shape).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.checkout.models import Address
from tradeloop.core.errors import NotAuthenticated, NotFound, ValidationFailed
from tradeloop.core.models import PostalAddress
from tradeloop.orders.models import Order
from tradeloop.orders.policies import BuyerContext

MAX_ADDRESSES = 20


# ---------- address book ----------

ADDRESS_FIELDS = PostalAddress.SNAPSHOT_FIELDS
ADDRESS_LIMITS = {"name": 120, "phone": 40, "line1": 240, "line2": 240, "city": 80, "region": 80, "postcode": 20}
REQUIRED_ADDRESS_FIELDS = PostalAddress.REQUIRED_FIELDS


def _clean_address(data: dict) -> dict:
    unknown = set(data) - {*ADDRESS_FIELDS, "is_default"}
    if unknown:
        raise ValidationFailed(f"unknown field {sorted(unknown)[0]!r}", field=sorted(unknown)[0])
    out = {}
    for name in ADDRESS_FIELDS:
        if name not in data:
            continue
        value = str(data[name] or "").strip()
        if name == "country":
            value = value.upper() or "CN"
            if len(value) != 2 or not value.isalpha():
                raise ValidationFailed(gettext("Use a two-letter country code, e.g. CN."), field="country")
        elif len(value) > ADDRESS_LIMITS[name]:
            raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": ADDRESS_LIMITS[name]}, field=name)
        if name in REQUIRED_ADDRESS_FIELDS and not value:
            raise ValidationFailed(gettext("This field is required."), field=name)
        out[name] = value
    return out


def require_signed_in(user: User) -> None:
    if not getattr(user, "is_authenticated", False):
        raise NotAuthenticated(gettext("Sign in first."))


@transaction.atomic
def save_address(*, actor: User, data: dict, address_id: int | None = None) -> Address:
    """Add an address (the first one becomes the default) or edit one of the actor's addresses."""
    require_signed_in(actor)
    if address_id is None:
        missing = [f for f in REQUIRED_ADDRESS_FIELDS if f not in data]
        if missing:
            raise ValidationFailed(gettext("This field is required."), field=missing[0])
        if actor.addresses.count() >= MAX_ADDRESSES:
            raise ValidationFailed(gettext("Your address book is full."), field="address")
        address = Address(user=actor)
    else:
        address = own_address(actor, address_id)
    for name, value in _clean_address(data).items():
        setattr(address, name, value)
    first = not actor.addresses.exclude(pk=address.pk).exists()
    address.is_default = first or bool(data.get("is_default", address.is_default))
    address.save()
    if address.is_default:
        actor.addresses.exclude(pk=address.pk).update(is_default=False)
    return address


def own_address(actor: User, address_id) -> Address:
    address = Address.objects.filter(pk=address_id if str(address_id).isdigit() else None, user=actor).first()
    if address is None:
        raise NotFound(gettext("Address not found."), field="address")
    return address


@transaction.atomic
def set_default_address(*, actor: User, address_id: int) -> Address:
    require_signed_in(actor)
    address = own_address(actor, address_id)
    actor.addresses.exclude(pk=address.pk).update(is_default=False)
    Address.objects.filter(pk=address.pk).update(is_default=True)
    address.is_default = True
    return address


@transaction.atomic
def delete_address(*, actor: User, address_id: int) -> None:
    require_signed_in(actor)
    address = own_address(actor, address_id)
    address.delete()
    if address.is_default and (other := actor.addresses.order_by("id").first()):
        set_default_address(actor=actor, address_id=other.pk)


# ---------- the company's delivery addresses (through orders' buyer context) ----------

COMPANY_CHOICE = "company-"  # the checkout form's value for a company address: "company-<id>"


@dataclass(frozen=True)
class CompanyDeliveryAddress:
    """One delivery address of the company the buyer buys for, as the buyer context gives it."""

    id: int
    company: str  # the company's name
    label: str
    is_default: bool
    name: str
    phone: str
    line1: str
    line2: str
    city: str
    region: str
    postcode: str
    country: str

    @property
    def choice(self) -> str:
        return f"{COMPANY_CHOICE}{self.id}"

    def snapshot(self) -> dict:
        return {f: getattr(self, f) for f in ADDRESS_FIELDS}


def company_addresses(contexts: Iterable[BuyerContext]) -> list[CompanyDeliveryAddress]:
    """The delivery addresses of the company the buyer buys for (the first B2B context's; default first); [] for a
    consumer. No queries: the contexts carry them."""
    for context in contexts:
        if context.mode == Order.Mode.B2B and context.buyer_org is not None:
            company = context.buyer_org.name
            found = [
                CompanyDeliveryAddress(
                    id=int(a["id"]),
                    company=company,
                    label=a.get("label") or "",
                    is_default=bool(a.get("is_default")),
                    **{f: a.get(f) or "" for f in ADDRESS_FIELDS},
                )
                for a in context.addresses
            ]
            return sorted(found, key=lambda a: (not a.is_default, a.id))
    return []


def company_address(found: list[CompanyDeliveryAddress], address_id) -> CompanyDeliveryAddress:
    """One of `found` (the buyer's company's); any other id — another company's included — is not found."""
    chosen = next((a for a in found if str(a.id) == str(address_id)), None)
    if chosen is None:
        raise NotFound(gettext("Address not found."), field="company_address_id")
    return chosen


def delivery_address(
    actor: User, contexts: Iterable[BuyerContext], *, address_id=None, company_address_id=None
) -> dict:
    """Where the orders go: exactly one of the actor's own addresses (`address_id`) or their company's
    (`company_address_id`), as the order's snapshot. Another person's or company's address: NotFound."""
    given = [v for v in (address_id, company_address_id) if v not in (None, "")]
    if len(given) != 1:
        message = (
            gettext("Choose one delivery address: address_id or company_address_id, not both.")
            if given
            else gettext("Choose a delivery address.")
        )
        raise ValidationFailed(message, field="address_id")
    if company_address_id not in (None, ""):
        return company_address(company_addresses(contexts), company_address_id).snapshot()
    return own_address(actor, address_id).snapshot()


def preselect(
    own: list[Address], company: list[CompanyDeliveryAddress], wanted: str = ""
) -> Address | CompanyDeliveryAddress | None:
    """The address the checkout page starts with: the one asked for, else the buyer's default, else the company's
    default, else the first there is."""
    wanted = str(wanted or "")
    for address in own:
        if str(address.pk) == wanted:
            return address
    for address in company:
        if address.choice == wanted:
            return address
    first = [a for a in own if a.is_default] + [a for a in company if a.is_default] + own + company
    return first[0] if first else None
