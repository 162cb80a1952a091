"""Orders own the order aggregate: placing it, every change of its state, its line counters and its refunds.

Placing (`place_orders` / `place_order`) takes lines at GIVEN prices and the price breakdown as adjustments, from
plain dataclasses (`OrderIn`, `LineIn`, `AdjustmentIn`) that know nothing of carts: checkout calls it for a cart
today; accepted quotes, offers and deal purchases will call it too. `Order.mode` picks the policies
(`orders.policies`): the payment timeout, whether stock is held meanwhile, what a payment that arrives after the
goods sold out does, the ship-by deadline.

The money and stock side effects of a state change live here too, so every caller (checkout, fulfilment,
after-sales, the sweeps) gets the same behaviour:

    held       a registered placement gate (B2B: a purchaser over the spending limit) holds a new order for
               approval: `approve_held` moves it on, `reject_held` cancels it
    confirmed  on credit payment terms (`orders.terms`): the stock is taken and the order ships unpaid; the
               invoice on terms records the sale in the ledger
    paid       reservations committed, ledger `record_sale`, ship-by deadline set
    cancelled  held stock released (unpaid) or put back (paid, unshipped units), the paid amount refunded
               (`refund`), promotion usage given back
    completed  ledger `settle` (the seller's net becomes payable); held back while any registered completion
               blocker (e.g. after-sales' open returns) says so

Other apps never write orders' tables: they call `record_shipped` / `record_returned` (guarded counters) and
`refund` (provider, ledger and `refunded_total`, never over the total).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet
from django.utils.translation import gettext, gettext_lazy

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import can
from tradeloop.catalog.models import Variant
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.core.money import Money, check_currency, quantize
from tradeloop.core.quantities import require_units
from tradeloop.core.transactions import one_transaction
from tradeloop.inventory import services as inventory
from tradeloop.ledger import services as ledger
from tradeloop.orders import signals
from tradeloop.orders.models import Adjustment, Order, OrderLine
from tradeloop.orders.policies import REFUND_AND_CANCEL, policy_for
from tradeloop.orders.terms import parse_terms
from tradeloop.payments import services as payments
from tradeloop.payments.models import Refund
from tradeloop.promotions import services as promotions

State = Order.State
STAMPS = {
    State.CONFIRMED: "confirmed_at",
    State.PAID: "paid_at",
    State.SHIPPED: "shipped_at",
    State.DELIVERED: "delivered_at",
    State.COMPLETED: "completed_at",
    State.CANCELLED: "cancelled_at",
}
NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
ZERO = Decimal(0)


def new_number() -> str:
    """A human order number, e.g. 250301-7KQ2MX (date + 6 random characters)."""
    return f"{clock.now():%y%m%d}-{''.join(secrets.choice(NUMBER_ALPHABET) for _ in range(6))}"


def line_ref(line: OrderLine | int) -> str:
    """The stock reservation ref of an order line."""
    return f"order-line:{getattr(line, 'pk', line)}"


def order_ref(order: Order) -> str:
    """The promotions redemption ref of an order."""
    return f"order:{order.pk}"


def ship_by(order: Order, now: datetime) -> datetime | None:
    """The mode's ship-by deadline from `now`; None for a mode that ships nothing (O2O)."""
    within = policy_for(order.mode).ship_within()
    return None if within is None else now + within


@transaction.atomic
def advance(*, order: Order, to: str, actor: User | None = None, reason: str = "") -> Order:
    """Move an order to `to` (checked against Order.ALLOWED, recorded as an event) and stamp the time.

    The state is re-read under a row lock, so two concurrent moves cannot both succeed."""
    order.state = old = Order.objects.select_for_update().values_list("state", flat=True).get(pk=order.pk)
    now = clock.now()
    if stamp := STAMPS.get(to):
        setattr(order, stamp, now)
    if to in (State.PAID, State.CONFIRMED):
        order.ship_by = ship_by(order, now)
    states.transition(order, to, actor=actor, reason=reason)
    signals.order_changed.send(sender=Order, order=order, old=old, new=to, actor=actor)
    return order


