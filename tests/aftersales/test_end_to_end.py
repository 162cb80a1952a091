"""The whole B2C after-sales path through the real services: checkout, sandbox payment, shipping, delivery by the
carrier, a partial return and refund, completion. E-mails go out once each; the ledger balances at every step."""

from decimal import Decimal

import pytest

from tests.checkout.conftest import fill_cart, shipping_method, stocked
from tests.factories import seller_with_owner
from tradeloop.aftersales import services as aftersales
from tradeloop.checkout import services as checkout
from tradeloop.fulfilment import services as fulfilment
from tradeloop.inventory.models import Stock
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance, ledger_is_balanced
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db


def test_buy_ship_deliver_return_refund_complete(
    buyer, address, pay, clock, mailoutbox, django_capture_on_commit_callbacks
):
    shop = seller_with_owner(name="West Lake Tea")
    tea = stocked(shop, title="Longjing tea", price="40.00", stock=5).variants.get()
    method = shipping_method(shop, name="SF Express", rate="10.00")
    fill_cart(buyer, [(tea, 3)])

    with django_capture_on_commit_callbacks(execute=True):
        placed = checkout.place(
            buyer=buyer, address_id=address.pk, shipping_choices={shop.pk: method.pk}, coupon_codes=[], key="k1"
        )
    pay(placed.checkout.payment)
    order = Order.objects.get(pk=placed.orders[0].pk)
    assert order.state == Order.State.PAID and order.total == Decimal("130.00")
    assert order.lines.get().return_window_days == 7  # the platform default, copied from the product
    # the buyer's order and payment mails, and the seller's "New order"
    mails = sorted(m.subject.split(" ")[0] for m in mailoutbox if order.number in m.subject)
    assert mails == ["New", "Order", "Payment"]

    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.ship(actor=shop.owner, order=order, lines=None, carrier="SF Express", tracking_number="SF42")
        fulfilment.carrier_update(carrier="SF Express", tracking_number="SF42", status="in_transit")
        fulfilment.carrier_update(carrier="SF Express", tracking_number="SF42", status="delivered")
    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED

    on_hand_before = sum(Stock.objects.filter(variant=tea).values_list("on_hand", flat=True))
    pending_before = balance(ledger.seller_pending(shop, "CNY")).amount
    with django_capture_on_commit_callbacks(execute=True):
        request = aftersales.request_return(actor=buyer, order=order, lines={order.lines.get().pk: 1})
        aftersales.approve(actor=shop.owner, return_id=request.pk)
    order.refresh_from_db()
    assert order.refunded_total == Decimal("40.00")
    assert sum(Stock.objects.filter(variant=tea).values_list("on_hand", flat=True)) == on_hand_before + 1
    assert balance(ledger.seller_pending(shop, "CNY")).amount == pending_before - Decimal("38.00")  # 40 − 5 % of it
    assert ledger_is_balanced()

    clock.advance(days=8)
    assert orders.sweep_completed_orders(clock.now()) == 1
    assert balance(ledger.seller_available(shop, "CNY")).amount == Decimal("130.00") - Decimal("6.50") - Decimal(
        "38.00"
    )
    assert ledger_is_balanced()

    kinds = [m.subject for m in mailoutbox if order.number in m.subject]
    assert (
        len(kinds) == len(set(kinds)) == 6
    )  # placed, new order (the seller), paid, shipped, delivered, refunded: once each
