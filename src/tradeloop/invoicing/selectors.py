"""Invoice reads: the buyer organization's invoices, the seller's invoice desk, one invoice with its lines and
payments, and what other apps ask (credit exposure, the console badge). Fixed query counts."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext

from tradeloop.accounts.models import Membership, Organization, User
from tradeloop.accounts.selectors import memberships_of, require
from tradeloop.core import clock
from tradeloop.core.errors import NotAuthenticated, NotFound, ValidationFailed
from tradeloop.core.money import Money
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.invoicing.models import Invoice, InvoiceLine, InvoicePayment
from tradeloop.orders.models import Order

ORDER = ("-issued_at", "-id")
BUYER_CAPABILITIES = ("finance.view", "purchasing")  # members of the buying organization who see its invoices
SELLER_CAPABILITY = "finance.view"
FILTERS = ("unpaid", "overdue", "paid", "void")


def _filtered(qs: QuerySet[Invoice], status: str | None) -> QuerySet[Invoice]:
    if status in (None, ""):
        return qs
    if status not in FILTERS:
        raise ValidationFailed(gettext("Unknown filter %(value)s.") % {"value": status}, field="status")
    if status == "unpaid":
        return qs.filter(state__in=Invoice.OPEN)
    if status == "overdue":
        return qs.filter(state__in=Invoice.OPEN, due_at__lt=clock.now())
    return qs.filter(state=status)


def _listed(qs: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return qs.select_related("seller", "buyer_org", "order")


def _detailed(qs: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return _listed(qs).prefetch_related(
        Prefetch("lines", InvoiceLine.objects.order_by("id")),
        Prefetch("payments", InvoicePayment.objects.select_related("recorded_by").order_by("received_at", "id")),
    )


def buying_org_ids(actor: User) -> list[int]:
    """The organizations whose invoices the actor may see as a buyer (one query)."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    return [
        m.organization_id
        for m in memberships_of(actor)
        if any(m.role.grants(capability) for capability in BUYER_CAPABILITIES)
    ]


def buyer_invoices_qs(actor: User) -> QuerySet[Invoice]:
    return Invoice.objects.filter(buyer_org_id__in=buying_org_ids(actor))


def buyer_invoices(*, actor: User, status: str | None = None, cursor: str | None = None, limit: int = 25) -> Page:
    """Invoices to the actor's organizations, newest first (members with finance.view or purchasing)."""
    qs = _filtered(buyer_invoices_qs(actor), status)
    return keyset_page(_listed(qs), order=ORDER, cursor=cursor, limit=limit)


def invoice_for_buyer(actor: User, invoice_id: int) -> Invoice:
    found = _detailed(buyer_invoices_qs(actor)).filter(pk=invoice_id).first()
    if found is None:
        raise NotFound(gettext("Invoice not found."))
    return found


def seller_invoices(
    *, actor: User, seller: Organization, status: str | None = None, cursor: str | None = None, limit: int = 25
) -> Page:
    """The seller's invoice desk, newest first (needs finance.view)."""
    require(actor, seller, SELLER_CAPABILITY)
    qs = _filtered(Invoice.objects.filter(seller=seller), status)
    return keyset_page(_listed(qs), order=ORDER, cursor=cursor, limit=limit)


def invoice_for_seller(actor: User, invoice_id: int, seller: Organization | None = None) -> Invoice:
    """One invoice of a seller the actor works for with finance.view; another tenant's answers 404."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    found = _detailed(Invoice.objects.filter(pk=invoice_id)).first()
    if found is None or (seller is not None and found.seller_id != seller.pk):
        raise NotFound(gettext("Invoice not found."))
    try:
        require(actor, found.seller, SELLER_CAPABILITY)
    except NotFound as exc:
        raise NotFound(gettext("Invoice not found.")) from exc
    return found


def invoice_for_reader(actor: User, invoice_id: int) -> Invoice:
    """The invoice for its buyer side or its seller side (the PDF)."""
    try:
        return invoice_for_buyer(actor, invoice_id)
    except NotFound:
        return invoice_for_seller(actor, invoice_id)


def overdue_count(*, seller: Organization) -> int:
    return Invoice.objects.filter(seller=seller, state__in=Invoice.OPEN, due_at__lt=clock.now()).count()


def seller_overdue_badge(membership: Membership) -> int:
    """The console navigation's badge beside Invoices."""
    return overdue_count(seller=membership.organization)


def buyer_has_invoices(actor: User) -> bool:
    return bool(buying_org_ids(actor)) and buyer_invoices_qs(actor).exists()


# ---------- what other apps ask ----------


def unpaid_total(buyer_org: Organization, currency: str) -> Money:
    """What the buyer organization still owes on open invoices in `currency` (credit exposure)."""
    found = Invoice.objects.filter(buyer_org=buyer_org, currency=currency, state__in=Invoice.OPEN).aggregate(
        total=Sum("total"), paid=Sum("paid_amount")
    )
    return Money(Decimal(str(found["total"] or 0)) - Decimal(str(found["paid"] or 0)), currency).rounded()


def paid_on_order(order: Order) -> Decimal:
    """What has been paid on the order's invoices (void ones have nothing paid)."""
    found = Invoice.objects.filter(order=order).aggregate(paid=Sum("paid_amount"))["paid"]
    return Decimal(str(found or 0))


def invoiced_on_order(order: Order) -> Decimal:
    found = Invoice.objects.filter(order=order).filter(~Q(state=Invoice.State.VOID)).aggregate(total=Sum("total"))
    return Decimal(str(found["total"] or 0))


def order_invoices(order: Order) -> list[Invoice]:
    return list(Invoice.objects.filter(order=order).order_by("issued_at", "id"))