# ---------- placing ----------


@dataclass(frozen=True)
class LineIn:
    """One line at a GIVEN price: the caller (a cart, an accepted quote or offer, a deal) agreed what it costs."""

    variant: Variant
    quantity: int
    unit_price: Decimal
    discount: Decimal = ZERO  # all taken off this line, its share of order-wide discounts included (>= 0)
    title: str = ""  # the snapshot shown on the order; default: the product's title
    variant_name: str = ""  # default: the variant's name
    return_window_days: int | None = None  # default: the product's

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class AdjustmentIn:
    """One line of the price breakdown: a discount (negative) or a shipping charge (positive)."""

    kind: str  # Adjustment.Kind
    label: str
    amount: Decimal
    line_index: int | None = None  # the LineIn it belongs to; None: the order as a whole
    code: str = ""
    promotion_id: int | None = None


@dataclass
class OrderIn:
    """What one order is to be: who trades, in which mode, the lines and the breakdown. Totals are derived."""

    buyer: User
    seller: Organization
    mode: str
    currency: str
    lines: list[LineIn]
    adjustments: list[AdjustmentIn] = field(default_factory=list)
    buyer_org: Organization | None = None
    shipping_address: dict = field(default_factory=dict)
    shipping_method: str = ""
    checkout_ref: str = ""
    payment_due_at: datetime | None = None  # default: placed + the mode's payment timeout
    commission_rate: Decimal | None = None  # default: the seller's rate for the largest line's category
    note: str = ""
    payment_terms: str = ""  # an orders.terms code; on credit terms the order is confirmed without payment

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    def adjusted(self, kind: str) -> Decimal:
        return sum((a.amount for a in self.adjustments if a.kind == kind), ZERO)

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.adjusted(Adjustment.Kind.DISCOUNT) + self.adjusted(Adjustment.Kind.SHIPPING)


def _check_line(index: int, line: LineIn) -> None:
    where = f"lines.{index}"
    require_units(line.quantity, field=f"{where}.quantity")
    if line.unit_price < 0 or not 0 <= line.discount <= line.amount:
        raise ValidationFailed(gettext("A price cannot be negative."), field=f"{where}.unit_price")


def _check_adjustment(index: int, adjustment: AdjustmentIn, lines: int) -> None:
    where = f"adjustments.{index}"
    sign_ok = {Adjustment.Kind.DISCOUNT: adjustment.amount <= 0, Adjustment.Kind.SHIPPING: adjustment.amount >= 0}
    if not sign_ok.get(adjustment.kind, False):
        raise ValidationFailed(gettext("A discount is negative, a shipping charge positive."), field=where)
    if adjustment.line_index is not None and not 0 <= adjustment.line_index < lines:
        raise ValidationFailed(gettext("The adjustment names a line the order does not have."), field=where)


def _checked_terms(wanted: OrderIn) -> str:
    terms = parse_terms(wanted.payment_terms)
    if not policy_for(wanted.mode).allows_terms:
        if terms.on_credit:
            raise ValidationFailed(
                gettext("Orders of this mode are paid before shipping."), field="payment_terms", code="bad_terms"
            )
        return ""
    return terms.code


def _checked(wanted: OrderIn) -> OrderIn:
    wanted.payment_terms = _checked_terms(wanted)
    wanted.currency = check_currency(wanted.currency)
    if not wanted.lines:
        raise ValidationFailed(gettext("An order needs at least one line."), field="lines")
    for index, line in enumerate(wanted.lines):
        _check_line(index, line)
    for index, adjustment in enumerate(wanted.adjustments):
        _check_adjustment(index, adjustment, len(wanted.lines))
    if wanted.total < 0:
        raise ValidationFailed(gettext("The discounts come to more than the order."), field="adjustments")
    return wanted


