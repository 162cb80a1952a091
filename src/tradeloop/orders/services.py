"""Orders: the one path to change an order's state, payment, cancellation and the timed rules.

The money and stock side effects of a state change live here too, so every caller (checkout, fulfilment,
after-sales, the sweeps) gets the same behaviour:

    paid       reservations committed, ledger `record_sale`, ship-by deadline set
    cancelled  held stock released (unpaid) or put back (paid, unshipped units), the paid amount refunded through
               the provider and the ledger, promotion usage given back
    completed  ledger `settle` (the seller's net becomes payable)
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.accounts.selectors import can
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied
from tradeloop.core.money import Money, quantize
from tradeloop.inventory import services as inventory
from tradeloop.ledger import services as ledger
from tradeloop.orders import signals
from tradeloop.orders.models import Order, OrderLine
from tradeloop.payments import services as payments
from tradeloop.promotions import services as promotions

State = Order.State
STAMPS = {
    State.PAID: "paid_at",
    State.SHIPPED: "shipped_at",
    State.DELIVERED: "delivered_at",
    State.COMPLETED: "completed_at",
    State.CANCELLED: "cancelled_at",
}
NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
OPEN_RETURN_STATES = ("requested", "approved")  # aftersales.ReturnRequest states that hold an order open


def new_number() -> str:
    """A human order number, e.g. 250301-7KQ2MX (date + 6 random characters)."""
    return f"{clock.now():%y%m%d}-{''.join(secrets.choice(NUMBER_ALPHABET) for _ in range(6))}"


def line_ref(line: OrderLine | int) -> str:
    """The stock reservation ref of an order line."""
    return f"order-line:{getattr(line, 'pk', line)}"


def order_ref(order: Order) -> str:
    """The promotions redemption ref of an order."""
    return f"order:{order.pk}"


def _ship_within() -> timedelta:
    return timedelta(days=getattr(settings, "TRADELOOP_SHIP_WITHIN_DAYS", 3))


@transaction.atomic
def advance(*, order: Order, to: str, actor: User | None = None, reason: str = "") -> Order:
    """Move an order to `to` (checked against Order.ALLOWED, recorded as an event) and stamp the time.

    The state is re-read under a row lock, so two concurrent moves cannot both succeed."""
    order.state = old = Order.objects.select_for_update().values_list("state", flat=True).get(pk=order.pk)
    now = clock.now()
    if stamp := STAMPS.get(to):
        setattr(order, stamp, now)
    if to == State.PAID:
        order.ship_by = now + _ship_within()
    states.transition(order, to, actor=actor, reason=reason)
    signals.order_changed.send(sender=Order, order=order, old=old, new=to, actor=actor)
    return order


# ---------- paid ----------


@transaction.atomic
def mark_paid(*, order: Order, actor: User | None = None, reason: str = "") -> Order:
    """The order's payment was captured: take the reserved stock, record the sale in the ledger.

    If a reservation lapsed before the money came (a slow payment), the units are reserved again; if they are gone,
    `inventory.OutOfStock` is raised and the caller cancels and refunds.
    """
    lines = list(order.lines.all())
    refs = [line_ref(line) for line in lines]
    held = inventory.held_units(refs)
    lapsed = [line for line in lines if held.get(line_ref(line), 0) < line.quantity]
    if lapsed:
        inventory.release(ref=[line_ref(line) for line in lapsed])  # any partial remainder
        inventory.reserve_many(
            items=[inventory.ReserveItem(line.variant_id, line.quantity, line_ref(line)) for line in lapsed],
            until=clock.now() + timedelta(minutes=5),
        )
    inventory.commit(ref=refs)
    advance(order=order, to=State.PAID, actor=actor, reason=reason or gettext("payment received"))
    ledger.record_sale(order=order)
    return order


# ---------- cancelled ----------

CANCELLABLE = (State.PENDING_PAYMENT, State.PAID, State.PARTIALLY_SHIPPED)


def _may_cancel(order: Order, actor: User | None) -> None:
    if actor is None:  # the platform: a sweep, a failed payment
        return
    if order.buyer_id == actor.pk and order.state in (State.PENDING_PAYMENT, State.PAID):
        return
    if can(actor, order.seller, "orders.fulfil"):
        return
    if order.buyer_id == actor.pk:
        raise PermissionDenied(gettext("This order has shipped; ask for a return instead."))
    if can(actor, order.seller, "orders.view"):
        raise PermissionDenied(gettext("Your role does not allow cancelling orders."))
    raise NotFound(gettext("Order not found."))


def _refund_due(order: Order, lines: list[OrderLine]) -> Decimal:
    """Everything paid if nothing shipped; else the unshipped lines' share (shipping stays charged)."""
    left = order.total - order.refunded_total
    if not any(line.quantity_shipped for line in lines):
        return left
    unshipped = sum(
        (line.line_total * (line.quantity - line.quantity_shipped) / line.quantity for line in lines), Decimal(0)
    )
    return min(quantize(unshipped, order.currency), left)


