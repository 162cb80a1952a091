"""Buyer companies: registering one, the operator's decision, delivery addresses, and how a member buys.

A signed-in person registers a company: a new organization of kind buyer_company (the person its owner) with a
`Company` row in state pending. The operator approves or rejects it in the back office (`decide`, recorded as an
event). Only an approved company buys on payment terms: `buyer_context` (registered with orders.policies) answers
mode b2b, the company and its terms for a member who may buy for it (capability `purchasing`); a pending or
rejected company's members buy as consumers (B2C) until it is approved.

Payment terms and the credit limit are the operator's (back office); members read them on the company page.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from tradeloop.accounts import services as accounts
from tradeloop.accounts.models import Membership, Organization, User
from tradeloop.accounts.selectors import memberships_of
from tradeloop.b2b.models import Company, CompanyAddress
from tradeloop.checkout.models import Address
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from tradeloop.core.models import PostalAddress
from tradeloop.core.money import check_currency
from tradeloop.orders.policies import BuyerContext
from tradeloop.orders.terms import parse_terms

State = Company.State
BUYING = "purchasing"
ADDRESS_FIELDS = ("label", *PostalAddress.SNAPSHOT_FIELDS)
REQUIRED_ADDRESS_FIELDS = PostalAddress.REQUIRED_FIELDS
MAX_ADDRESSES = 50


# ---------- reads ----------


def _member_of(actor: User, company_org_id: int) -> Membership:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    found = memberships_of(actor).filter(organization_id=company_org_id, organization__company__isnull=False).first()
    if found is None:
        raise NotFound(gettext("company not found"), field="company")
    return found


def company_for(actor: User, company_id: int) -> Company:
    """A company the actor belongs to, named by its organization's id; any other answers 404."""
    _member_of(actor, company_id)
    return Company.objects.select_related("organization").get(organization_id=company_id)


def require_member(actor: User, company: Company, capability: str) -> Membership:
    found = _member_of(actor, company.organization_id)
    if not found.role.grants(capability):
        raise PermissionDenied(
            gettext("your role (%(role)s) does not allow %(capability)s")
            % {"role": found.role.label, "capability": capability}
        )
    return found


def my_companies(actor: User) -> list[Company]:
    if not getattr(actor, "is_authenticated", False):
        return []
    org_ids = memberships_of(actor).values("organization_id")
    return list(Company.objects.filter(organization_id__in=org_ids).select_related("organization"))


def members(actor: User, company: Company) -> QuerySet[Membership]:
    """The company's members with their roles and spending limits (one query)."""
    _member_of(actor, company.organization_id)
    return (
        Membership.objects.filter(organization_id=company.organization_id)
        .select_related("user", "role", "spending_limit")
        .order_by("role__position", "user__email")
    )


def addresses(company: Company) -> list[CompanyAddress]:
    return list(company.addresses.all())


def company_of_org(organization: Organization | int | None) -> Company | None:
    org_id = getattr(organization, "pk", organization)
    if org_id is None:
        return None
    return Company.objects.filter(organization_id=org_id).first()


# ---------- registering, and the operator's decision ----------


@transaction.atomic
def register_company(
    *,
    actor: User,
    name: str,
    city: str = "",
    registration_number: str = "",
    tax_id: str = "",
    website: str = "",
    currency: str = "CNY",
) -> Company:
    """A new buyer organization (the actor its owner) and its company profile, waiting for the operator."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    currency = check_currency(currency)
    org = accounts.create_organization(
        actor=actor, kind=Organization.Kind.BUYER_COMPANY, name=name, city=(city or "").strip()[:80], currency=currency
    )
    company = Company.objects.create(
        organization=org,
        registration_number=(registration_number or "").strip()[:60],
        tax_id=(tax_id or "").strip()[:60],
        website=(website or "").strip()[:200],
        currency=currency,
    )
    states.record(company, new=State.PENDING, actor=actor, reason=gettext("company registered"))
    return company


@transaction.atomic
def decide(*, operator: User, company: Company, to: str, reason: str = "") -> Company:
    """The operator approves or rejects a company (back office); recorded as an event with the reason."""
    if not getattr(operator, "is_staff", False):
        raise PermissionDenied(gettext("Only the operator decides on companies."))
    company = Company.objects.select_for_update().get(pk=company.pk)
    if to == company.state:
        raise Conflict(gettext("The company is %(state)s already.") % {"state": company.get_state_display()})
    company.decided_at = clock.now()
    states.transition(company, to, actor=operator, reason=reason)
    return company


@transaction.atomic
def set_terms(*, operator: User, company: Company, payment_terms: str, credit_limit, currency: str | None = None):
    """Operator: the company's payment terms and credit limit (the back office form saves through this)."""
    if not getattr(operator, "is_staff", False):
        raise PermissionDenied(gettext("Only the operator sets payment terms and credit limits."))
    from tradeloop.core.money import parse_amount

    company.payment_terms = parse_terms(payment_terms).code
    company.credit_limit = parse_amount(credit_limit, field="credit_limit")
    if company.credit_limit < 0:
        raise ValidationFailed(gettext("A credit limit cannot be negative."), field="credit_limit")
    company.currency = check_currency(currency or company.currency)
    company.save(update_fields=["payment_terms", "credit_limit", "currency"])
    states.record(
        company,
        actor=operator,
        reason=f"terms {company.payment_terms}, credit limit {company.credit_limit} {company.currency}",
    )
    return company


