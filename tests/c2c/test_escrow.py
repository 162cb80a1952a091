"""Escrow: the buyer's money is held from payment until receipt, then released to the seller minus commission."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.c2c.trading import commission_of, listing, paid_c2c_order, shipped_c2c_order
from tests.factories import UserFactory
from tradeloop.c2c import escrow as escrows
from tradeloop.c2c.models import Escrow, Listing
from tradeloop.core.errors import Conflict, NotFound
from tradeloop.fulfilment import services as fulfilment
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db


def _available(order) -> Decimal:
    return balance(ledger.seller_available(order.seller, order.currency)).amount


def test_payment_goes_into_escrow_not_to_the_seller():
    order = paid_c2c_order()
    assert order.held_in_escrow and order.state == Order.State.PAID
    assert order.escrow.state == Escrow.State.HELD and order.escrow.amount == order.total
    assert escrows.held_amount(order).amount == order.total
    assert balance(ledger.escrow("CNY")).amount == order.total
    assert _available(order) == 0
    assert balance(ledger.seller_pending(order.seller, "CNY")).amount == 0


def test_the_listing_is_sold_when_paid():
    item = listing()
    paid_c2c_order(item=item)
    item.refresh_from_db()
    assert item.state == Listing.State.SOLD


def test_confirming_receipt_releases_escrow_minus_commission():
    order = shipped_c2c_order()
    assert order.escrow.confirm_by is not None
    escrows.confirm_receipt(actor=order.buyer, order_id=order.pk)
    order.refresh_from_db()
    assert order.state == Order.State.COMPLETED
    assert order.escrow.state == Escrow.State.RELEASED
    assert _available(order) == order.total - commission_of(order)
    assert balance(ledger.escrow("CNY")).amount == 0
    with pytest.raises(Conflict) as again:
        escrows.confirm_receipt(actor=order.buyer, order_id=order.pk)
    assert again.value.code == "escrow_closed"
    assert _available(order) == order.total - commission_of(order)  # released at most once


def test_only_the_buyer_confirms_and_only_after_shipping():
    order = paid_c2c_order()
    with pytest.raises(NotFound):
        escrows.confirm_receipt(actor=UserFactory(), order_id=order.pk)
    with pytest.raises(Conflict) as early:
        escrows.confirm_receipt(actor=order.buyer, order_id=order.pk)
    assert early.value.code == "not_shipped"


@pytest.mark.parametrize(("speed", "days"), [("express", 10), ("post", 30), ("virtual", 3)])
def test_receipt_is_auto_confirmed_after_the_delivery_speeds_time(clock, speed, days):
    order = shipped_c2c_order(item=listing(delivery_speed=speed))
    clock.advance(days=days, seconds=-1)
    assert escrows.sweep_auto_confirm() == 0
    clock.advance(seconds=2)
    assert escrows.sweep_auto_confirm() == 1
    assert escrows.sweep_auto_confirm() == 0  # idempotent
    order.refresh_from_db()
    assert order.state == Order.State.COMPLETED and order.escrow.state == Escrow.State.RELEASED
    assert _available(order) == order.total - commission_of(order)


def test_the_buyer_extends_once_by_three_days(clock):
    order = shipped_c2c_order()
    escrows.extend(actor=order.buyer, order_id=order.pk)
    with pytest.raises(Conflict) as twice:
        escrows.extend(actor=order.buyer, order_id=order.pk)
    assert twice.value.code == "already_extended"
    clock.advance(days=10, seconds=1)
    assert escrows.sweep_auto_confirm() == 0
    clock.advance(days=3)
    assert escrows.sweep_auto_confirm() == 1


def test_not_shipped_in_five_days_is_cancelled_and_refunded(clock):
    item = listing()
    order = paid_c2c_order(item=item)
    clock.advance(days=5, seconds=1)
    fulfilment.sweep_ship_deadlines()
    order.refresh_from_db()
    item.refresh_from_db()
    assert order.state == Order.State.CANCELLED and order.refunded_total == order.total
    assert order.escrow.state == Escrow.State.REFUNDED
    assert balance(ledger.escrow("CNY")).amount == 0 and _available(order) == 0
    assert item.state == Listing.State.ACTIVE  # on sale again


def test_the_completion_sweep_never_releases_escrow(clock):
    from tradeloop.orders import services as orders

    order = shipped_c2c_order()
    orders.advance(order=order, to=Order.State.DELIVERED)
    clock.advance(days=9)
    assert orders.sweep_completed_orders() == 0
    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED and order.escrow.state == Escrow.State.HELD


def test_a_partial_refund_splits_the_money():
    order = shipped_c2c_order()
    escrow = Escrow.objects.get(order=order)
    escrows.pause(escrow, actor=order.buyer, reason="dispute", now=order.shipped_at)
    locked = Order.objects.get(pk=order.pk)
    escrows.refund_from_escrow(escrow, locked, amount=Decimal("100.00"), actor=None, reason="split", ref="dispute:1")
    order.refresh_from_db()
    assert order.escrow.state == Escrow.State.SPLIT and order.state == Order.State.COMPLETED
    released = order.total - Decimal("100.00")
    assert _available(order) == released - (released * order.commission_rate).quantize(Decimal("0.01"))
    assert balance(ledger.escrow("CNY")).amount == 0


@pytest.mark.django_db
def test_an_o2o_order_in_escrow_gets_no_c2c_receipt_clock():
    """O2O holds its money per voucher or booking: no C2C escrow box, no auto-confirm clock on its orders."""
    from tests.o2o import dealing, local

    order = dealing.bought(local.deal())
    assert order.held_in_escrow
    assert not Escrow.objects.filter(order=order).exists()
