"""The buyer's address book: at most MAX_ADDRESSES addresses, exactly one of them the default."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.checkout.models import Address
from tradeloop.core.errors import NotAuthenticated, NotFound, ValidationFailed

MAX_ADDRESSES = 20


# ---------- address book ----------

ADDRESS_FIELDS = ("name", "phone", "line1", "line2", "city", "region", "postcode", "country")
ADDRESS_LIMITS = {"name": 120, "phone": 40, "line1": 240, "line2": 240, "city": 80, "region": 80, "postcode": 20}
REQUIRED_ADDRESS_FIELDS = ("name", "phone", "line1", "city")


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
