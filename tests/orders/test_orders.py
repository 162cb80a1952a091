from datetime import timedelta
from decimal import Decimal

import pytest

from tests.checkout.conftest import fill_cart
from tests.factories import member, seller_with_owner
from tradeloop.checkout import services as checkout
from tradeloop.core.errors import Conflict, IllegalTransition, NotFound, PermissionDenied
from tradeloop.ledger import selectors as ledger_selectors
from tradeloop.ledger import services as ledger
from tradeloop.orders import selectors, services
from tradeloop.orders.models import Order
from tradeloop.promotions import services as promotions


@pytest.fixture
def paid(buyer, address, shop, pay):
    """A paid checkout of 2 teas (Tea House) and 4 apples (Fruit Farm)."""
    fill_cart(buyer, [(shop["tea"], 2), (shop["apples"], 4)])
    placed = checkout.place(buyer=buyer, address_id=address.pk, shipping_choices={}, coupon_codes=[], key=None)
    pay(placed.checkout.payment)
    return {o.seller_id: Order.objects.get(pk=o.pk) for o in placed.orders}


def test_advance_stamps_the_time_and_refuses_illegal_moves(paid, shop, clock):
    order = paid[shop["tea_house"].pk]
    assert order.paid_at and order.ship_by == order.paid_at + timedelta(days=3)
    with pytest.raises(IllegalTransition):
        services.advance(order=order, to=Order.State.DELIVERED)
    services.advance(order=order, to=Order.State.SHIPPED, actor=shop["tea_house"].owner, reason="SF123")
    order.refresh_from_db()
    assert order.state == Order.State.SHIPPED and order.shipped_at
    assert [e.new for e in selectors.timeline(order)] == ["pending_payment", "paid", "shipped"]


def test_a_buyer_cannot_cancel_after_shipping_nor_a_stranger_at_all(paid, shop, buyer):
    order = paid[shop["tea_house"].pk]
    with pytest.raises(NotFound):
        services.cancel(order=order, actor=seller_with_owner().owner, reason="mine now")
    with pytest.raises(PermissionDenied):
        services.cancel(order=order, actor=member(shop["tea_house"], "support"), reason="no")
    services.advance(order=order, to=Order.State.SHIPPED)
    with pytest.raises(PermissionDenied):
        services.cancel(order=order, actor=buyer, reason="too late")


def test_the_seller_cancels_a_paid_order_refunds_it_and_puts_stock_back(paid, shop):
    order = paid[shop["fruit_farm"].pk]
    services.cancel(order=order, actor=shop["fruit_farm"].owner, reason="out of stock after all")
    order.refresh_from_db()
    assert order.state == Order.State.CANCELLED and order.refunded_total == order.total == Decimal("58")
    shop["apples"].refresh_from_db()
    assert shop["apples"].stock == 10
    assert ledger_selectors.ledger_is_balanced()
    with pytest.raises(Conflict):
        services.cancel(order=order, actor=None, reason="again")


def test_delivered_orders_complete_after_the_return_window_and_settle(paid, shop, clock):
    order = paid[shop["tea_house"].pk]
    for state in (Order.State.SHIPPED, Order.State.DELIVERED):
        services.advance(order=order, to=state)
    clock.advance(days=6, hours=23)
    assert services.sweep_completed_orders(clock.now()) == 0
    clock.advance(hours=2)
    assert services.sweep_completed_orders(clock.now()) == 1
    assert services.sweep_completed_orders(clock.now()) == 0
    order.refresh_from_db()
    assert order.state == Order.State.COMPLETED and order.completed_at
    seller_net = order.total - (order.total * order.commission_rate).quantize(Decimal("0.01"))
    available = ledger_selectors.balance(ledger.seller_available(order.seller, order.currency))
    assert available.amount == seller_net


def test_a_coupon_discount_is_in_the_order_breakdown_and_its_use_comes_back_on_cancel(buyer, address, shop, clock):
    promo = promotions.create_promotion(
        actor=shop["tea_house"].owner,
        seller=shop["tea_house"],
        data=promotions.PromotionInput(
            name="Spring tea", kind="fixed", value=Decimal("20"), code="SPRING20", usage_limit=5
        ),
    )
    fill_cart(buyer, [(shop["tea"], 1)])
    placed = checkout.place(
        buyer=buyer, address_id=address.pk, shipping_choices={}, coupon_codes=["spring20"], key=None
    )
    order = placed.orders[0]
    order.refresh_from_db()
    assert (order.subtotal, order.discount_total, order.shipping_total, order.total) == (88, 20, 12, 80)
    labels = {a.kind: a for a in order.adjustments.all()}
    assert labels["discount"].code == "SPRING20" and labels["discount"].amount == Decimal("-20")
    promo.refresh_from_db()
    assert promo.used_count == 1
    clock.advance(minutes=16)
    assert services.sweep_unpaid_orders(clock.now()) == 1
    promo.refresh_from_db()
    assert promo.used_count == 0


def test_order_history_and_desk_are_scoped_and_searchable(paid, shop, buyer):
    assert {o.seller_id for o in selectors.buyer_orders(actor=buyer).items} == set(paid)
    stranger = seller_with_owner().owner
    assert selectors.buyer_orders(actor=stranger).items == []
    with pytest.raises(NotFound):
        selectors.order_for_buyer(stranger, paid[shop["tea_house"].pk].number)
    desk = selectors.seller_orders(actor=shop["tea_house"].owner, seller=shop["tea_house"])
    assert [o.pk for o in desk.items] == [paid[shop["tea_house"].pk].pk]
    by_sku = selectors.DeskFilter(q="sku-0")
    assert selectors.seller_orders(actor=shop["tea_house"].owner, seller=shop["tea_house"], f=by_sku).items
    by_email = selectors.DeskFilter(q="BUYER@example")
    assert selectors.seller_orders(actor=shop["tea_house"].owner, seller=shop["tea_house"], f=by_email).items
    nothing = selectors.DeskFilter(state="shipped")
    assert not selectors.seller_orders(actor=shop["tea_house"].owner, seller=shop["tea_house"], f=nothing).items
    with pytest.raises(NotFound):
        selectors.seller_orders(actor=stranger, seller=shop["tea_house"])
