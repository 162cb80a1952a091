"""Fulfilment: what shipping costs (quote), the seller's shipping methods, shipments and carrier updates, ship-by deadlines.

`quote` (at the top) belongs to checkout's pricing; everything below is the seller's side of getting goods to the buyer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.core.money import Money, parse_amount, quantize
from tradeloop.fulfilment import signals
from tradeloop.fulfilment.models import Shipment, ShipmentLine, ShippingMethod
from tradeloop.fulfilment.selectors import SHIPPING_CAPABILITY
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order, OrderLine

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------------------------------
# Quote: what a shipping method costs for an order (checkout's side, see issue 3 / b2c.md)
# ---------------------------------------------------------------------------------------------------------------------


def _band_rate(method: ShippingMethod, measure: Decimal) -> Decimal:
    """The rate of the first band whose `up_to` covers `measure`; above the last band, the method's own rate."""
    for band in method.bands or ():
        if measure <= Decimal(str(band["up_to"])):
            return Decimal(str(band["rate"]))
    return Decimal(method.rate)


def quote(*, method: ShippingMethod, lines_weight_grams: int, subtotal: Money) -> Money:
    """What `method` charges for goods weighing `lines_weight_grams` and worth `subtotal` (no queries).

    Flat: the rate. By weight / by order value: the first band that covers the weight / the subtotal, else the
    rate. Free when the subtotal reaches `free_over`.
    """
    if subtotal.currency != method.currency:
        raise ValidationFailed(
            gettext("%(method)s charges in %(currency)s.") % {"method": method.name, "currency": method.currency},
            field="shipping",
        )
    if method.free_over is not None and subtotal.amount >= method.free_over:
        return Money(Decimal(0), method.currency)
    if method.kind == ShippingMethod.Kind.WEIGHT:
        rate = _band_rate(method, Decimal(max(lines_weight_grams, 0)))
    elif method.kind == ShippingMethod.Kind.PRICE:
        rate = _band_rate(method, subtotal.amount)
    else:
        rate = Decimal(method.rate)
    return Money(quantize(rate, method.currency), method.currency)


# ---------------------------------------------------------------------------------------------------------------------
# Shipping methods: a seller's price list for delivery (flat rate, weight bands, order-value bands, free over a sum)
# ---------------------------------------------------------------------------------------------------------------------

MAX_BANDS = 20
MAX_DELIVERY_DAYS = 365
MAX_AMOUNT = Decimal("99999999999999")  # what DECIMAL(18, 4) holds


@dataclass
class ShippingMethodInput:
    name: str
    kind: str = ShippingMethod.Kind.FLAT
    rate: Decimal | str | int = 0
    bands: list[dict] = field(default_factory=list)  # [{"up_to": 1000, "rate": "8.00"}, …]
    free_over: Decimal | str | int | None = None
    delivery_days: int = 3
    is_active: bool = True
    position: int = 0


def _money(value: object, *, field: str, currency: str) -> Decimal:
    amount = parse_amount(value, field=field)
    if amount < 0:
        raise ValidationFailed(f"{field} cannot be negative", field=field)
    if amount > MAX_AMOUNT:
        raise ValidationFailed(f"{field} is too large", field=field)
    return quantize(amount, currency)


def _band_limit(value: object, *, kind: str, field: str, currency: str) -> Decimal | int:
    """A band's upper bound: whole grams for weight bands, an amount for order-value bands; always above zero."""
    limit = parse_amount(value, field=field)
    if limit <= 0:
        raise ValidationFailed(f"{field} must be above zero", field=field)
    if kind == ShippingMethod.Kind.WEIGHT:
        if limit != limit.to_integral_value() or limit > 2**31 - 1:
            raise ValidationFailed(f"{field} must be a whole number of grams", field=field)
        return int(limit)
    if limit > MAX_AMOUNT:
        raise ValidationFailed(f"{field} is too large", field=field)
    return quantize(limit, currency)


def clean_bands(kind: str, bands: object, *, currency: str) -> list[dict]:
    """Bands as stored: ascending `up_to` (grams or order value), non-negative rates. A flat rate has none."""
    if kind == ShippingMethod.Kind.FLAT:
        return []
    if not isinstance(bands, list | tuple):
        raise ValidationFailed("bands must be a list of {up_to, rate}", field="bands")
    if len(bands) > MAX_BANDS:
        raise ValidationFailed(f"at most {MAX_BANDS} bands", field="bands")
    if not bands:
        raise ValidationFailed("add at least one band (or choose a flat rate)", field="bands")
    cleaned: list[dict] = []
    for i, band in enumerate(bands):
        if not isinstance(band, dict) or set(band) != {"up_to", "rate"}:
            raise ValidationFailed("each band needs up_to and rate", field=f"bands.{i}")
        up_to = _band_limit(band["up_to"], kind=kind, field=f"bands.{i}.up_to", currency=currency)
        if cleaned and Decimal(up_to) <= Decimal(cleaned[-1]["up_to"]):
            raise ValidationFailed("bands must go up: each up_to above the one before", field=f"bands.{i}.up_to")
        rate = _money(band["rate"], field=f"bands.{i}.rate", currency=currency)
        cleaned.append({"up_to": up_to if isinstance(up_to, int) else str(up_to), "rate": str(rate)})
    return cleaned


