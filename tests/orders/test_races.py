"""orders' guarded counters and refund recipe under concurrent writers on PostgreSQL: never past what was ordered
or paid, whatever the interleaving."""

from decimal import Decimal

from tests import factories
from tests.races import RACE_MARKS, RACERS, race
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order, OrderLine
from tradeloop.payments.models import Payment

pytestmark = RACE_MARKS


def test_concurrent_over_shipping_is_refused():
    order = factories.paid_order()  # 2 units
    line_id = order.lines.get().pk
    outcomes = race(lambda i: orders.record_shipped(line_id, 1))
    assert outcomes.count("ok") == 2 and outcomes.count("over_shipped") == RACERS - 2
    assert OrderLine.objects.get(pk=line_id).quantity_shipped == 2


def test_concurrent_returns_never_claim_more_than_bought():
    order = factories.paid_order()
    line_id = order.lines.get().pk
    outcomes = race(lambda i: orders.record_returned(line_id, 1))
    assert outcomes.count("ok") == 2
    assert OrderLine.objects.get(pk=line_id).quantity_returned == 2


def test_concurrent_refunds_never_exceed_the_total():
    order = factories.paid_order()  # 35.00
    outcomes = race(
        lambda i: orders.refund(
            order=Order.objects.get(pk=order.pk), amount=Decimal("10.00"), ref=f"race:{i}", reason="race", actor=None
        )
    )
    assert outcomes.count("ok") == 3  # 30.00; a fourth 10.00 would pass the 35.00 total
    order.refresh_from_db()
    assert order.refunded_total == Decimal("30.00")
    assert Payment.objects.get(pk=order.payment_id).refunded_amount == Decimal("30.00")
