"""Invoices for orders on payment terms: issuing (numbered without gaps per seller), paying (online through the
payment provider, or offline as recorded by the seller), voiding, reminders. Every money movement is a ledger
posting (`ledger.services`, "invoices on payment terms").

    net terms      one invoice for the order total when the order first ships, due `Terms.due_date(shipped)`.
                   An order shipped in several parcels is invoiced once, in full, at its first parcel.
    deposit terms  a deposit invoice when the order is confirmed (due in TRADELOOP_DEPOSIT_DUE_DAYS), the balance
                   when it first ships (due on the terms' days).
    cancelled      an order cancelled before anything was paid on it: its invoices are void, the sale reversed.

An invoice is issued → partially_paid → paid (or void); overdue is derived: open and past its due date. While an
invoice of an order is open, the order does not complete (nor settle): `without_open_invoices`, registered as an
orders completion blocker.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotAuthenticated, NotFound, ValidationFailed
from tradeloop.core.money import Money, parse_amount, quantize
from tradeloop.invoicing import signals
from tradeloop.invoicing.errors import Code
from tradeloop.invoicing.models import Invoice, InvoiceLine, InvoicePayment, InvoiceReminder, InvoiceSequence
from tradeloop.ledger import services as ledger
from tradeloop.orders.models import Order
from tradeloop.orders.terms import DEPOSIT, parse_terms
from tradeloop.payments import services as payments
from tradeloop.payments.models import Payment

log = logging.getLogger(__name__)

State = Invoice.State
PURPOSE_PREFIX = "invoice:"  # payments.Payment.purpose of an invoice's online payment
MAX_REFERENCE = 120
RECORDING_CAPABILITY = "finance.manage"  # who records an offline payment for the seller
REMIND_BEFORE_DAYS = 3
REMIND_OVERDUE_EVERY_DAYS = 7


def deposit_due_days() -> int:
    return int(getattr(settings, "TRADELOOP_DEPOSIT_DUE_DAYS", 7))


# ---------- numbering ----------


def number_prefix(seller: Organization) -> str:
    """ "acme-electronics" → "ACME": the first word of the seller's slug, upper case (at most 10 characters)."""
    word = re.sub(r"[^A-Z0-9]", "", (seller.slug or "").split("-")[0].upper())[:10]
    return word or "INV"


def next_number(seller: Organization, year: int) -> str:
    """The seller's next invoice number in `year`, e.g. ACME-2026-000042. Must run inside the issuing transaction:
    the sequence row stays locked until it commits, and a rollback gives the number back (no gaps)."""
    sequence, _ = InvoiceSequence.objects.get_or_create(seller=seller, year=year)
    sequence = InvoiceSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_number = F("last_number") + 1
    sequence.save(update_fields=["last_number"])
    sequence.refresh_from_db(fields=["last_number"])
    return f"{number_prefix(seller)}-{year}-{sequence.last_number:06d}"


# ---------- issuing ----------


def _details(org: Organization) -> dict:
    return {
        "name": org.name,
        "address": org.address,
        "city": org.city,
        "country": org.country,
        "email": org.email,
        "phone": org.phone,
    }


def _order_lines(order: Order) -> list[InvoiceLine]:
    """The order's goods at their gross amounts, then its breakdown (discounts, shipping): they sum to its total."""
    lines = [
        InvoiceLine(
            kind=InvoiceLine.Kind.ITEM,
            sku=line.sku,
            description=" · ".join(filter(None, (line.product_title, line.variant_name)))[:300],
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.unit_price * line.quantity,
        )
        for line in order.lines.all()
    ]
    lines += [
        InvoiceLine(
            kind=InvoiceLine.Kind.SHIPPING if a.kind == "shipping" else InvoiceLine.Kind.DISCOUNT,
            description=a.label[:300],
            quantity=1,
            unit_price=a.amount,
            amount=a.amount,
        )
        for a in order.adjustments.all()
    ]
    return lines