def _commission_rate(wanted: OrderIn) -> Decimal:
    """The take rate of the largest line's category (one rate per order), unless the caller gave one."""
    if wanted.commission_rate is not None:
        return Decimal(wanted.commission_rate)
    biggest = max(wanted.lines, key=lambda line: line.amount)  # max keeps the first of equals
    return payments.commission_rate(seller=wanted.seller, category=biggest.variant.product.category)


def _payment_due(wanted: OrderIn, placed_at: datetime) -> datetime:
    """Prepay: the payment deadline. On credit: the approval deadline, in case a placement gate holds it."""
    policy = policy_for(wanted.mode)
    if parse_terms(wanted.payment_terms).on_credit:
        return placed_at + policy.approval_timeout()
    return wanted.payment_due_at or placed_at + policy.payment_timeout()


def _new_order(wanted: OrderIn, *, placed_at: datetime) -> Order:
    return Order(
        number=new_number(),
        mode=wanted.mode,
        buyer=wanted.buyer,
        buyer_org=wanted.buyer_org,
        seller=wanted.seller,
        checkout_ref=wanted.checkout_ref,
        currency=wanted.currency,
        subtotal=wanted.subtotal,
        discount_total=-wanted.adjusted(Adjustment.Kind.DISCOUNT),
        shipping_total=wanted.adjusted(Adjustment.Kind.SHIPPING),
        total=wanted.total,
        commission_rate=_commission_rate(wanted),
        shipping_address=wanted.shipping_address,
        shipping_method=wanted.shipping_method[:120],
        note=wanted.note[:500],
        placed_at=placed_at,
        payment_due_at=_payment_due(wanted, placed_at),
        payment_terms=wanted.payment_terms,
        held_in_escrow=policy_for(wanted.mode).escrow,
    )


def _create_orders(wanted: list[OrderIn], placed_at: datetime) -> list[Order]:
    for _attempt in range(3):  # an order number clash (1 in 10^9 per day) just draws again
        try:
            with transaction.atomic():
                return Order.objects.bulk_create([_new_order(w, placed_at=placed_at) for w in wanted])
        except IntegrityError:
            continue
    raise Conflict(gettext("Could not number the orders; please try again."), code="numbering_failed")


def _new_line(order: Order, line: LineIn) -> OrderLine:
    variant = line.variant
    window = line.return_window_days
    return OrderLine(
        order=order,
        variant=variant,
        product_title=(line.title or variant.product.display_title)[:200],
        variant_name=(line.variant_name or variant.display_name)[:120],
        sku=variant.sku,
        quantity=line.quantity,
        unit_price=line.unit_price,
        discount=line.discount,
        line_total=line.amount - line.discount,
        weight_grams=variant.weight_grams * line.quantity,
        return_window_days=variant.product.effective_return_window_days if window is None else window,
    )


def _new_adjustment(order: Order, lines: list[OrderLine], a: AdjustmentIn) -> Adjustment:
    return Adjustment(
        order=order,
        line=lines[a.line_index] if a.line_index is not None else None,
        kind=a.kind,
        label=str(a.label)[:160],
        code=a.code or "",
        promotion_id=a.promotion_id,
        amount=a.amount,
    )


def _reserve(placed: list[Order], lines: list[list[OrderLine]]) -> None:
    """Stock held until each order's payment is due, for the modes that hold it; all or nothing."""
    by_due: dict[datetime, list[inventory.ReserveItem]] = defaultdict(list)
    for order, order_lines in zip(placed, lines, strict=True):
        if policy_for(order.mode).reserves_stock:
            by_due[order.payment_due_at] += [
                inventory.ReserveItem(line.variant_id, line.quantity, line_ref(line)) for line in order_lines
            ]
    for until, items in by_due.items():
        inventory.reserve_many(items=items, until=until)


# Apps above orders register what may hold or refuse a new order (B2B: the spending limit holds it for approval,
# the credit limit refuses it). A gate sees the order with its lines written and its stock held, inside the placing
# transaction: it returns why the order waits for approval, or None; raising a DomainError places nothing.
PlacementGate = Callable[[Order, User | None], str | None]
_placement_gates: dict[str, PlacementGate] = {}


