"""orders' placing service: lines at given prices, adjustments, the mode's policies, numbering, the placed event."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tradeloop.core.errors import Conflict, ValidationFailed
from tradeloop.core.models import Event
from tradeloop.inventory import services as inventory
from tradeloop.orders import services as orders
from tradeloop.orders import signals
from tradeloop.orders.models import Adjustment, Order


@pytest.fixture
def goods(merchant):
    tea = factories.published_product(merchant, title="Longjing tea", price="88.00", stock=10).variants.get()
    cups = factories.published_product(merchant, title="Cups", price="15.00", stock=10).variants.get()
    return tea, cups


def order_in(merchant, user, goods, **overrides) -> dict:
    tea, cups = goods
    wanted = {
        "buyer": user,
        "seller": merchant,
        "mode": Order.Mode.B2C,
        "currency": "CNY",
        "lines": [
            orders.LineIn(tea, 2, Decimal("80.00"), discount=Decimal("16.00")),  # a negotiated price, not 88.00
            orders.LineIn(cups, 1, Decimal("15.00"), title="Tea cups (set)"),
        ],
        "adjustments": [
            orders.AdjustmentIn("discount", "10 % off tea", Decimal("-16.00"), line_index=0, code="TEA10"),
            orders.AdjustmentIn("shipping", "SF Express", Decimal("12.00")),
        ],
        "shipping_method": "SF Express",
        "checkout_ref": "test:1",
    }
    return wanted | overrides


def test_given_prices_and_adjustments_are_kept_exactly(merchant, user, goods, clock):
    heard = []

    def listen(sender, *, order, old, new, actor, **kwargs):
        heard.append((old, new, actor))

    signals.order_changed.connect(listen)
    try:
        order = orders.place_order(actor=user, **order_in(merchant, user, goods))
    finally:
        signals.order_changed.disconnect(listen)
    order.refresh_from_db()
    assert order.mode == Order.Mode.B2C and order.state == Order.State.PENDING_PAYMENT
    assert (order.subtotal, order.discount_total, order.shipping_total, order.total) == (
        Decimal("175.00"),
        Decimal("16.00"),
        Decimal("12.00"),
        Decimal("171.00"),
    )
    tea_line, cups_line = order.lines.all()
    assert (tea_line.unit_price, tea_line.discount, tea_line.line_total) == (
        Decimal("80.00"),
        Decimal("16.00"),
        Decimal("144.00"),
    )
    assert tea_line.product_title == "Longjing tea" and cups_line.product_title == "Tea cups (set)"
    assert tea_line.weight_grams == goods[0].weight_grams * 2
    discount, shipping = order.adjustments.order_by("kind")
    assert (discount.kind, discount.line_id, discount.code, discount.amount) == (
        Adjustment.Kind.DISCOUNT,
        tea_line.pk,
        "TEA10",
        Decimal("-16.00"),
    )
    assert (shipping.kind, shipping.line_id, shipping.amount) == (Adjustment.Kind.SHIPPING, None, Decimal("12.00"))
    assert order.payment_due_at == order.placed_at + timedelta(minutes=15)  # B2C's payment timeout
    placed = Event.objects.get(subject_type="orders.order", subject_id=order.pk)
    assert (placed.old, placed.new, placed.actor, placed.reason) == ("", "pending_payment", user, "order placed")
    assert heard == [("", "pending_payment", user)]
    held = inventory.held_units([orders.line_ref(tea_line), orders.line_ref(cups_line)])
    assert held == {orders.line_ref(tea_line): 2, orders.line_ref(cups_line): 1}  # B2C holds the stock


def test_several_orders_at_once_each_with_its_own_number(merchant, user, goods):
    other = factories.seller_with_owner(name="Other shop")
    pot = factories.published_product(other, title="Teapot", price="50.00").variants.get()
    first = orders.OrderIn(**order_in(merchant, user, goods))
    second = orders.OrderIn(
        **order_in(other, user, goods, lines=[orders.LineIn(pot, 1, Decimal("50"))], adjustments=[])
    )
    placed = orders.place_orders([first, second], actor=user)
    assert [o.seller for o in placed] == [merchant, other]
    assert len({o.number for o in placed}) == 2
    assert placed[1].total == Decimal("50") and placed[1].lines.get().unit_price == Decimal("50")


def test_a_number_clash_draws_again(merchant, user, goods, monkeypatch):
    taken = orders.place_order(actor=user, **order_in(merchant, user, goods)).number
    draws = iter([taken, "990101-FRESH1"])
    monkeypatch.setattr(orders, "new_number", lambda: next(draws))
    assert orders.place_order(actor=user, **order_in(merchant, user, goods)).number == "990101-FRESH1"


def test_numbers_that_always_clash_are_a_clear_conflict(merchant, user, goods, monkeypatch):
    taken = orders.place_order(actor=user, **order_in(merchant, user, goods)).number
    monkeypatch.setattr(orders, "new_number", lambda: taken)
    with pytest.raises(Conflict) as refused:
        orders.place_order(actor=user, **order_in(merchant, user, goods))
    assert refused.value.code == "numbering_failed"
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"mode": "x2y"}, "mode"),  # no such mode: refused, not half-made
        ({"lines": []}, "lines"),
        ({"currency": "XX"}, "currency"),
        ({"adjustments": [orders.AdjustmentIn("discount", "Too much", Decimal("-500"))]}, "adjustments"),
        ({"adjustments": [orders.AdjustmentIn("discount", "Wrong sign", Decimal("5"))]}, "adjustments.0"),
        ({"adjustments": [orders.AdjustmentIn("shipping", "Nowhere", Decimal("1"), line_index=7)]}, "adjustments.0"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(merchant, user, goods, override, field):
    with pytest.raises(ValidationFailed) as refused:
        orders.place_order(actor=user, **order_in(merchant, user, goods, **override))
    assert refused.value.field == field
    assert not Order.objects.exists()


def test_a_line_that_cannot_be_held_places_nothing(merchant, user, goods):
    tea, _cups = goods
    with pytest.raises(inventory.OutOfStock):
        orders.place_order(actor=user, **order_in(merchant, user, goods, lines=[orders.LineIn(tea, 11, tea.price)]))
    assert not Order.objects.exists()
