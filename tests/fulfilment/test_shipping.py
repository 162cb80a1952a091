"""Shipping an order: partial then full shipments, never more than ordered, carrier updates and delivery."""

import pytest

from tests import factories
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.fulfilment import services as fulfilment
from tradeloop.fulfilment.models import Shipment
from tradeloop.inventory.models import Stock
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_line_order(merchant):
    """3 × tea and 1 × cup, paid."""
    tea = factories.published_product(merchant, title="Longjing tea", price="50.00").variants.get()
    cup = factories.published_product(merchant, title="Tea cup", price="20.00").variants.get()
    order = factories.paid_order(seller=merchant, items=[(tea, 3), (cup, 1)])
    tea_line, cup_line = order.lines.order_by("id")
    return order, tea_line, cup_line


def on_hand(variant_id: int) -> int:
    return sum(Stock.objects.filter(variant_id=variant_id).values_list("on_hand", flat=True))


def test_partial_shipment_then_the_rest(two_line_order, merchant):
    order, tea, cup = two_line_order
    stock_before = on_hand(tea.variant_id)

    first = fulfilment.ship(
        actor=merchant.owner, order=order, lines={tea.pk: 2}, carrier="SF Express", tracking_number="SF1"
    )
    order.refresh_from_db()
    assert order.state == Order.State.PARTIALLY_SHIPPED
    assert [(line.order_line_id, line.quantity) for line in first.lines.all()] == [(tea.pk, 2)]

    fulfilment.ship(
        actor=merchant.owner, order=order, lines={tea.pk: 1, cup.pk: 1}, carrier="SF Express", tracking_number="SF2"
    )
    order.refresh_from_db()
    assert order.state == Order.State.SHIPPED
    assert order.shipped_at is not None
    assert list(order.lines.values_list("quantity_shipped", flat=True)) == [3, 1]
    assert on_hand(tea.variant_id) == stock_before  # stock was taken at payment; shipping does not touch it


def test_shipping_everything_at_once_when_no_lines_are_named(two_line_order, merchant):
    order, *_ = two_line_order
    fulfilment.ship(actor=merchant.owner, order=order, lines=None, carrier="ZTO", tracking_number="Z1")
    order.refresh_from_db()
    assert order.state == Order.State.SHIPPED


def test_shipping_more_than_ordered_is_refused_and_writes_nothing(two_line_order, merchant):
    order, tea, cup = two_line_order
    with pytest.raises(Conflict) as refused:
        fulfilment.ship(actor=merchant.owner, order=order, lines={tea.pk: 4}, carrier="SF", tracking_number="X1")
    assert refused.value.code == "over_shipped"
    fulfilment.ship(actor=merchant.owner, order=order, lines={tea.pk: 3}, carrier="SF", tracking_number="X2")
    with pytest.raises(Conflict):
        fulfilment.ship(
            actor=merchant.owner, order=order, lines={tea.pk: 1, cup.pk: 1}, carrier="SF", tracking_number="X3"
        )
    assert Shipment.objects.filter(order=order).count() == 1
    assert list(order.lines.values_list("quantity_shipped", flat=True)) == [3, 0]


def test_bad_ship_input_gets_clear_errors(two_line_order, merchant):
    order, tea, cup = two_line_order
    other = factories.paid_order(seller=merchant)
    cases = [
        ({tea.pk: -1}, "SF", "A1", ValidationFailed),
        ({tea.pk: 0}, "SF", "A2", ValidationFailed),
        ({other.lines.get().pk: 1}, "SF", "A3", ValidationFailed),  # a line of another order
        ({tea.pk: "two"}, "SF", "A4", ValidationFailed),
        ({tea.pk: 1}, "", "A5", ValidationFailed),
        ({tea.pk: 1}, "SF", "   ", ValidationFailed),
    ]
    for lines, carrier, number, error in cases:
        with pytest.raises(error):
            fulfilment.ship(actor=merchant.owner, order=order, lines=lines, carrier=carrier, tracking_number=number)
    fulfilment.ship(actor=merchant.owner, order=order, lines={tea.pk: 1}, carrier="SF", tracking_number="DUP")
    with pytest.raises(Conflict) as duplicate:
        fulfilment.ship(actor=merchant.owner, order=other, lines=None, carrier="SF", tracking_number="DUP")
    assert duplicate.value.field == "tracking_number"