def register_placement_gate(name: str, gate: PlacementGate) -> None:
    """Called from an AppConfig.ready(); registering a name again replaces it."""
    _placement_gates[name] = gate


def _hold_reason(order: Order, actor: User | None) -> str:
    reasons = [reason for gate in _placement_gates.values() if (reason := gate(order, actor))]
    return "; ".join(reasons)


def _take_stock(order: Order) -> None:
    """The order's reserved units leave stock; a reservation that lapsed meanwhile is made again first
    (`inventory.OutOfStock` if the units are gone)."""
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


def _confirm_on_terms(order: Order, now: datetime) -> None:
    """On credit terms: the goods are the buyer's now (stock taken), to ship by the mode's deadline."""
    _take_stock(order)
    order.state, order.confirmed_at = State.CONFIRMED, now
    order.ship_by = ship_by(order, now)


def _open(order: Order, actor: User | None, now: datetime) -> None:
    """The state a new order starts in: held for approval, confirmed on credit terms, or awaiting payment."""
    if hold := _hold_reason(order, actor):
        order.state, order._hold_reason = State.AWAITING_APPROVAL, hold
    elif parse_terms(order.payment_terms).on_credit:
        _confirm_on_terms(order, now)
    else:
        return
    Order.objects.filter(pk=order.pk).update(state=order.state, confirmed_at=order.confirmed_at, ship_by=order.ship_by)


def _placed_reason(order: Order) -> str:
    held = getattr(order, "_hold_reason", "")
    if held:
        return gettext("order placed, waiting for approval: %(why)s") % {"why": held}
    if order.state == State.CONFIRMED:
        return gettext("order placed on payment terms")
    return gettext("order placed")


@one_transaction()
def place_orders(wanted: list[OrderIn], *, actor: User | None, now: datetime | None = None) -> list[Order]:
    """Place several orders at once (a checkout: one per seller), in one transaction and a fixed number of queries.

    Each order gets a number (a clash draws again), its lines and adjustments as given, the stock its mode holds
    (`inventory.OutOfStock` if any line cannot be held: nothing is placed), a "placed" event, and `order_changed`.
    """
    if not wanted:
        raise ValidationFailed(gettext("Nothing to order."), field="lines")
    wanted = [_checked(w) for w in wanted]
    placed_at = now or clock.now()
    placed = _create_orders(wanted, placed_at)
    lines = [[_new_line(order, line) for line in w.lines] for w, order in zip(wanted, placed, strict=True)]
    OrderLine.objects.bulk_create([line for order_lines in lines for line in order_lines])
    Adjustment.objects.bulk_create(
        _new_adjustment(order, order_lines, a)
        for w, order, order_lines in zip(wanted, placed, lines, strict=True)
        for a in w.adjustments
    )
    _reserve(placed, lines)
    for order in placed:
        _open(order, actor, placed_at)
    for reason in {_placed_reason(order) for order in placed}:
        same = [order for order in placed if _placed_reason(order) == reason]
        states.record_many(same, actor=actor, reason=reason, at=placed_at)
    for order in placed:
        signals.order_changed.send(sender=Order, order=order, old="", new=order.state, actor=actor)
    return placed


def place_order(*, actor: User | None, now: datetime | None = None, **order_in) -> Order:
    """Place one order: `order_in` are OrderIn's fields (buyer, seller, mode, currency, lines, adjustments, …)."""
    return place_orders([OrderIn(**order_in)], actor=actor, now=now)[0]


# ---------- paid ----------


@transaction.atomic
def mark_paid(*, order: Order, actor: User | None = None, reason: str = "") -> Order:
    """The order's payment was captured: take the reserved stock, record the sale in the ledger.

    If a reservation lapsed before the money came (a slow payment), the units are reserved again; if they are gone,
    `inventory.OutOfStock` is raised (`take_payment` then applies the mode's sold-out policy).
    """
    _take_stock(order)
    advance(order=order, to=State.PAID, actor=actor, reason=reason or gettext("payment received"))
    ledger.record_sale(order=order)
    return order


