"""Ship-by deadline: one reminder a day before, then the unshipped order is cancelled and refunded (configurable)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tradeloop.fulfilment import services as fulfilment
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance, ledger_is_balanced
from tradeloop.orders.models import Order
from tradeloop.payments.models import Refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(merchant):
    return factories.paid_order(seller=merchant)


def sweep(clock, capture) -> int:
    with capture(execute=True):
        return fulfilment.sweep_ship_deadlines(clock.now())


def reminders(mailoutbox, order) -> list:
    return [m for m in mailoutbox if order.number in m.subject and "within 24 hours" in m.subject]


def test_one_reminder_a_day_before_the_deadline(
    order, merchant, clock, celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    clock.travel(order.ship_by - timedelta(hours=25))
    assert sweep(clock, django_capture_on_commit_callbacks) == 0

    clock.travel(order.ship_by - timedelta(hours=23))
    assert sweep(clock, django_capture_on_commit_callbacks) == 1
    assert sweep(clock, django_capture_on_commit_callbacks) == 0  # idempotent
    clock.advance(hours=12)
    assert sweep(clock, django_capture_on_commit_callbacks) == 0

    sent = reminders(mailoutbox, order)
    assert [m.to for m in sent] == [[merchant.owner.email]]
    order.refresh_from_db()
    assert order.ship_reminder_sent_at is not None
    assert order.state == Order.State.PAID


def test_missed_deadline_cancels_and_refunds_everything(
    order, merchant, clock, celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    pending = ledger.seller_pending(merchant, order.currency)
    assert balance(pending).amount > 0
    clock.travel(order.ship_by + timedelta(seconds=1))
    assert sweep(clock, django_capture_on_commit_callbacks) == 1  # cancelled (too late for a reminder)
    assert sweep(clock, django_capture_on_commit_callbacks) == 0  # running twice changes nothing

    order.refresh_from_db()
    assert order.state == Order.State.CANCELLED
    assert order.refunded_total == order.total
    refund = Refund.objects.get(payment=order.payment)
    assert refund.amount == order.total and refund.state == Refund.State.SUCCEEDED
    assert balance(pending).amount == 0
    assert ledger_is_balanced()
    cancelled = [m for m in mailoutbox if "cancelled" in m.subject]
    assert [m.to for m in cancelled] == [[order.buyer.email]]


def test_no_auto_cancel_when_switched_off(order, clock, settings, django_capture_on_commit_callbacks):
    settings.TRADELOOP_AUTO_CANCEL_UNSHIPPED = False
    clock.travel(order.ship_by + timedelta(days=2))
    sweep(clock, django_capture_on_commit_callbacks)
    order.refresh_from_db()
    assert order.state == Order.State.PAID


def test_a_partly_shipped_order_is_reminded_but_not_cancelled(
    order, merchant, clock, django_capture_on_commit_callbacks
):
    line = order.lines.get()
    fulfilment.ship(actor=merchant.owner, order=order, lines={line.pk: 1}, carrier="SF", tracking_number="PART1")
    clock.travel(order.ship_by - timedelta(hours=1))
    assert sweep(clock, django_capture_on_commit_callbacks) == 1
    clock.travel(order.ship_by + timedelta(days=1))
    assert sweep(clock, django_capture_on_commit_callbacks) == 0
    order.refresh_from_db()
    assert order.state == Order.State.PARTIALLY_SHIPPED
    assert order.refunded_total == Decimal(0)


def test_shipped_orders_are_left_alone(order, merchant, clock, django_capture_on_commit_callbacks):
    fulfilment.ship(actor=merchant.owner, order=order, lines=None, carrier="SF", tracking_number="OK1")
    clock.travel(order.ship_by + timedelta(days=1))
    assert sweep(clock, django_capture_on_commit_callbacks) == 0
    order.refresh_from_db()
    assert order.state == Order.State.SHIPPED


def test_a_refused_refund_leaves_the_order_for_the_next_run(
    order, clock, monkeypatch, django_capture_on_commit_callbacks
):
    from tradeloop.payments.providers import sandbox
    from tradeloop.payments.providers.base import Outcome

    monkeypatch.setattr(sandbox.SandboxProvider, "refund", lambda self, refund: Outcome.failed("provider down"))
    clock.travel(order.ship_by + timedelta(days=2))
    sweep(clock, django_capture_on_commit_callbacks)  # does not stop at the refusal
    order.refresh_from_db()
    assert order.state == Order.State.PAID and order.refunded_total == 0  # nothing half-done
    monkeypatch.undo()
    sweep(clock, django_capture_on_commit_callbacks)
    order.refresh_from_db()
    assert order.state == Order.State.CANCELLED and order.refunded_total == order.total
