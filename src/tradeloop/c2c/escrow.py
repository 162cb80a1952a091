"""Escrow: a C2C order's money is held by the platform from payment until the buyer has the goods.

    paid        (order_changed → paid) an Escrow row follows the ledger's `order:<id>:paid` (Dr payments / Cr escrow)
    shipped     (order_changed → shipped) the clock starts: receipt is auto-confirmed `confirm_days(speed)` later
    confirm     the buyer confirms receipt: the order completes, escrow is released to the seller minus commission
    extend      the buyer adds TRADELOOP_C2C_EXTEND_DAYS to the clock, once
    pause/resume a dispute stops the clock (what was left is kept) and, withdrawn, starts it again
    refund      (disputes) part or all of the money goes back to the buyer from escrow; the rest, if any, is released
    cancelled   (order_changed → cancelled: not shipped in time, unpaid) whatever was refunded closes the escrow

Every money movement is the ledger's (`ledger.record_sale`, `record_refund`, `settle` on an escrow order); the
Escrow row is the state the people see. `sweep_auto_confirm(now)` is the timed rule.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.c2c.errors import Code
from tradeloop.c2c.models import DeliverySpeed, Escrow, Listing
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger
from tradeloop.orders import services as orders
from tradeloop.orders import signals as order_signals
from tradeloop.orders.models import Order

State = Escrow.State
OrderState = Order.State


def confirm_days(speed: str) -> timedelta:
    days = getattr(settings, "TRADELOOP_C2C_CONFIRM_DAYS", {}).get(speed)
    return timedelta(days=days if days is not None else 10)


def extend_by() -> timedelta:
    return timedelta(days=getattr(settings, "TRADELOOP_C2C_EXTEND_DAYS", 3))


# --- following the order ---------------------------------------------------------------------------------------


def _listing_of(order: Order) -> Listing | None:
    line = order.lines.select_related("variant").first()
    if line is None:
        return None
    return Listing.objects.filter(product_id=line.variant.product_id).first()


def _hold(order: Order, now: datetime) -> Escrow:
    listing = _listing_of(order)
    speed = listing.delivery_speed if listing is not None else DeliverySpeed.EXPRESS
    escrow, created = Escrow.objects.get_or_create(
        order=order,
        defaults={"amount": order.total, "currency": order.currency, "delivery_speed": speed, "held_at": now},
    )
    if created:
        states.record(escrow, new=escrow.state, actor=None, reason=f"order {order.number} paid")
        if listing is not None and listing.state == Listing.State.ACTIVE:
            states.transition(listing, Listing.State.SOLD, reason=f"order {order.number} paid")
    return escrow


def _start_clock(order: Order, now: datetime) -> None:
    escrow = Escrow.objects.select_for_update().filter(order=order).first()
    if escrow is None or escrow.state != State.HELD or escrow.confirm_by is not None:
        return
    escrow.confirm_by = now + confirm_days(escrow.delivery_speed)
    escrow.save(update_fields=["confirm_by"])
    states.record(
        escrow,
        old=escrow.state,
        new=escrow.state,
        reason=f"shipped: receipt auto-confirmed by {escrow.confirm_by:%Y-%m-%d %H:%M}",
    )


def _close_cancelled(order: Order, actor: User | None) -> None:
    """The order was cancelled while its money was held (not shipped in time, sold out): refunded by orders."""
    escrow = Escrow.objects.select_for_update().filter(order=order).first()
    if escrow is not None and escrow.state in (State.HELD, State.DISPUTED):
        _close(escrow, State.REFUNDED, actor=actor, reason=gettext("order cancelled; the buyer was refunded"))
    listing = _listing_of(order)
    if listing is not None and listing.state == Listing.State.SOLD and listing.expires_at > clock.now():
        states.transition(listing, Listing.State.ACTIVE, actor=actor, reason=f"order {order.number} cancelled")


def on_order_changed(sender, *, order: Order, old: str, new: str, actor=None, **kwargs) -> None:
    if order.mode != Order.Mode.C2C or not order.held_in_escrow:  # O2O holds its money per voucher or booking
        return
    now = clock.now()
    if new == OrderState.PAID:
        _hold(order, now)
    elif new == OrderState.SHIPPED:
        _start_clock(order, now)
    elif new == OrderState.CANCELLED and old != OrderState.PENDING_PAYMENT:  # an unpaid one held nothing
        _close_cancelled(order, actor)


def register() -> None:
    """Called from C2cConfig.ready()."""
    order_signals.order_changed.connect(on_order_changed, dispatch_uid="c2c.escrow")


# --- reads -----------------------------------------------------------------------------------------------------


def held_amount(order: Order) -> Money:
    """What escrow still holds for the order, from the ledger."""
    return Money(ledger.order_money(order).in_escrow, order.currency)


def _buyers_escrow(actor: User, order_id: int) -> tuple[Escrow, Order]:
    """The actor's own escrow order, locked (someone else's: 404)."""
    order = Order.objects.select_for_update().filter(pk=order_id, buyer=actor, held_in_escrow=True).first()
    if order is None:
        raise NotFound(gettext("Order not found."))
    escrow = Escrow.objects.select_for_update().filter(order=order).first()
    if escrow is None:
        raise Conflict(gettext("This order's money is not held in escrow (it is not paid)."), code=Code.NOT_ESCROWED)
    return escrow, order


def _close(escrow: Escrow, to: str, *, actor: User | None, reason: str) -> None:
    escrow.closed_at = clock.now()
    escrow.confirm_by = None
    escrow.paused_for = None
    states.transition(escrow, to, actor=actor, reason=reason)


# --- the buyer's moves -------------------------------------------------------------------------------------------


def _deliver(order: Order, actor: User | None, reason: str) -> None:
    if order.state == OrderState.SHIPPED:
        orders.advance(order=order, to=OrderState.DELIVERED, actor=actor, reason=reason)


def release(escrow: Escrow, order: Order, *, actor: User | None, reason: str, to: str = State.RELEASED) -> None:
    """Everything escrow still holds goes to the seller minus commission; the order completes. Under the locks."""
    _deliver(order, actor, reason)
    orders.advance(order=order, to=OrderState.COMPLETED, actor=actor, reason=reason)
    ledger.settle(order=order)
    _close(escrow, to, actor=actor, reason=reason)


@transaction.atomic
def confirm_receipt(*, actor: User, order_id: int) -> Escrow:
    """The buyer has the goods: escrow is released to the seller minus the platform's commission."""
    escrow, order = _buyers_escrow(actor, order_id)
    if escrow.state == State.DISPUTED:
        raise Conflict(
            gettext("A dispute is open on this order: withdraw it to confirm receipt."), code=Code.DISPUTE_OPEN
        )
    if escrow.state != State.HELD:
        raise Conflict(gettext("This order's escrow is closed already."), code=Code.ESCROW_CLOSED)
    if order.state not in (OrderState.SHIPPED, OrderState.DELIVERED):
        raise Conflict(gettext("The seller has not shipped this order yet."), code=Code.NOT_SHIPPED)
    release(escrow, order, actor=actor, reason=gettext("receipt confirmed by the buyer"))
    return escrow