def _refund_and_cancel(order: Order, actor: User | None) -> None:
    """The reservation lapsed and the units sold meanwhile: paid, then cancelled with the money back, on record."""
    order.state = State.PENDING_PAYMENT  # mark_paid's savepoint was rolled back
    advance(order=order, to=State.PAID, actor=actor, reason=gettext("payment received"))
    ledger.record_sale(order=order)
    cancel(order=order, actor=None, reason=gettext("sold out before the payment arrived"))


SOLD_OUT_AT_CAPTURE: dict[str, Callable[[Order, User | None], None]] = {REFUND_AND_CANCEL: _refund_and_cancel}


def _give_back_unpaid_share(order: Order, payment) -> None:
    """The order was cancelled (not paid in time) before the money came: its share of the payment goes back.

    Nothing was sold, so no order money moves: `payments.refund` records the refund against the payment received
    (ledger `payment:<id>:…`)."""
    if payment is not None and order.total > 0:
        payments.refund(
            payment=payment,
            amount=Money(order.total, order.currency),
            ref=f"order:{order.pk}:cancelled-unpaid",
            reason=gettext("the order was cancelled before the payment arrived"),
        )


@transaction.atomic
def take_payment(*, order: Order, payment, actor: User | None = None) -> Order:
    """A payment for this order was captured. Awaiting payment: the order is paid (`mark_paid`). The goods sold
    out meanwhile: the mode's `sold_out_at_capture` policy (B2C: paid, cancelled, refunded). Already cancelled:
    its share of the payment goes back. Any other state: it was paid already, nothing happens."""
    order.state = Order.objects.select_for_update().values_list("state", flat=True).get(pk=order.pk)
    if order.state == State.PENDING_PAYMENT:
        try:
            with transaction.atomic():
                mark_paid(order=order, actor=actor)
        except inventory.OutOfStock:
            SOLD_OUT_AT_CAPTURE[policy_for(order.mode).sold_out_at_capture](order, actor)
    elif order.state == State.CANCELLED:
        _give_back_unpaid_share(order, payment)
    return order


# ---------- held for approval ----------


def _locked_held(order: Order) -> Order:
    order.state = Order.objects.select_for_update().values_list("state", flat=True).get(pk=order.pk)
    if order.state != State.AWAITING_APPROVAL:
        raise Conflict(gettext("This order is not waiting for approval."), code="not_held", field="state")
    return order


@transaction.atomic
def approve_held(*, order: Order, actor: User | None, comment: str = "") -> Order:
    """A held order is approved (who may approve is the holder's rule, checked by its caller): on credit terms it is
    confirmed (stock taken), otherwise it waits for its payment from now on."""
    _locked_held(order)
    reason = gettext("approved") + (f": {comment.strip()}" if comment.strip() else "")
    if parse_terms(order.payment_terms).on_credit:
        _take_stock(order)
        return advance(order=order, to=State.CONFIRMED, actor=actor, reason=reason)
    order.payment_due_at = clock.now() + policy_for(order.mode).payment_timeout()
    return advance(order=order, to=State.PENDING_PAYMENT, actor=actor, reason=reason)


@transaction.atomic
def reject_held(*, order: Order, actor: User | None, comment: str = "") -> Order:
    """A held order is rejected: it is cancelled, its stock and promotion usage come back."""
    _locked_held(order)
    reason = gettext("rejected") + (f": {comment.strip()}" if comment.strip() else "")
    return _cancel_held(order, actor, reason)


def _cancel_held(order: Order, actor: User | None, reason: str) -> Order:
    """Nothing was taken yet: the held stock is released, the promotion usage given back."""
    lines = list(order.lines.all())
    inventory.release(ref=[line_ref(line) for line in lines])
    _release_promotions(order)
    return advance(order=order, to=State.CANCELLED, actor=actor, reason=reason)


# ---------- refunds and line counters ----------