@transaction.atomic
def _issue(
    *, order: Order, kind: str, total: Decimal, commission: Decimal, lines: list[InvoiceLine], issued_at, due_at
) -> Invoice:
    invoice = Invoice.objects.create(
        number=next_number(order.seller, timezone.localtime(issued_at).year),
        seller=order.seller,
        buyer_org=order.buyer_org,
        buyer=order.buyer,
        order=order,
        kind=kind,
        payment_terms=order.payment_terms,
        currency=order.currency,
        total=total,
        commission=commission,
        seller_details=_details(order.seller),
        buyer_details=_details(order.buyer_org)
        | {"contact": order.buyer.display_name, "ship_to": order.shipping_address},
        issued_at=issued_at,
        due_at=due_at,
    )
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    ledger.record_invoice_sale(
        order=order,
        invoice_id=invoice.pk,
        number=invoice.number,
        amount=Money(total, order.currency),
        commission=Money(commission, order.currency),
    )
    states.record(invoice, new=invoice.state, reason=gettext("invoice issued"))
    states.record(
        order,
        old=order.state,
        new=order.state,
        reason=gettext("invoice %(number)s issued") % {"number": invoice.number},
    )
    signals.invoice_issued.send(sender=Invoice, invoice=invoice)
    return invoice


def _invoiceable(order: Order):
    """The order's terms if it is invoiced (on credit, for a buyer organization), else None."""
    if not order.payment_terms:
        return None
    terms = parse_terms(order.payment_terms)
    if not terms.on_credit:
        return None
    if order.buyer_org_id is None:
        log.warning("order %s is on terms %s without a buyer organization: not invoiced", order.number, terms.code)
        return None
    return terms


def _locked_order(order: Order) -> Order:
    return Order.objects.select_for_update(of=("self",)).select_related("seller", "buyer", "buyer_org").get(pk=order.pk)


@transaction.atomic
def issue_deposit_invoice(*, order: Order, now: datetime | None = None) -> Invoice | None:
    """Deposit terms: the deposit is invoiced when the order is confirmed. Idempotent (one deposit per order)."""
    terms = _invoiceable(order)
    if terms is None or terms.kind != DEPOSIT:
        return None
    order = _locked_order(order)
    if existing := order.invoices.filter(kind=Invoice.Kind.DEPOSIT).first():
        return existing
    amount = terms.deposit_of(order.total, order.currency)
    if amount <= 0:
        return None
    now = now or clock.now()
    commission = ledger.commission_of(Money(amount, order.currency), order.commission_rate).amount
    line = InvoiceLine(
        kind=InvoiceLine.Kind.DEPOSIT,
        description=gettext("Deposit of %(percent)s%% on order %(number)s")
        % {"percent": terms.deposit_percent, "number": order.number},
        quantity=1,
        unit_price=amount,
        amount=amount,
    )
    return _issue(
        order=order,
        kind=Invoice.Kind.DEPOSIT,
        total=amount,
        commission=commission,
        lines=[line],
        issued_at=now,
        due_at=now + timedelta(days=deposit_due_days()),
    )


@transaction.atomic
def issue_shipping_invoice(*, order: Order, now: datetime | None = None) -> Invoice | None:
    """The order shipped (its first parcel): net terms invoice the total; deposit terms the balance. Idempotent:
    later parcels of the same order find the invoice and issue nothing."""
    terms = _invoiceable(order)
    if terms is None:
        return None
    order = _locked_order(order)
    found = {i.kind: i for i in order.invoices.exclude(state=State.VOID)}
    if existing := found.get(Invoice.Kind.FULL) or found.get(Invoice.Kind.BALANCE):
        return existing
    now = now or clock.now()
    total_commission = ledger.commission_of(Money(order.total, order.currency), order.commission_rate).amount
    lines = _order_lines(order)
    deposit = found.get(Invoice.Kind.DEPOSIT)
    kind, amount, commission = Invoice.Kind.FULL, Decimal(order.total), total_commission
    if deposit is not None:
        kind = Invoice.Kind.BALANCE
        amount -= deposit.total
        commission -= deposit.commission
        lines.append(
            InvoiceLine(
                kind=InvoiceLine.Kind.DEPOSIT,
                description=gettext("Less deposit invoiced (%(number)s)") % {"number": deposit.number},
                quantity=1,
                unit_price=-deposit.total,
                amount=-deposit.total,
            )
        )
    if amount <= 0:
        return None
    return _issue(
        order=order,
        kind=kind,
        total=amount,
        commission=commission,
        lines=lines,
        issued_at=now,
        due_at=terms.due_date(now),
    )


@transaction.atomic
def void_unpaid_invoices(*, order: Order, actor: User | None = None, reason: str = "") -> list[Invoice]:
    """The order was cancelled: each of its invoices on which nothing was paid is void, its sale reversed.
    An invoice with payments on it stays (the seller settles the rest with the buyer)."""
    voided = []
    for invoice in Invoice.objects.select_for_update().filter(order=order, state=State.ISSUED, paid_amount=0):
        ledger.record_invoice_void(order=order, invoice_id=invoice.pk, number=invoice.number)
        invoice.voided_at = clock.now()
        states.transition(invoice, State.VOID, actor=actor, reason=reason or gettext("order cancelled"))
        voided.append(invoice)
    return voided