def _clean_method(data: ShippingMethodInput, *, currency: str) -> dict:
    name = (data.name or "").strip()
    if not name:
        raise ValidationFailed("name is required", field="name")
    if len(name) > 120:
        raise ValidationFailed("name is longer than 120 characters", field="name")
    if data.kind not in ShippingMethod.Kind.values:
        raise ValidationFailed(f"unknown pricing {data.kind!r}", field="kind")
    try:
        days = int(data.delivery_days)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("delivery days must be a whole number", field="delivery_days") from exc
    if not 0 <= days <= MAX_DELIVERY_DAYS:
        raise ValidationFailed(f"delivery days must be between 0 and {MAX_DELIVERY_DAYS}", field="delivery_days")
    free_over = data.free_over
    return {
        "name": name,
        "kind": data.kind,
        "rate": _money(data.rate, field="rate", currency=currency),
        "bands": clean_bands(data.kind, data.bands, currency=currency),
        "free_over": None if free_over in (None, "") else _money(free_over, field="free_over", currency=currency),
        "delivery_days": days,
        "is_active": bool(data.is_active),
        "position": max(0, min(int(data.position or 0), 32767)),
    }


def seller_shipping_method(*, actor: User, method_id: int) -> ShippingMethod:
    """A shipping method the actor may manage; another tenant's answers 404."""
    method = ShippingMethod.objects.select_related("seller").filter(pk=method_id).first()
    if method is None:
        raise NotFound("shipping method not found")
    try:
        require(actor, method.seller, SHIPPING_CAPABILITY)
    except NotFound as exc:
        raise NotFound("shipping method not found") from exc
    return method


@transaction.atomic
def create_shipping_method(*, actor: User, seller: Organization, data: ShippingMethodInput) -> ShippingMethod:
    require(actor, seller, SHIPPING_CAPABILITY)
    if not seller.sells:
        raise ValidationFailed("this organization does not sell", field="seller")
    method = ShippingMethod.objects.create(
        seller=seller, currency=seller.currency, **_clean_method(data, currency=seller.currency)
    )
    states.record(method, new="created", actor=actor, reason=method.name)
    return method


@transaction.atomic
def update_shipping_method(*, actor: User, method_id: int, data: ShippingMethodInput) -> ShippingMethod:
    method = seller_shipping_method(actor=actor, method_id=method_id)
    for name, value in _clean_method(data, currency=method.currency).items():
        setattr(method, name, value)
    method.save()
    states.record(method, new="updated", actor=actor, reason=method.name)
    return method


@transaction.atomic
def delete_shipping_method(*, actor: User, method_id: int) -> None:
    """Orders keep the method's name, not a link to it, so deleting one never touches an order."""
    method = seller_shipping_method(actor=actor, method_id=method_id)
    states.record(
        method, old="active" if method.is_active else "inactive", new="deleted", actor=actor, reason=method.name
    )
    method.delete()


# ---------------------------------------------------------------------------------------------------------------------
# Shipments: staff with orders.fulfil ship lines (partial shipments allowed); carriers report progress
# ---------------------------------------------------------------------------------------------------------------------

SHIPPABLE = (Order.State.PAID, Order.State.CONFIRMED, Order.State.PARTIALLY_SHIPPED)
CARRIER_STATUSES = {
    "in_transit": Shipment.State.IN_TRANSIT,
    "delivered": Shipment.State.DELIVERED,
    "exception": Shipment.State.EXCEPTION,
}


def _seller_order(actor: User, order: Order, capability: str) -> None:
    try:
        require(actor, order.seller_id, capability)
    except NotFound as exc:
        raise NotFound(gettext("Order not found.")) from exc


def _label(value: str | None, *, field: str, max_length: int) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ValidationFailed(gettext("This field is required."), field=field)
    if len(value) > max_length:
        raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": max_length}, field=field)
    return value