def _refund_money(order: Order, amount) -> Money:
    money = amount if isinstance(amount, Money) else Money(Decimal(amount), order.currency)
    if money.currency != order.currency:
        raise ValidationFailed(
            gettext("The order is in %(currency)s.") % {"currency": order.currency}, field="currency"
        )
    money = money.rounded()
    if money.amount <= 0:
        raise ValidationFailed(gettext("A refund must be more than zero."), field="amount")
    return money


def _raise_refunded_total(order: Order, amount: Decimal) -> None:
    """Guarded: two refunds at once can never give back more than the order's total."""
    raised = Order.objects.filter(pk=order.pk, refunded_total__lte=F("total") - amount).update(
        refunded_total=F("refunded_total") + amount
    )
    order.refresh_from_db(fields=["refunded_total", "total"])
    if not raised:
        left = Money(order.total - order.refunded_total, order.currency)
        raise Conflict(
            gettext("Only %(left)s of this order is left to refund.") % {"left": left.format()},
            code="refund_too_large",
            field="amount",
        )


@transaction.atomic
def refund(*, order: Order, amount, ref: str, reason: str, actor: User | None = None) -> Refund | None:
    """Give `amount` of a paid order back: the order's `refunded_total` (never over its total), the payment
    provider (payment ref `order:<id>:<ref>`), the ledger (`order:<id>:refund:<ref>`), and a timeline event.

    `ref` names the cause, unique within the order ("cancelled", "return:7"): repeating it changes nothing and
    answers the first refund. A refusal by the provider rolls everything back (409 refund_failed). Returns the
    payments Refund (succeeded, or pending until the provider's webhook), or None for an order paid by no payment.
    """
    money = _refund_money(order, amount)
    if order.paid_at is None and parse_terms(order.payment_terms).on_credit:
        raise Conflict(
            gettext("This order is on payment terms: correct its invoice instead of refunding."),
            code="on_terms",
        )
    reason = (reason or gettext("refund")).strip()
    Order.objects.select_for_update().filter(pk=order.pk).values_list("pk", flat=True).first()
    if ledger.transaction_for(f"order:{order.pk}:refund:{ref}") is not None:  # this cause was refunded already
        return Refund.objects.filter(ref=f"order:{order.pk}:{ref}").first()
    _raise_refunded_total(order, money.amount)
    made = None
    if order.payment_id:
        made = payments.refund(payment=order.payment, amount=money, ref=f"order:{order.pk}:{ref}", reason=reason)
        if made.state == Refund.State.FAILED:
            raise Conflict(gettext("The payment provider refused the refund; try again later."), code="refund_failed")
    ledger.record_refund(order=order, amount=money, ref=ref)
    signals.order_refunded.send(sender=Order, order=order, amount=money, ref=ref)
    states.record(
        order,
        old=order.state,
        new=order.state,
        actor=actor,
        reason=gettext("%(amount)s refunded: %(reason)s") % {"amount": money.format(), "reason": reason},
    )
    return made


def _count(line: OrderLine | int, counter: str, quantity: int, *, message: str, code: str) -> None:
    """Adds `quantity` (may be negative) to a line counter, guarded: 0 <= counter <= quantity ordered."""
    line_id = getattr(line, "pk", line)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity == 0:
        raise ValidationFailed(gettext("Choose at least one unit."), field=f"lines.{line_id}")
    guard = {f"{counter}__lte": F("quantity") - quantity} if quantity > 0 else {f"{counter}__gte": -quantity}
    if not OrderLine.objects.filter(pk=line_id, **guard).update(**{counter: F(counter) + quantity}):
        raise Conflict(message, code=code, field=f"lines.{line_id}")
    if isinstance(line, OrderLine):
        line.refresh_from_db(fields=[counter])


def record_shipped(line: OrderLine | int, quantity: int) -> None:
    """`quantity` more units of the line left in a parcel; never more shipped than ordered, even at once."""
    _count(line, "quantity_shipped", quantity, message=gettext("More units than were ordered."), code="over_shipped")