# ---------- paying ----------


def _apply_payment(
    invoice: Invoice, *, amount: Decimal, method: str, reference: str, payment: Payment | None, actor, received_at
) -> InvoicePayment:
    """Adds a payment to a locked, open invoice (guarded: never more than its total) and moves its state."""
    raised = Invoice.objects.filter(pk=invoice.pk, paid_amount__lte=F("total") - amount).update(
        paid_amount=F("paid_amount") + amount
    )
    if not raised:
        raise Conflict(gettext("That is more than is open on this invoice."), code=Code.OVERPAID, field="amount")
    invoice.refresh_from_db(fields=["paid_amount"])
    made = InvoicePayment.objects.create(
        invoice=invoice,
        method=method,
        amount=amount,
        currency=invoice.currency,
        reference=reference[:MAX_REFERENCE],
        payment=payment,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        received_at=received_at,
    )
    ledger.record_invoice_payment(
        invoice_id=invoice.pk,
        number=invoice.number,
        buyer_org=invoice.buyer_org,
        seller=invoice.seller,
        amount=Money(amount, invoice.currency),
        ref=f"{method}:{made.pk}",
        online=method == InvoicePayment.Method.ONLINE,
    )
    money = Money(amount, invoice.currency).format()
    reason = gettext("%(amount)s received (%(method)s)") % {"amount": money, "method": made.get_method_display()}
    if invoice.paid_amount >= invoice.total:
        invoice.paid_at = clock.now()
        states.transition(invoice, State.PAID, actor=actor, reason=reason)
    elif invoice.state == State.ISSUED:
        states.transition(invoice, State.PARTIALLY_PAID, actor=actor, reason=reason)
    else:
        states.record(invoice, old=invoice.state, new=invoice.state, actor=actor, reason=reason)
    signals.invoice_paid.send(sender=Invoice, invoice=invoice, payment=made)
    return made


def _locked_invoice(invoice_id: int) -> Invoice:
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("seller", "buyer_org", "order")
        .filter(pk=invoice_id)
    )
    found = invoice.first()
    if found is None:
        raise NotFound(gettext("Invoice not found."))
    return found


def _seller_invoice(actor: User, invoice_id: int, capability: str) -> Invoice:
    """The invoice, if the actor is a member of its seller with `capability` (else 404 / 403)."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    seller_id = Invoice.objects.filter(pk=invoice_id).values_list("seller_id", flat=True).first()
    if seller_id is None:
        raise NotFound(gettext("Invoice not found."))
    try:
        require(actor, seller_id, capability)
    except NotFound as exc:
        raise NotFound(gettext("Invoice not found.")) from exc
    return _locked_invoice(invoice_id)


def _positive_amount(value, currency: str) -> Decimal:
    amount = parse_amount(value)
    if amount <= 0:
        raise ValidationFailed(gettext("The amount must be more than zero."), field="amount")
    if amount != quantize(amount, currency):
        raise ValidationFailed(gettext("Too many decimals for %(currency)s.") % {"currency": currency}, field="amount")
    return amount


def _open(invoice: Invoice) -> None:
    if invoice.state not in Invoice.OPEN:
        raise Conflict(
            gettext("Invoice %(number)s is %(state)s: nothing is open on it.")
            % {"number": invoice.number, "state": invoice.get_state_display().lower()},
            code=Code.NOT_PAYABLE,
        )


@transaction.atomic
def record_offline_payment(
    *, actor: User, invoice_id: int, amount, reference: str, received_at: datetime | None = None
) -> InvoicePayment:
    """The seller got money for the invoice directly (a bank transfer): recorded with its reference."""
    invoice = _seller_invoice(actor, invoice_id, RECORDING_CAPABILITY)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed(gettext("Give the payment's reference (e.g. the bank transfer's)."), field="reference")
    if len(reference) > MAX_REFERENCE:
        raise ValidationFailed(gettext("The reference is too long."), field="reference")
    value = _positive_amount(amount, invoice.currency)
    now = clock.now()
    if received_at is not None and received_at > now:
        raise ValidationFailed(gettext("The payment cannot be received in the future."), field="received_at")
    _open(invoice)
    return _apply_payment(
        invoice,
        amount=value,
        method=InvoicePayment.Method.OFFLINE,
        reference=reference,
        payment=None,
        actor=actor,
        received_at=received_at or now,
    )


def _buyer_invoice(actor: User, invoice_id: int) -> Invoice:
    from tradeloop.invoicing.selectors import buyer_invoices_qs

    invoice = buyer_invoices_qs(actor).filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound(gettext("Invoice not found."))
    return invoice


@transaction.atomic
def start_online_payment(*, actor: User, invoice_id: int, return_url: str = "") -> tuple[Payment, str]:
    """A member of the buying organization pays what is open on the invoice at the payment provider; returns the
    payment and the provider's page to send them to. The capture pays the invoice (`on_payment_captured`)."""
    invoice = _buyer_invoice(actor, invoice_id)
    invoice = _locked_invoice(invoice.pk)
    _open(invoice)
    open_amount = invoice.total - invoice.paid_amount
    return payments.start_payment(
        payer=actor,
        amount=Money(open_amount, invoice.currency),
        purpose=f"{PURPOSE_PREFIX}{invoice.pk}",
        return_url=return_url or f"/invoices/{invoice.pk}/",
        expires_at=clock.now() + timedelta(hours=24),
    )


