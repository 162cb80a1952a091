"""A company's credit on payment terms: what it owes (outstanding), what it may still order on credit (available),
and the placement gate that refuses an on-credit order over the limit.

    outstanding = the company's open on-credit orders (not cancelled) − what has been paid on their invoices

An order counts from the moment it is placed (also while held for approval) until it is paid in full or
cancelled. The gate locks the Company row, so concurrent orders of one company are checked one after the other
(PostgreSQL: `SELECT … FOR UPDATE`; SQLite: the writer lock of the placing transaction).

The seam to invoicing is `_paid_on` (one query: the paid amounts of the orders' invoices).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import get_language, gettext

from tradeloop.b2b.errors import Code
from tradeloop.b2b.models import Company
from tradeloop.core.errors import Conflict
from tradeloop.core.money import Money, quantize
from tradeloop.invoicing.models import Invoice
from tradeloop.orders.models import Order
from tradeloop.orders.terms import PREPAY

ZERO = Decimal(0)


def _on_credit_orders(company: Company) -> QuerySet[Order]:
    """Orders the company placed on credit terms and still may owe for (anything but cancelled)."""
    return (
        Order.objects.filter(buyer_org_id=company.organization_id, currency=company.currency)
        .exclude(Q(payment_terms="") | Q(payment_terms=PREPAY))
        .exclude(state=Order.State.CANCELLED)
    )


def _paid_on(orders: QuerySet[Order]) -> Decimal:
    """What has been paid on these orders' invoices (void invoices carry nothing paid)."""
    paid = Invoice.objects.filter(order__in=orders.values("pk")).aggregate(paid=Sum("paid_amount"))["paid"]
    return Decimal(str(paid or 0))


def outstanding(company: Company) -> Money:
    """What the company owes on its on-credit orders, in the company's currency (2 queries)."""
    orders = _on_credit_orders(company)
    total = Decimal(str(orders.aggregate(total=Sum("total"))["total"] or 0))
    owed = max(total - _paid_on(orders), ZERO)
    return Money(quantize(owed, company.currency), company.currency)


def available_credit(company: Company) -> Money:
    """How much more the company may order on credit now: limit − outstanding, never below zero."""
    left = max(Decimal(company.credit_limit) - outstanding(company).amount, ZERO)
    return Money(quantize(left, company.currency), company.currency)


def credit_gate(order: Order, actor) -> None:
    """Placement gate: an on-credit order is refused unless it is bought for a company the operator approved and it
    fits that company's available credit (no company, no credit: a quote on Net 30 cannot skip the limit)."""
    if not order.payment_terms or order.payment_terms == PREPAY:
        return None
    company = None
    if order.buyer_org_id is not None:
        company = Company.objects.select_for_update().filter(organization_id=order.buyer_org_id).first()
    if company is None or not company.is_approved:
        raise Conflict(
            gettext("Your company is not approved yet, so it cannot buy on payment terms."),
            code=Code.COMPANY_NOT_APPROVED,
            field="payment_terms",
        )
    if order.currency != company.currency:
        raise Conflict(
            gettext("Your company's credit is in %(currency)s; order in %(currency)s to buy on payment terms.")
            % {"currency": company.currency},
            code=Code.CREDIT_CURRENCY,
            field="currency",
        )
    owed = outstanding(company).amount  # includes this order: it is written already
    if owed > company.credit_limit:
        left = max(Decimal(company.credit_limit) - (owed - order.total), ZERO)
        raise Conflict(
            gettext("This order (%(total)s) is over your company's available credit (%(left)s).")
            % {
                "total": Money(order.total, order.currency).format(get_language() or "en"),
                "left": Money(left, company.currency).format(get_language() or "en"),
            },
            code=Code.CREDIT_EXCEEDED,
        )
    return None