def record_returned(line: OrderLine | int, quantity: int) -> None:
    """`quantity` more units of the line are claimed by a return; never more than were bought, even at once.

    A negative quantity gives claimed units back (a return rejected or withdrawn), never below zero."""
    _count(line, "quantity_returned", quantity, message=gettext("More units than were bought."), code="too_many")


# ---------- cancelled ----------

CANCELLABLE = (State.AWAITING_APPROVAL, State.PENDING_PAYMENT, State.CONFIRMED, State.PAID, State.PARTIALLY_SHIPPED)
BUYER_CANCELLABLE = (State.AWAITING_APPROVAL, State.PENDING_PAYMENT, State.CONFIRMED, State.PAID)
STOCK_NOT_TAKEN = (State.AWAITING_APPROVAL, State.PENDING_PAYMENT)


def _may_cancel(order: Order, actor: User | None) -> None:
    if actor is None:  # the platform: a sweep, a failed payment
        return
    if order.buyer_id == actor.pk and order.state in BUYER_CANCELLABLE:
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
    inventory.release(ref=[line_ref(line) for line in lines])
    if order.state not in STOCK_NOT_TAKEN:
        _put_back_stock(order, lines, actor)
    if order.paid_at is not None and (due := _refund_due(order, lines)) > 0:
        refund(order=order, amount=due, ref="cancelled", reason=reason or gettext("order cancelled"), actor=actor)
    _release_promotions(order)
    return advance(order=order, to=State.CANCELLED, actor=actor, reason=reason)


# ---------- timed rules ----------


def _due(qs: QuerySet[Order], limit: int = 500) -> list[int]:
    return list(qs.values_list("pk", flat=True)[:limit])


WAITING = {
    State.PENDING_PAYMENT: gettext_lazy("not paid in time"),
    State.AWAITING_APPROVAL: gettext_lazy("not approved in time"),
}


def sweep_unpaid_orders(now: datetime | None = None) -> int:
    """Cancel orders still unpaid after their payment time, or still unapproved after their approval time: their
    stock and promotion usage come back."""
    now = now or clock.now()
    done = 0
    for order_id in _due(Order.objects.filter(state__in=list(WAITING), payment_due_at__lte=now)):
        with transaction.atomic():
            order = Order.objects.select_for_update().filter(pk=order_id).first()
            if order and order.state in WAITING and order.payment_due_at <= now:  # re-checked under the lock
                cancel(order=order, actor=None, reason=str(WAITING[order.state]))
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


# Apps above orders register what holds a delivered order open (after-sales: an open return), so that orders
# never needs to know their states. A blocker narrows a queryset of orders to the ones it does NOT hold.
CompletionBlocker = Callable[[QuerySet[Order]], QuerySet[Order]]
_completion_blockers: dict[str, CompletionBlocker] = {}


def register_completion_blocker(name: str, blocker: CompletionBlocker) -> None:
    """Called from an AppConfig.ready(); registering a name again replaces it."""
    _completion_blockers[name] = blocker


def _not_held(qs: QuerySet[Order]) -> QuerySet[Order]:
    qs = qs.filter(held_in_escrow=False)  # escrow orders complete when their mode releases the money
    for blocker in _completion_blockers.values():
        qs = blocker(qs)
    return qs


def sweep_completed_orders(now: datetime | None = None) -> int:
    """Delivered orders whose return window has passed (and that no completion blocker holds) complete; the
    seller is settled."""
    now = now or clock.now()
    delivered = _not_held(Order.objects.filter(state=State.DELIVERED, delivered_at__lte=now))
    done = 0
    for order_id in _due(_past_return_window(delivered, now).order_by("delivered_at")):
        with transaction.atomic():
            order = Order.objects.select_for_update().filter(pk=order_id).first()
            if not order or order.state != State.DELIVERED or not _return_window_over(order, now):
                continue  # re-checked under the lock
            if not _not_held(Order.objects.filter(pk=order.pk)).exists():
                continue
            advance(order=order, to=State.COMPLETED, reason=gettext("return window over"))
            ledger.settle(order=order)
            done += 1
    return done
