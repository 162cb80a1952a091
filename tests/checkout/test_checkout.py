from datetime import timedelta
from decimal import Decimal

import pytest

from tests.checkout.conftest import fill_cart
from tradeloop.checkout import reactions
from tradeloop.checkout import services as checkout
from tradeloop.checkout.models import CartItem, Checkout
from tradeloop.core.errors import ValidationFailed
from tradeloop.inventory import services as inventory
from tradeloop.inventory.models import Reservation
from tradeloop.ledger.selectors import ledger_is_balanced
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order


def place(buyer, address, shop, codes=(), key=None):
    return checkout.place(
        buyer=buyer,
        address_id=address.pk,
        shipping_choices={shop["tea_house"].pk: shop["express"].pk, shop["fruit_farm"].pk: shop["post"].pk},
        coupon_codes=list(codes),
        key=key,
    )


def test_one_checkout_makes_one_order_per_seller_and_reserves_stock(buyer, address, shop):
    fill_cart(buyer, [(shop["tea"], 2), (shop["apples"], 4)])
    placed = place(buyer, address, shop)
    by_seller = {o.seller_id: o for o in placed.orders}
    tea_order, fruit_order = by_seller[shop["tea_house"].pk], by_seller[shop["fruit_farm"].pk]
    assert (tea_order.subtotal, tea_order.shipping_total, tea_order.total) == (176, 12, 188)
    assert (fruit_order.subtotal, fruit_order.shipping_total, fruit_order.total) == (50, 8, 58)
    assert placed.checkout.total == Decimal("246")
    assert all(o.state == Order.State.PENDING_PAYMENT for o in placed.orders)
    assert placed.payment_url.startswith(("/pay/sandbox/", "http"))
    shop["tea"].refresh_from_db()
    assert shop["tea"].stock == 8
    assert Reservation.objects.filter(state="held").count() == 2
    assert tea_order.shipping_address["city"] == "Shanghai"


def test_paying_makes_every_order_paid_commits_stock_and_empties_the_cart(buyer, address, shop, pay):
    fill_cart(buyer, [(shop["tea"], 2), (shop["apples"], 4)])
    placed = place(buyer, address, shop)
    pay(placed.checkout.payment)
    placed.checkout.refresh_from_db()
    assert placed.checkout.state == Checkout.State.PAID
    for order in Order.objects.filter(checkout_ref=placed.checkout.ref):
        assert order.state == Order.State.PAID and order.paid_at and order.ship_by
        assert order.commission_rate == Decimal("0.05")
    assert not Reservation.objects.filter(state="held").exists()
    assert not CartItem.objects.filter(cart__user=buyer).exists()
    assert ledger_is_balanced()


def test_a_repeated_idempotency_key_never_places_twice(buyer, address, shop):
    fill_cart(buyer, [(shop["tea"], 1)])
    first = place(buyer, address, shop, key="abc")
    again = place(buyer, address, shop, key="abc")
    assert first.checkout.pk == again.checkout.pk
    assert Order.objects.count() == 1 and Checkout.objects.count() == 1


def test_unpaid_orders_are_cancelled_after_the_timeout_and_stock_comes_back(buyer, address, shop, clock):
    fill_cart(buyer, [(shop["tea"], 3)])
    placed = place(buyer, address, shop)
    clock.advance(minutes=14)
    assert reactions.sweep_expired_checkouts(clock.now()) == 0
    clock.advance(minutes=2)
    assert reactions.sweep_expired_checkouts(clock.now()) == 1
    assert reactions.sweep_expired_checkouts(clock.now()) == 0
    order = placed.orders[0]
    order.refresh_from_db()
    assert order.state == Order.State.CANCELLED and order.cancelled_at
    shop["tea"].refresh_from_db()
    assert shop["tea"].stock == 10


def test_a_mixed_currency_cart_is_refused(buyer, address, shop):
    shop["apples"].currency = "USD"
    shop["apples"].save()
    fill_cart(buyer, [(shop["tea"], 1), (shop["apples"], 1)])
    with pytest.raises(ValidationFailed) as caught:
        place(buyer, address, shop)
    assert caught.value.code == "mixed_currency"
    assert not Order.objects.exists()


def test_out_of_stock_at_placement_places_nothing(buyer, address, shop):
    fill_cart(buyer, [(shop["tea"], 5), (shop["apples"], 5)])
    inventory.reserve(variant=shop["apples"], quantity=8, ref="other", until=checkout.clock.now() + timedelta(hours=1))
    with pytest.raises(inventory.OutOfStock):
        place(buyer, address, shop)
    assert not Order.objects.exists()
    shop["tea"].refresh_from_db()
    assert shop["tea"].stock == 10


def test_a_declined_payment_can_be_retried(buyer, address, shop, pay):
    fill_cart(buyer, [(shop["tea"], 1)])
    placed = place(buyer, address, shop)
    pay(placed.checkout.payment, decline=True)
    placed.checkout.refresh_from_db()
    assert placed.checkout.state == Checkout.State.FAILED
    reactions.retry_payment(buyer=buyer, checkout_id=placed.checkout.pk)
    placed.checkout.refresh_from_db()
    pay(placed.checkout.payment)
    assert Order.objects.get().state == Order.State.PAID


def test_cancelling_a_paid_order_refunds_and_restocks(buyer, address, shop, pay):
    fill_cart(buyer, [(shop["tea"], 2)])
    placed = place(buyer, address, shop)
    pay(placed.checkout.payment)
    order = Order.objects.get()
    orders.cancel(order=order, actor=buyer, reason="changed my mind")
    order.refresh_from_db()
    assert order.state == Order.State.CANCELLED
    assert order.refunded_total == order.total
    shop["tea"].refresh_from_db()
    assert shop["tea"].stock == 10
    assert ledger_is_balanced()


def test_a_payment_captured_after_the_checkout_expired_is_refunded(buyer, address, shop, pay, clock):
    from tradeloop.payments.models import Payment

    fill_cart(buyer, [(shop["tea"], 1)])
    placed = place(buyer, address, shop)
    clock.advance(minutes=16)
    reactions.sweep_expired_checkouts(clock.now())  # orders cancelled; the payment sweep has not run yet
    pay(placed.checkout.payment)
    payment = Payment.objects.get(pk=placed.checkout.payment_id)
    assert payment.captured_amount == payment.refunded_amount == Decimal("100")
    assert Order.objects.get().state == Order.State.CANCELLED
    shop["tea"].refresh_from_db()
    assert shop["tea"].stock == 10


def test_the_buyer_gets_order_placed_and_paid_emails(
    buyer, address, shop, pay, mailoutbox, django_capture_on_commit_callbacks
):
    fill_cart(buyer, [(shop["tea"], 1)])
    with django_capture_on_commit_callbacks(execute=True):
        placed = place(buyer, address, shop)
    pay(placed.checkout.payment)
    to_buyer = [m.subject for m in mailoutbox if m.to == [buyer.email]]
    assert len(to_buyer) == 2, to_buyer