def invoice_of_payment(payment: Payment) -> int | None:
    prefix, _sep, pk = (payment.purpose or "").partition(":")
    return int(pk) if f"{prefix}:" == PURPOSE_PREFIX and pk.isdigit() else None


@transaction.atomic
def on_payment_captured(*, payment: Payment) -> InvoicePayment | None:
    """payments.signals.payment_captured: an invoice's payment pays what is open on it; anything more (the invoice
    was paid meanwhile, offline or by a second payment) goes back to the payer. Idempotent."""
    invoice_id = invoice_of_payment(payment)
    if invoice_id is None:
        return None
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("seller", "buyer_org")
        .filter(pk=invoice_id)
        .first()
    )
    if invoice is None:
        return None
    if existing := InvoicePayment.objects.filter(payment=payment).first():
        return existing
    captured = Decimal(payment.captured_amount)
    is_open = invoice.state in Invoice.OPEN and payment.currency == invoice.currency
    applied = min(captured, invoice.total - invoice.paid_amount) if is_open else Decimal(0)
    made = None
    if applied > 0:
        made = _apply_payment(
            invoice,
            amount=applied,
            method=InvoicePayment.Method.ONLINE,
            reference=payment.provider_ref or payment.token,
            payment=payment,
            actor=None,
            received_at=clock.now(),
        )
    if captured - applied > 0:
        payments.refund(
            payment=payment,
            amount=Money(captured - applied, payment.currency),
            ref=f"{PURPOSE_PREFIX}{invoice.pk}:excess:{payment.pk}",
            reason=gettext("more than was open on invoice %(number)s") % {"number": invoice.number},
        )
    return made


# ---------- reminders ----------


def reminder_key(invoice: Invoice, now: datetime) -> str | None:
    """Which reminder is due now (by calendar days in the site's time zone): 3 days before the due day, on it,
    then once every 7 days overdue ("overdue:1" a week after, …); None between those."""
    days = (timezone.localtime(invoice.due_at).date() - timezone.localtime(now).date()).days
    if 0 < days <= REMIND_BEFORE_DAYS:
        return "due_soon"
    if days == 0:
        return "due_today"
    if days < 0 and (weeks := -days // REMIND_OVERDUE_EVERY_DAYS) >= 1:
        return f"overdue:{weeks}"
    return None


def sweep_invoice_reminders(now: datetime | None = None) -> int:
    """Open invoices due within 3 days or overdue get the reminder that is due, once each (idempotent)."""
    now = now or clock.now()
    due = Invoice.objects.filter(state__in=Invoice.OPEN, due_at__lte=now + timedelta(days=REMIND_BEFORE_DAYS + 1))
    sent = 0
    for invoice in due.order_by("due_at", "pk")[:1000]:
        key = reminder_key(invoice, now)
        if key is None:
            continue
        with transaction.atomic():
            _, created = InvoiceReminder.objects.get_or_create(invoice=invoice, key=key, defaults={"sent_at": now})
            if created:
                signals.invoice_reminder.send(sender=Invoice, invoice=invoice, key=key)
                sent += 1
    return sent


# ---------- what orders asks ----------


def without_open_invoices(orders_qs: QuerySet[Order]) -> QuerySet[Order]:
    """orders' completion blocker (registered in AppConfig.ready): an order with an unpaid invoice waits."""
    return orders_qs.exclude(invoices__state__in=Invoice.OPEN)
