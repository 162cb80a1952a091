"""orders' line counters and its one refund recipe: guarded updates, never past what was ordered or paid."""

from decimal import Decimal

import pytest

from tests import factories
from tradeloop.core.errors import Conflict, ValidationFailed
from tradeloop.core.models import Event
from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance, ledger_is_balanced
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order
from tradeloop.payments.models import Payment, Refund


@pytest.fixture
def order(db):
    return factories.paid_order()  # 2 units of 12.50 + 10.00 shipping = 35.00


def test_shipped_units_are_counted_up_to_what_was_ordered(order):
    line = order.lines.get()
    orders.record_shipped(line, 1)
    orders.record_shipped(line.pk, 1)
    with pytest.raises(Conflict) as refused:
        orders.record_shipped(line, 1)
    assert refused.value.code == "over_shipped" and refused.value.field == f"lines.{line.pk}"
    line.refresh_from_db()
    assert line.quantity_shipped == 2


def test_returned_units_are_claimed_and_given_back_never_below_zero(order):
    line = order.lines.get()
    orders.record_returned(line, 2)
    with pytest.raises(Conflict) as refused:
        orders.record_returned(line, 1)
    assert refused.value.code == "too_many"
    orders.record_returned(line, -2)
    with pytest.raises(Conflict):
        orders.record_returned(line, -1)
    line.refresh_from_db()
    assert line.quantity_returned == 0


@pytest.mark.parametrize("quantity", [0, True, "1"])
def test_a_counter_needs_a_whole_number_of_units(order, quantity):
    with pytest.raises(ValidationFailed):
        orders.record_shipped(order.lines.get(), quantity)


def test_a_refund_goes_through_the_provider_the_ledger_and_the_order(order):
    pending_before = balance(ledger.seller_pending(order.seller, "CNY"))
    refund = orders.refund(order=order, amount=Decimal("20.00"), ref="goodwill", reason="late parcel", actor=None)
    assert refund.ref == f"order:{order.pk}:goodwill" and refund.state == Refund.State.SUCCEEDED
    order.refresh_from_db()
    assert order.refunded_total == Decimal("20.00")
    assert Payment.objects.get(pk=order.payment_id).refunded_amount == Decimal("20.00")
    assert balance(ledger.seller_pending(order.seller, "CNY")) == pending_before - Money(Decimal("19.00"), "CNY")
    assert Event.objects.filter(subject_type="orders.order", subject_id=order.pk, reason__contains="late parcel")
    assert ledger_is_balanced()


def test_the_same_cause_refunds_once(order):
    first = orders.refund(order=order, amount=Decimal("20.00"), ref="goodwill", reason="late", actor=None)
    again = orders.refund(order=order, amount=Decimal("20.00"), ref="goodwill", reason="late", actor=None)
    assert first.pk == again.pk
    order.refresh_from_db()
    assert order.refunded_total == Decimal("20.00")


def test_a_refund_never_exceeds_the_order_total(order):
    orders.refund(order=order, amount=order.total, ref="all", reason="everything", actor=None)
    with pytest.raises(Conflict) as refused:
        orders.refund(order=order, amount=Decimal("0.01"), ref="more", reason="one cent more", actor=None)
    assert refused.value.code == "refund_too_large"
    order.refresh_from_db()
    assert order.refunded_total == order.total
    assert Payment.objects.get(pk=order.payment_id).refunded_amount == order.total
    assert not Refund.objects.filter(ref=f"order:{order.pk}:more").exists()


def test_a_stale_copy_of_the_order_cannot_refund_twice_the_total(order):
    stale = Order.objects.get(pk=order.pk)  # read before the first refund: refunded_total 0 in memory
    orders.refund(order=order, amount=Decimal("20.00"), ref="first", reason="most", actor=None)
    with pytest.raises(Conflict):
        orders.refund(order=stale, amount=Decimal("20.00"), ref="second", reason="again", actor=None)
    order.refresh_from_db()
    assert order.refunded_total == Decimal("20.00")


@pytest.mark.parametrize(("amount", "field"), [(Decimal("0"), "amount"), (Money(Decimal("5"), "USD"), "currency")])
def test_a_refund_needs_a_positive_amount_in_the_orders_currency(order, amount, field):
    with pytest.raises(ValidationFailed) as refused:
        orders.refund(order=order, amount=amount, ref="bad", reason="", actor=None)
    assert refused.value.field == field


def test_a_provider_that_refuses_rolls_the_refund_back(order, monkeypatch):
    from tradeloop.payments.providers import sandbox
    from tradeloop.payments.providers.base import Outcome

    monkeypatch.setattr(sandbox.SandboxProvider, "refund", lambda self, refund: Outcome.failed("no"))
    with pytest.raises(Conflict) as refused:
        orders.refund(order=order, amount=Decimal("10.00"), ref="try", reason="", actor=None)
    assert refused.value.code == "refund_failed"
    order.refresh_from_db()
    assert order.refunded_total == 0
    assert ledger.transaction_for(f"order:{order.pk}:refund:try") is None