def _quantities(order_lines: dict[int, OrderLine], wanted: dict[int, int] | None) -> dict[int, int]:
    """{line id: units} to ship; None or {} ships every unit not shipped yet."""
    if not wanted:
        wanted = {pk: line.quantity - line.quantity_shipped for pk, line in order_lines.items()}
        wanted = {pk: q for pk, q in wanted.items() if q > 0}
        if not wanted:
            raise Conflict(gettext("Everything in this order has been shipped."), field="lines")
        return wanted
    out: dict[int, int] = {}
    for raw_id, raw_qty in wanted.items():
        try:
            line_id, quantity = int(raw_id), int(raw_qty)
        except (TypeError, ValueError) as exc:
            raise ValidationFailed(gettext("Quantities must be whole numbers."), field="lines") from exc
        line = order_lines.get(line_id)
        if line is None:
            raise ValidationFailed(gettext("Line %(id)s is not in this order.") % {"id": raw_id}, field="lines")
        if quantity < 0:
            raise ValidationFailed(gettext("Quantities cannot be negative."), field=f"lines.{line_id}")
        if quantity > line.quantity - line.quantity_shipped:
            raise Conflict(
                gettext("Only %(left)s of %(sku)s are left to ship.")
                % {"left": line.quantity - line.quantity_shipped, "sku": line.sku},
                code="over_shipped",
                field=f"lines.{line_id}",
            )
        if quantity:
            out[line_id] = quantity
    if not out:
        raise ValidationFailed(gettext("Choose at least one unit to ship."), field="lines")
    return out


@transaction.atomic
def ship(*, actor: User, order: Order, lines: dict[int, int] | None, carrier: str, tracking_number: str) -> Shipment:
    """Ship units of an order's lines under one tracking number; the order becomes partially shipped or shipped.

    Stock was taken when the order was paid (inventory.commit); shipping does not touch it."""
    _seller_order(actor, order, "orders.fulfil")
    carrier = _label(carrier, field="carrier", max_length=60)
    tracking_number = _label(tracking_number, field="tracking_number", max_length=80)
    order.state = Order.objects.select_for_update().values_list("state", flat=True).get(pk=order.pk)
    if order.state not in SHIPPABLE:
        raise Conflict(
            gettext("An order that is %(state)s cannot be shipped.") % {"state": Order.State(order.state).label},
            code="illegal_transition",
            field="state",
        )
    if Shipment.objects.filter(carrier=carrier, tracking_number=tracking_number).exists():
        raise Conflict(gettext("This tracking number is already in use."), code="duplicate", field="tracking_number")
    order_lines = {line.pk: line for line in order.lines.all()}
    quantities = _quantities(order_lines, lines)
    for line_id, quantity in sorted(quantities.items()):
        orders.record_shipped(line_id, quantity)  # guarded: never more shipped than ordered, even at once
    try:
        with transaction.atomic():  # a savepoint: the same number registered concurrently is a clear 409
            shipment = Shipment.objects.create(
                order=order, carrier=carrier, tracking_number=tracking_number, shipped_by=actor, shipped_at=clock.now()
            )
    except IntegrityError as exc:
        raise Conflict(
            gettext("This tracking number is already in use."), code="duplicate", field="tracking_number"
        ) from exc
    ShipmentLine.objects.bulk_create(
        ShipmentLine(shipment=shipment, order_line_id=line_id, quantity=q) for line_id, q in quantities.items()
    )
    states.record(shipment, new=shipment.state, actor=actor, reason=f"{carrier} {tracking_number}")
    _advance_after_shipping(order, actor)
    signals.shipped.send(sender=Shipment, shipment=shipment)
    return shipment


def _advance_after_shipping(order: Order, actor: User | None) -> None:
    everything_shipped = not OrderLine.objects.filter(order=order, quantity_shipped__lt=F("quantity")).exists()
    to = Order.State.SHIPPED if everything_shipped else Order.State.PARTIALLY_SHIPPED
    if to != order.state:
        orders.advance(order=order, to=to, actor=actor)


def carrier_status(status: str) -> str:
    found = CARRIER_STATUSES.get((status or "").strip().lower())
    if found is None:
        raise ValidationFailed(
            gettext("Unknown status; use one of: %(s)s.") % {"s": ", ".join(CARRIER_STATUSES)}, field="status"
        )
    return found


def _move_shipment(shipment: Shipment, to: str, *, actor: User | None, reason: str) -> bool:
    """Apply a carrier status if it moves the shipment forward; a repeat or an out-of-order report changes nothing."""
    if to == shipment.state or to not in Shipment.ALLOWED.get(shipment.state, ()):
        return False
    if to == Shipment.State.DELIVERED:
        shipment.delivered_at = clock.now()
        shipment.save(update_fields=["delivered_at"])
    states.transition(shipment, to, actor=actor, reason=reason)
    if to == Shipment.State.DELIVERED:
        _deliver_order_if_complete(shipment.order_id, actor)
    return True