# ---------- delivery addresses ----------


def _address_fields(data: dict) -> dict:
    unknown = set(data) - set(ADDRESS_FIELDS) - {"is_default"}
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationFailed(gettext("unknown field %(field)s") % {"field": repr(field)}, field=field)
    cleaned = {f: str(data.get(f) or "").strip() for f in ADDRESS_FIELDS}
    for field in REQUIRED_ADDRESS_FIELDS:
        if not cleaned[field]:
            raise ValidationFailed(gettext("This field is required."), field=field)
    cleaned["country"] = (cleaned["country"] or "CN").upper()[:2]
    return cleaned


@transaction.atomic
def add_address(*, actor: User, company: Company, is_default: bool = False, **data) -> CompanyAddress:
    require_member(actor, company, "org.manage")
    fields = _address_fields(data)
    Company.objects.select_for_update().filter(pk=company.pk).first()  # one writer of the default at a time
    existing = company.addresses.count()
    if existing >= MAX_ADDRESSES:
        raise Conflict(gettext("A company keeps up to %(max)s addresses.") % {"max": MAX_ADDRESSES}, field="line1")
    is_default = bool(is_default) or existing == 0
    if is_default:
        company.addresses.filter(is_default=True).update(is_default=False)
    return CompanyAddress.objects.create(company=company, is_default=is_default, **fields)


def _address(company: Company, address_id: int) -> CompanyAddress:
    found = company.addresses.filter(pk=address_id).first()
    if found is None:
        raise NotFound(gettext("address not found"), field="address")
    return found


@transaction.atomic
def make_default_address(*, actor: User, company: Company, address_id: int) -> CompanyAddress:
    require_member(actor, company, "org.manage")
    Company.objects.select_for_update().filter(pk=company.pk).first()
    address = _address(company, address_id)
    company.addresses.filter(is_default=True).exclude(pk=address.pk).update(is_default=False)
    CompanyAddress.objects.filter(pk=address.pk).update(is_default=True)
    address.is_default = True
    return address


@transaction.atomic
def delete_address(*, actor: User, company: Company, address_id: int) -> None:
    require_member(actor, company, "org.manage")
    Company.objects.select_for_update().filter(pk=company.pk).first()
    address = _address(company, address_id)
    address.delete()
    if address.is_default and (first := company.addresses.order_by("id").first()):
        CompanyAddress.objects.filter(pk=first.pk).update(is_default=True)


# ---------- how a member buys ----------


def _buying_membership(actor: User) -> Membership | None:
    """The actor's oldest membership of an approved company they may buy for (capability `purchasing`)."""
    found = (
        memberships_of(actor)
        .filter(organization__company__state=State.APPROVED)
        .select_related("organization__company")
        .prefetch_related("organization__company__addresses")
        .order_by("created_at", "pk")
    )
    return next((m for m in found if m.role.grants(BUYING)), None)


def buyer_context(actor: User, seller=None) -> BuyerContext | None:
    """orders.policies resolver: a member of an approved company buys for it (mode b2b) on the company's payment
    terms, with its delivery addresses (dicts: id, label, is_default and the address fields). Anyone else — and
    a company buying from itself — is not ours to answer (None: B2C)."""
    membership = _buying_membership(actor)
    if membership is None:
        return None
    company = membership.organization.company
    if seller is not None and getattr(seller, "pk", seller) == company.organization_id:
        return None
    return BuyerContext(
        mode="b2b",
        buyer_org=membership.organization,
        payment_terms=parse_terms(company.payment_terms).code,
        addresses=[address_dict(a) for a in company.addresses.all()],
    )


def address_dict(address: CompanyAddress) -> dict:
    return {"id": address.pk, "label": address.label, "is_default": address.is_default, **address.snapshot()}


def delivery_address(organization: Organization | int | None, buyer: User | None = None) -> dict:
    """Where goods bought for `organization` go when nobody chose (an accepted quote's order): the company's default
    delivery address (a company whose default was lost in the back office: its first); a company without addresses
    → the buyer's own default address, if any; else {}. The snapshot has `checkout.models.Address.snapshot()`'s
    shape (name, phone, line1, line2, city, region, postcode, country)."""
    org_id = getattr(organization, "pk", organization)
    found = CompanyAddress.objects.filter(company__organization_id=org_id).order_by("-is_default", "id").first()
    if found is None and buyer is not None:
        found = Address.objects.filter(user=buyer, is_default=True).first()
    return found.snapshot() if found is not None else {}
