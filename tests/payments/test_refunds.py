"""Refunds: through the provider, never more than was captured, once per ref, reported to higher layers."""

from decimal import Decimal

import pytest

from tests.payments.conftest import captured_event, post_webhook, signed
from tradeloop.core.errors import Conflict, ValidationFailed
from tradeloop.core.money import Money
from tradeloop.payments import services, signals
from tradeloop.payments.models import Payment, Refund, WebhookEvent
from tradeloop.payments.providers import sandbox

pytestmark = pytest.mark.django_db


def cny(amount) -> Money:
    return Money(Decimal(str(amount)), "CNY")


@pytest.fixture
def captured(start):
    payment, _ = start(amount="100.00")
    services.handle_webhook(provider="sandbox", request=signed(captured_event(payment)))
    payment.refresh_from_db()
    assert payment.state == Payment.State.CAPTURED
    return payment


@pytest.fixture
def heard():
    calls = []

    def receive(sender, refund, **kwargs):
        calls.append(refund)

    signals.refund_succeeded.connect(receive, weak=False)
    yield calls
    signals.refund_succeeded.disconnect(receive)


def test_partial_refunds_succeed_and_are_reported(captured, heard):
    first = services.refund(payment=captured, amount=cny(30), ref="return:1", reason="too small")
    second = services.refund(payment=captured, amount=cny(20), ref="return:2")
    assert first.state == second.state == Refund.State.SUCCEEDED
    assert first.provider_ref.startswith("sbx_re_")
    captured.refresh_from_db()
    assert captured.refunded_amount == Decimal("50")
    assert captured.refundable == Decimal("50")
    assert [r.ref for r in heard] == ["return:1", "return:2"]


def test_refunds_never_exceed_what_was_captured(captured):
    services.refund(payment=captured, amount=cny("99.99"), ref="a")
    with pytest.raises(Conflict) as caught:
        services.refund(payment=captured, amount=cny("0.02"), ref="b")
    assert caught.value.code == "refund_too_large"
    services.refund(payment=captured, amount=cny("0.01"), ref="c")
    captured.refresh_from_db()
    assert captured.refunded_amount == captured.captured_amount
    assert not Refund.objects.filter(ref="b").exists()


def test_refund_is_idempotent_per_ref(captured, heard):
    first = services.refund(payment=captured, amount=cny(10), ref="cancel:7")
    again = services.refund(payment=captured, amount=cny(10), ref="cancel:7")
    assert again.pk == first.pk
    captured.refresh_from_db()
    assert captured.refunded_amount == Decimal("10")
    assert len(heard) == 1


def test_only_a_captured_payment_can_be_refunded(start):
    payment, _ = start()
    with pytest.raises(Conflict) as caught:
        services.refund(payment=payment, amount=cny(1), ref="x")
    assert caught.value.code == "not_captured"


def test_bad_refund_input_is_refused(captured):
    with pytest.raises(ValidationFailed):
        services.refund(payment=captured, amount=Money(Decimal("1"), "USD"), ref="usd")
    with pytest.raises(ValidationFailed):
        services.refund(payment=captured, amount=cny(0), ref="zero")
    with pytest.raises(ValidationFailed):
        services.refund(payment=captured, amount=cny(1), ref="")


def test_the_providers_refund_webhook_is_a_no_op_after_the_synchronous_success(
    captured, heard, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.refund(payment=captured, amount=cny(10), ref="return:9")
    assert WebhookEvent.objects.filter(kind="refund.succeeded").count() == 1
    assert len(heard) == 1
    captured.refresh_from_db()
    assert captured.refunded_amount == Decimal("10")


def test_a_payment_captured_after_it_expired_is_refunded_at_once(start, clock, heard):
    payment, _ = start(minutes=15)
    clock.advance(minutes=16)
    services.sweep_expired_payments(clock.now())
    services.handle_webhook(provider="sandbox", request=signed(captured_event(payment, event_id="late")))
    payment.refresh_from_db()
    assert payment.state == Payment.State.EXPIRED
    assert payment.captured_amount == payment.refunded_amount == payment.amount
    assert payment.refunds.get().state == Refund.State.SUCCEEDED
    assert heard == []  # nothing was sold, so nothing upstream needs to hear about it


def test_a_failed_provider_refund_gives_the_amount_back(captured, monkeypatch):
    from tradeloop.payments.providers.base import Outcome

    monkeypatch.setattr(sandbox.SandboxProvider, "refund", lambda self, refund: Outcome.failed("bank closed"))
    failed = services.refund(payment=captured, amount=cny(40), ref="r")
    assert failed.state == Refund.State.FAILED
    captured.refresh_from_db()
    assert captured.refunded_amount == 0


def test_webhook_capture_of_an_unknown_payment_is_stored_and_ignored(client):
    answer = post_webhook(client, {"id": "evt_x", "type": "payment.captured", "data": {"payment": "nope"}})
    assert answer.status_code == 200
    assert WebhookEvent.objects.get().processed_at is not None


def test_a_malformed_but_signed_event_is_bad_input(client):
    body = b"not json"
    answer = client.post(
        "/api/v1/payments/webhook?provider=sandbox",
        body,
        content_type="application/json",
        headers={"X-Sandbox-Signature": sandbox.sign(body)},
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"


def test_an_unknown_provider_is_bad_input(client):
    answer = client.post("/api/v1/payments/webhook?provider=nope", b"{}", content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["field"] == "provider"