def _deliver_order_if_complete(order_id: int, actor: User | None) -> None:
    """A fully shipped order is delivered once every one of its shipments is."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.state != Order.State.SHIPPED:
        return
    if order.shipments.exclude(state=Shipment.State.DELIVERED).exists():
        return
    orders.advance(order=order, to=Order.State.DELIVERED, actor=actor, reason=gettext("all parcels delivered"))


@transaction.atomic
def carrier_update(*, carrier: str, tracking_number: str, status: str) -> Shipment:
    """A carrier's report (the signed webhook): in transit, delivered, or a delivery problem. Replays are harmless."""
    to = carrier_status(status)
    shipment = (
        Shipment.objects.select_for_update()
        .filter(carrier=(carrier or "").strip(), tracking_number=(tracking_number or "").strip())
        .first()
    )
    if shipment is None:
        raise NotFound(gettext("No shipment with this tracking number."), field="tracking_number")
    _move_shipment(shipment, to, actor=None, reason=gettext("carrier update"))
    return shipment


def seller_shipment(*, actor: User, shipment_id: int, capability: str = "orders.fulfil") -> Shipment:
    shipment = Shipment.objects.select_related("order").filter(pk=shipment_id).first()
    if shipment is None:
        raise NotFound(gettext("Shipment not found."))
    try:
        require(actor, shipment.order.seller_id, capability)
    except NotFound as exc:
        raise NotFound(gettext("Shipment not found.")) from exc
    return shipment


@transaction.atomic
def mark_delivered(*, actor: User, shipment_id: int) -> Shipment:
    """The seller's manual "delivered" (a carrier without updates, a buyer who confirmed on the phone)."""
    shipment = seller_shipment(actor=actor, shipment_id=shipment_id)
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.state == Shipment.State.DELIVERED:
        return shipment
    if not _move_shipment(shipment, Shipment.State.DELIVERED, actor=actor, reason=gettext("marked delivered")):
        raise Conflict(gettext("This shipment cannot be marked delivered."), code="illegal_transition", field="state")
    return shipment


# ---------------------------------------------------------------------------------------------------------------------
# Ship-by deadline: a reminder a day before, then (if configured) the unshipped order is cancelled and refunded
# ---------------------------------------------------------------------------------------------------------------------

REMINDER_BEFORE = timedelta(hours=24)


def _remind(order_ids: list[int], now: datetime) -> int:
    done = 0
    for order_id in order_ids:
        with transaction.atomic():
            # Guarded: one reminder per order, however many sweeps run at once.
            if Order.objects.filter(pk=order_id, ship_reminder_sent_at__isnull=True).update(ship_reminder_sent_at=now):
                order = Order.objects.select_related("seller").get(pk=order_id)
                signals.ship_deadline_near.send(sender=Order, order=order)
                done += 1
    return done


def _cancel_missed(order_ids: list[int], now: datetime) -> int:
    done = 0
    for order_id in order_ids:
        try:
            with transaction.atomic():
                order = Order.objects.select_for_update().filter(pk=order_id).first()
                if order and order.state == Order.State.PAID and order.ship_by and order.ship_by <= now:  # re-checked
                    orders.cancel(order=order, actor=None, reason=gettext("not shipped by the deadline"))
                    done += 1
        except Conflict as exc:  # e.g. the provider refused the refund: nothing changed, the next run tries again
            log.warning("order %s: not cancelled at its ship-by deadline: %s", order_id, exc.message)
    return done


def sweep_ship_deadlines(now: datetime | None = None) -> int:
    """Remind sellers 24 h before an order's ship-by time; cancel (full refund) paid orders nothing of which shipped
    by then, when TRADELOOP_AUTO_CANCEL_UNSHIPPED. A partly shipped order is not cancelled: the seller is at work.
    Idempotent: a second run finds nothing to do. Returns reminders sent plus orders cancelled."""
    now = now or clock.now()
    open_orders = Order.objects.filter(state__in=SHIPPABLE, ship_by__isnull=False).order_by("ship_by")
    due_soon = open_orders.filter(
        ship_reminder_sent_at__isnull=True, ship_by__gt=now, ship_by__lte=now + REMINDER_BEFORE
    )
    done = _remind(list(due_soon.values_list("pk", flat=True)[:500]), now)
    if getattr(settings, "TRADELOOP_AUTO_CANCEL_UNSHIPPED", True):
        missed = open_orders.filter(state=Order.State.PAID, ship_by__lte=now)
        done += _cancel_missed(list(missed.values_list("pk", flat=True)[:500]), now)
    return done