@transaction.atomic
def extend(*, actor: User, order_id: int) -> Escrow:
    """The buyer needs more time before the auto-confirmation (once per order)."""
    escrow, order = _buyers_escrow(actor, order_id)
    if escrow.state != State.HELD or escrow.confirm_by is None:
        raise Conflict(gettext("There is no running receipt clock to extend."), code=Code.NOT_SHIPPED)
    if escrow.extended:
        raise Conflict(gettext("You have extended the time to confirm already."), code=Code.ALREADY_EXTENDED)
    escrow.confirm_by += extend_by()
    escrow.extended = True
    escrow.save(update_fields=["confirm_by", "extended"])
    states.record(
        escrow, old=escrow.state, new=escrow.state, actor=actor, reason="the buyer extended the time to confirm"
    )
    return escrow


# --- disputes' moves (c2c.disputes calls these under its locks) ---------------------------------------------------


def pause(escrow: Escrow, *, actor: User, reason: str, now: datetime) -> None:
    """A dispute opened: the clock stops, keeping what was left of it."""
    escrow.paused_for = (escrow.confirm_by - now) if escrow.confirm_by else None
    escrow.confirm_by = None
    states.transition(escrow, State.DISPUTED, actor=actor, reason=reason)


def resume(escrow: Escrow, *, actor: User | None, reason: str, now: datetime) -> None:
    """The dispute was withdrawn: the clock runs again with what was left (at least a day)."""
    if escrow.paused_for is not None:
        escrow.confirm_by = now + max(escrow.paused_for, timedelta(days=1))
    escrow.paused_for = None
    states.transition(escrow, State.HELD, actor=actor, reason=reason)


def refund_from_escrow(
    escrow: Escrow, order: Order, *, amount: Decimal | None, actor: User | None, reason: str, ref: str
) -> None:
    """Give `amount` (None: everything held) back to the buyer; release the rest, if any, to the seller.

    All back: the escrow is refunded and the order closed (cancelled). Part back: the escrow is split, the rest
    released and the order completed."""
    held = ledger.order_money(order).in_escrow
    amount = held if amount is None else Decimal(amount)
    if amount <= 0 or amount > held:
        raise ValidationFailed(
            gettext("Refund between 0 and %(held)s.") % {"held": Money(held, order.currency).format()}, field="amount"
        )
    orders.refund(order=order, amount=amount, ref=ref, reason=reason, actor=actor)
    if amount == held:
        orders.advance(order=order, to=OrderState.CANCELLED, actor=actor, reason=reason)
        escrow.refresh_from_db()  # the cancellation (order_changed) closed it already, under the same lock
        if escrow.state not in Escrow.CLOSED:
            _close(escrow, State.REFUNDED, actor=actor, reason=reason)
    else:
        release(escrow, order, actor=actor, reason=reason, to=State.SPLIT)


# --- the timed rule ----------------------------------------------------------------------------------------------


def sweep_auto_confirm(now: datetime | None = None) -> int:
    """Held escrows whose receipt clock ran out are released as if the buyer had confirmed. Idempotent."""
    now = now or clock.now()
    done = 0
    due = Escrow.objects.filter(state=State.HELD, confirm_by__lte=now).order_by("confirm_by")
    for order_id in list(due.values_list("order_id", flat=True)[:500]):
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)  # order, then escrow: as the buyer's moves
            escrow = Escrow.objects.select_for_update().get(order=order)
            if escrow.state != State.HELD or escrow.confirm_by is None or escrow.confirm_by > now:
                continue  # re-checked under the lock
            release(escrow, order, actor=None, reason=gettext("receipt auto-confirmed"))
            done += 1
    return done