def _refund(order: Order, amount: Decimal, *, ref: str, reason: str) -> None:
    money = Money(amount, order.currency)
    if order.payment_id:
        payments.refund(payment=order.payment, amount=money, ref=f"order:{order.pk}:{ref}", reason=reason[:200])
    ledger.record_refund(order=order, amount=money, ref=ref)
    Order.objects.filter(pk=order.pk).update(refunded_total=order.refunded_total + amount)
    order.refunded_total += amount


def _release_promotions(order: Order) -> None:
    promotions.release(order_ref=order_ref(order))


def _put_back_stock(order: Order, lines: list[OrderLine], actor: User | None) -> None:
    """Units paid for but not shipped go back on hand (only those that really left stock)."""
    taken = inventory.committed_units([line_ref(line) for line in lines])
    for line in lines:
        unshipped = min(line.quantity - line.quantity_shipped, taken.get(line_ref(line), 0))
        if unshipped > 0:
            inventory.restock(
                variant=line.variant,
                quantity=unshipped,
                ref=f"order:{order.pk}:cancelled:line:{line.pk}",
                actor=actor,
                source_ref=line_ref(line),
                note=gettext("order %(number)s cancelled") % {"number": order.number},
            )


@transaction.atomic
def cancel(*, order: Order, actor: User | None, reason: str) -> Order:
    """Cancel an order: the buyer (before shipping), the seller's fulfilment staff, or the platform (actor=None)."""
    order.state = Order.objects.select_for_update().values_list("state", flat=True).get(pk=order.pk)
    _may_cancel(order, actor)
    if order.state not in CANCELLABLE:
        raise Conflict(gettext("This order can no longer be cancelled."), code="illegal_transition", field="state")
    lines = list(order.lines.select_related("variant"))
    was_paid = order.state != State.PENDING_PAYMENT
    inventory.release(ref=[line_ref(line) for line in lines])
    if was_paid:
        _put_back_stock(order, lines, actor)
        if (due := _refund_due(order, lines)) > 0:
            _refund(order, due, ref="cancelled", reason=reason or gettext("order cancelled"))
    _release_promotions(order)
    return advance(order=order, to=State.CANCELLED, actor=actor, reason=reason)


# ---------- timed rules ----------


def _due(qs: QuerySet[Order], limit: int = 500) -> list[int]:
    return list(qs.values_list("pk", flat=True)[:limit])


def sweep_unpaid_orders(now: datetime | None = None) -> int:
    """Cancel orders still unpaid after their payment time: their stock and promotion usage come back."""
    now = now or clock.now()
    done = 0
    for order_id in _due(Order.objects.filter(state=State.PENDING_PAYMENT, payment_due_at__lte=now)):
        with transaction.atomic():
            order = Order.objects.select_for_update().filter(pk=order_id).first()
            if order and order.state == State.PENDING_PAYMENT and order.payment_due_at <= now:  # re-check, locked
                cancel(order=order, actor=None, reason=gettext("not paid in time"))
                done += 1
    return done


def _return_window_over(order: Order, now: datetime) -> bool:
    days = order.lines.aggregate(days=Max("return_window_days"))["days"] or 0
    return order.delivered_at is not None and order.delivered_at + timedelta(days=days) <= now


def _past_return_window(qs: QuerySet[Order], now: datetime) -> QuerySet[Order]:
    """Orders every line of which is past its return window (one exclusion per distinct window length)."""
    windows = OrderLine.objects.order_by().values_list("return_window_days", flat=True).distinct()
    for days in windows:
        qs = qs.exclude(lines__return_window_days=days, delivered_at__gt=now - timedelta(days=days))
    return qs


def sweep_completed_orders(now: datetime | None = None) -> int:
    """Delivered orders whose return window has passed (and with no open return) complete; the seller is settled."""
    now = now or clock.now()
    delivered = Order.objects.filter(state=State.DELIVERED, delivered_at__lte=now).exclude(
        returns__state__in=OPEN_RETURN_STATES
    )
    done = 0
    for order_id in _due(_past_return_window(delivered, now).order_by("delivered_at")):
        with transaction.atomic():
            order = Order.objects.select_for_update().filter(pk=order_id).first()
            if not order or order.state != State.DELIVERED or not _return_window_over(order, now):
                continue  # re-checked under the lock
            if order.returns.filter(state__in=OPEN_RETURN_STATES).exists():
                continue
            advance(order=order, to=State.COMPLETED, reason=gettext("return window over"))
            ledger.settle(order=order)
            done += 1
    return done