def test_only_fulfilment_staff_of_the_seller_ship(two_line_order, merchant):
    order, *_ = two_line_order
    with pytest.raises(PermissionDenied):
        fulfilment.ship(
            actor=factories.member(merchant, "catalog"), order=order, lines=None, carrier="SF", tracking_number="P1"
        )
    rival = factories.seller_with_owner(name="Rival")
    with pytest.raises(NotFound):
        fulfilment.ship(actor=rival.owner, order=order, lines=None, carrier="SF", tracking_number="P2")
    with pytest.raises(NotFound):
        fulfilment.ship(actor=order.buyer, order=order, lines=None, carrier="SF", tracking_number="P3")
    fulfilment.ship(
        actor=factories.member(merchant, "fulfilment"), order=order, lines=None, carrier="SF", tracking_number="P4"
    )


def test_a_cancelled_order_cannot_be_shipped(merchant):
    from tradeloop.orders import services as orders

    order = factories.paid_order(seller=merchant)
    orders.cancel(order=order, actor=merchant.owner, reason="out of stock in the shop")
    with pytest.raises(Conflict):
        fulfilment.ship(actor=merchant.owner, order=order, lines=None, carrier="SF", tracking_number="C1")


def test_order_is_delivered_when_its_last_parcel_is(two_line_order, merchant):
    order, tea, cup = two_line_order
    first = fulfilment.ship(actor=merchant.owner, order=order, lines={tea.pk: 3}, carrier="SF", tracking_number="D1")
    fulfilment.carrier_update(carrier="SF", tracking_number="D1", status="in_transit")
    fulfilment.carrier_update(carrier="SF", tracking_number="D1", status="delivered")
    first.refresh_from_db()
    order.refresh_from_db()
    assert first.state == Shipment.State.DELIVERED and first.delivered_at is not None
    assert order.state == Order.State.PARTIALLY_SHIPPED  # the cup has not left yet

    second = fulfilment.ship(actor=merchant.owner, order=order, lines={cup.pk: 1}, carrier="SF", tracking_number="D2")
    order.refresh_from_db()
    assert order.state == Order.State.SHIPPED
    fulfilment.mark_delivered(actor=merchant.owner, shipment_id=second.pk)
    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED
    assert order.delivered_at is not None


def test_carrier_reports_out_of_order_or_repeated_change_nothing(merchant):
    order = factories.paid_order(seller=merchant)
    shipment = fulfilment.ship(actor=merchant.owner, order=order, lines=None, carrier="SF", tracking_number="R1")
    fulfilment.carrier_update(carrier="SF", tracking_number="R1", status="delivered")
    fulfilment.carrier_update(carrier="SF", tracking_number="R1", status="delivered")
    fulfilment.carrier_update(carrier="SF", tracking_number="R1", status="in_transit")  # late, out of order
    shipment.refresh_from_db()
    order.refresh_from_db()
    assert shipment.state == Shipment.State.DELIVERED
    assert order.state == Order.State.DELIVERED
    with pytest.raises(ValidationFailed):
        fulfilment.carrier_update(carrier="SF", tracking_number="R1", status="teleported")
    with pytest.raises(NotFound):
        fulfilment.carrier_update(carrier="SF", tracking_number="NOPE", status="delivered")


def test_a_delivery_problem_can_still_end_delivered(merchant):
    order = factories.paid_order(seller=merchant)
    shipment = fulfilment.ship(actor=merchant.owner, order=order, lines=None, carrier="EMS", tracking_number="E1")
    fulfilment.carrier_update(carrier="EMS", tracking_number="E1", status="exception")
    shipment.refresh_from_db()
    assert shipment.state == Shipment.State.EXCEPTION
    fulfilment.mark_delivered(actor=merchant.owner, shipment_id=shipment.pk)
    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED


def test_marking_delivered_needs_the_role_and_the_tenant(merchant):
    order = factories.paid_order(seller=merchant)
    shipment = fulfilment.ship(actor=merchant.owner, order=order, lines=None, carrier="SF", tracking_number="M1")
    with pytest.raises(PermissionDenied):
        fulfilment.mark_delivered(actor=factories.member(merchant, "support"), shipment_id=shipment.pk)
    with pytest.raises(NotFound):
        fulfilment.mark_delivered(actor=factories.seller_with_owner().owner, shipment_id=shipment.pk)
    fulfilment.mark_delivered(actor=merchant.owner, shipment_id=shipment.pk)
    assert fulfilment.mark_delivered(actor=merchant.owner, shipment_id=shipment.pk).state == "delivered"  # again: no-op
