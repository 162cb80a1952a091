"""The sandbox gateway behaves like a hosted one: page, Pay/Decline, a signed asynchronous webhook, timeouts."""

import pytest

from tests.payments.conftest import captured_event, post_webhook
from tradeloop.payments import services, signals
from tradeloop.payments.models import Payment, WebhookEvent

pytestmark = pytest.mark.django_db


class Heard:
    def __init__(self, signal):
        self.calls = []
        signal.connect(self.receive, weak=False)
        self.signal = signal

    def receive(self, sender, **kwargs):
        self.calls.append(kwargs)


@pytest.fixture
def captured_signals():
    heard = Heard(signals.payment_captured)
    yield heard
    signals.payment_captured.disconnect(heard.receive)


@pytest.fixture
def failed_signals():
    heard = Heard(signals.payment_failed)
    yield heard
    signals.payment_failed.disconnect(heard.receive)


def test_start_returns_the_hosted_page_and_the_payment_waits(start):
    payment, url = start()
    assert url == f"/pay/sandbox/{payment.token}/"
    assert payment.state == Payment.State.PENDING
    assert payment.provider_ref.startswith("sbx_pay_")


def test_hosted_page_shows_amount_and_pay_captures_through_the_webhook(
    client, start, eager, captured_signals, django_capture_on_commit_callbacks
):
    payment, url = start(amount="88.00")
    page = client.get(url)
    assert page.status_code == 200
    assert "88.00" in page.content.decode()
    assert b'value="pay"' in page.content and b'value="decline"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"action": "pay"})
    assert answer.status_code == 302 and answer["Location"] == "/orders/done/"
    payment.refresh_from_db()
    assert payment.state == Payment.State.CAPTURED
    assert payment.captured_amount == payment.amount
    assert [c["payment"].pk for c in captured_signals.calls] == [payment.pk]
    assert WebhookEvent.objects.filter(kind="payment.captured").count() == 1


def test_decline_fails_the_payment_with_a_reason(
    client, start, eager, failed_signals, django_capture_on_commit_callbacks
):
    payment, url = start()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "decline"})
    payment.refresh_from_db()
    assert payment.state == Payment.State.FAILED
    assert "declined" in payment.failure_reason
    assert [c["payment"].pk for c in failed_signals.calls] == [payment.pk]


def test_bad_signature_is_refused(client, start):
    payment, _ = start()
    answer = post_webhook(client, captured_event(payment), signature="0" * 64)
    assert answer.status_code == 400
    assert answer.json()["code"] == "bad_signature"
    payment.refresh_from_db()
    assert payment.state == Payment.State.PENDING
    assert not WebhookEvent.objects.exists()


def test_a_replayed_webhook_changes_nothing(client, start, captured_signals):
    payment, _ = start()
    assert post_webhook(client, captured_event(payment)).status_code == 200
    assert post_webhook(client, captured_event(payment)).status_code == 200
    payment.refresh_from_db()
    assert payment.state == Payment.State.CAPTURED
    assert len(captured_signals.calls) == 1
    assert WebhookEvent.objects.count() == 1


def test_unpaid_payment_expires_when_the_clock_passes_its_deadline(start, clock, failed_signals):
    payment, _ = start(minutes=15)
    clock.advance(minutes=14)
    assert services.sweep_expired_payments(clock.now()) == 0
    clock.advance(minutes=2)
    assert services.sweep_expired_payments(clock.now()) == 1
    assert services.sweep_expired_payments(clock.now()) == 0
    payment.refresh_from_db()
    assert payment.state == Payment.State.EXPIRED
    assert len(failed_signals.calls) == 1


def test_hosted_page_offers_a_timeout_and_takes_one_decision_only(client, start, django_capture_on_commit_callbacks):
    payment, url = start()
    page = client.get(url).content.decode()
    assert "Simulate timeout" in page and 'href="/orders/done/"' in page
    assert client.post(url, {"action": "steal"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=False) as queued:  # the webhook is on its way, not yet here
        client.post(url, {"action": "pay"})
        client.post(url, {"action": "decline"})
    assert len(queued) == 1
    waiting = client.get(url).content.decode()
    assert "Your answer was sent" in waiting and 'value="pay"' not in waiting


def test_hosted_page_of_an_unknown_payment_is_404(client):
    assert client.get("/pay/sandbox/nope/").status_code == 404
