"""Webhooks against a real HTTP receiver on 127.0.0.1: signed JSON, retried with backoff (the clock moves), logged per
attempt, replayed, given up after N; bad input answers 4xx. Orders' events reach the seller's endpoints."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests import factories
from tradeloop.core.errors import ValidationFailed
from tradeloop.notifications import webhooks
from tradeloop.notifications.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server in a thread: answers `codes` in turn (then 200), records what it got."""

    def __init__(self, codes=()):
        self.codes = list(codes)
        self.got: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.got.append({"headers": dict(self.headers), "body": body})
                code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"ok" if code == 200 else b"try later")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hooked(merchant):
    def make(url, events=("order.placed", "order.paid")):
        return webhooks.create_endpoint(actor=merchant.owner, organization_id=merchant.pk, url=url, events=events)

    return make


def test_signed_retried_with_backoff_and_logged(
    merchant, hooked, clock, celery_eager, django_capture_on_commit_callbacks
):
    with Receiver(codes=[500, 503]) as receiver:
        hook = hooked(receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            order = factories.paid_order(seller=merchant)
        placed = WebhookDelivery.objects.get(endpoint=hook, event_type="order.placed")
        paid = WebhookDelivery.objects.get(endpoint=hook, event_type="order.paid")
        # the first tries happened on commit: both answered 5xx, the next try is a minute away
        assert (placed.attempts, placed.state, placed.last_status) == (1, "pending", 500)
        assert paid.last_status == 503
        assert placed.next_attempt_at == placed.attempt_log.get().at + timedelta(seconds=60)
        assert webhooks.sweep_webhook_retries(clock.now()) == 0  # not due yet
        clock.advance(seconds=61)
        assert webhooks.sweep_webhook_retries(clock.now()) == 2
        assert webhooks.sweep_webhook_retries(clock.now()) == 0  # idempotent
        placed.refresh_from_db()
        assert (placed.state, placed.attempts, placed.last_status) == ("succeeded", 2, 200)
        assert [a.status_code for a in placed.attempt_log.order_by("at", "pk")] == [500, 200]
        assert all(a.duration_ms >= 0 for a in placed.attempt_log.all())

    last = receiver.got[-1]
    body = json.loads(last["body"])
    assert set(body) == {"id", "type", "created", "data"} and body["data"]["order"]["number"] == order.number
    assert last["headers"]["X-Tradeloop-Event"] == body["type"]
    assert last["headers"]["X-Tradeloop-Delivery"] in {str(placed.pk), str(paid.pk)}
    signature = last["headers"]["X-Tradeloop-Signature"]
    assert webhooks.verify_signature(hook.secret, signature, last["body"], now=clock.now().timestamp())
    assert not webhooks.verify_signature("whsec_wrong", signature, last["body"], now=clock.now().timestamp())
    assert not webhooks.verify_signature(hook.secret, signature, last["body"] + b" ", now=clock.now().timestamp())
    # the same event id every time: a receiver deduplicates on it
    ids = [json.loads(g["body"])["id"] for g in receiver.got if json.loads(g["body"])["type"] == "order.placed"]
    assert len(ids) == 2 and len(set(ids)) == 1


def test_a_failing_endpoint_gives_up_after_n_attempts_and_replay_starts_again(merchant, hooked, clock):
    with Receiver(codes=[500] * 20) as receiver:
        hook = hooked(receiver.url, events=["order.placed"])
        factories.paid_order(seller=merchant)  # not committed here: the sweep sends it
        delivery = WebhookDelivery.objects.get(endpoint=hook)
        waits = []
        for _ in range(webhooks.max_attempts()):
            assert webhooks.sweep_webhook_retries(clock.now()) == 1
            delivery.refresh_from_db()
            if delivery.next_attempt_at:
                waits.append(round((delivery.next_attempt_at - clock.now()).total_seconds()))
                clock.travel(delivery.next_attempt_at)
        assert waits == [60, 300, 1800, 7200, 43200]  # 1 min, 5 min, 30 min, 2 h, 12 h
        assert (delivery.state, delivery.attempts) == ("failed", 6)
        clock.advance(days=2)
        assert webhooks.sweep_webhook_retries(clock.now()) == 0  # given up
        assert len(receiver.got) == 6

        receiver.codes = []
        replayed = webhooks.replay(actor=merchant.owner, delivery_id=delivery.pk)
        assert (replayed.state, replayed.attempts) == ("pending", 0)
        assert webhooks.sweep_webhook_retries(clock.now()) == 1
        delivery.refresh_from_db()
        assert delivery.state == "succeeded" and delivery.attempt_log.count() == 7


def test_unreachable_endpoint_logs_the_error(merchant, hooked, clock):
    hook = hooked("http://127.0.0.1:9/nothing-listens", events=["order.placed"])
    factories.paid_order(seller=merchant)
    webhooks.sweep_webhook_retries(clock.now())
    attempt = WebhookDelivery.objects.get(endpoint=hook).attempt_log.get()
    assert attempt.status_code is None and attempt.error


def test_urls_events_and_private_addresses_are_checked(merchant, hooked, settings):
    for bad in ["ftp://example.com/x", "javascript:alert(1)", "http://", "file:///etc/passwd", "http://u:p@x.com/"]:
        with pytest.raises(ValidationFailed) as exc:
            hooked(bad)
        assert exc.value.code == "webhook_url_not_allowed"
    with pytest.raises(ValidationFailed) as exc:
        hooked("https://example.com/hook", events=["order.exploded"])
    assert exc.value.code == "unknown_webhook_event"
    settings.TRADELOOP_WEBHOOK_ALLOW_PRIVATE = False  # production
    for private in ["http://127.0.0.1:8000/x", "http://10.0.0.2/x", "http://[::1]/x", "http://169.254.169.254/x"]:
        with pytest.raises(ValidationFailed):
            hooked(private)


def test_api_endpoints_deliveries_replay_and_errors(client, merchant, clock):
    client.force_login(merchant.owner)
    with Receiver() as receiver:
        made = client.post(
            "/api/v1/webhooks",
            {"organization": merchant.pk, "url": receiver.url, "events": ["order.paid"]},
            content_type="application/json",
        )
        assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
        hook_id = made.json()["id"]
        listed = client.get(f"/api/v1/webhooks?organization={merchant.pk}").json()
        assert [h["id"] for h in listed] == [hook_id] and "secret" not in listed[0]
        sent = client.post(f"/api/v1/webhooks/{hook_id}/test")
        assert sent.status_code == 201 and sent.json()["event_type"] == "webhook.test"
        webhooks.sweep_webhook_retries(clock.now())
        page = client.get(f"/api/v1/webhooks/{hook_id}/deliveries").json()
        assert page["items"][0]["state"] == "succeeded" and page["items"][0]["attempt_log"][0]["status_code"] == 200
        delivery_id = page["items"][0]["id"]
        assert client.post(f"/api/v1/webhooks/deliveries/{delivery_id}/replay").json()["state"] == "pending"
        webhooks.sweep_webhook_retries(clock.now())
        assert len(receiver.got) == 2

    def post(body):
        return client.post("/api/v1/webhooks", body, content_type="application/json")

    assert post({"organization": merchant.pk, "url": "gopher://x", "events": ["order.paid"]}).status_code == 400
    assert post({"organization": merchant.pk, "url": "https://x.com", "events": ["nope"]}).status_code == 400
    assert post({"organization": merchant.pk, "url": "https://x.com", "events": []}).status_code in (400, 422)
    assert post({"organization": merchant.pk, "events": ["order.paid"]}).status_code in (400, 422)
    stranger = factories.seller_with_owner(kind="merchant")
    assert post({"organization": stranger.pk, "url": "https://x.com", "events": ["order.paid"]}).status_code == 404
    client.force_login(stranger.owner)
    assert client.get(f"/api/v1/webhooks/{hook_id}/deliveries").status_code == 404  # another tenant's
    assert client.post(f"/api/v1/webhooks/deliveries/{delivery_id}/replay").status_code == 404
    assert client.delete(f"/api/v1/webhooks/{hook_id}").status_code == 404
    client.force_login(merchant.owner)
    assert client.delete(f"/api/v1/webhooks/{hook_id}").status_code == 204
    assert not WebhookEndpoint.objects.filter(pk=hook_id).exists()


def test_console_page_adds_an_endpoint_shows_the_secret_once_and_sends_a_test(client, merchant, clock):
    client.force_login(merchant.owner)
    url = f"/console/{merchant.pk}/webhooks/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"url": "ftp://x", "events": ["order.paid"]})
    assert bad.status_code == 400 and "http://" in bad.content.decode()
    with Receiver() as receiver:
        made = client.post(url, {"url": receiver.url, "events": ["order.paid", "order.placed"]})
        hook = WebhookEndpoint.objects.get(organization=merchant)
        assert hook.secret in made.content.decode()
        assert hook.secret not in client.get(url).content.decode()  # shown once
        page = f"/console/{merchant.pk}/webhooks/{hook.pk}/"
        client.post(page, {"action": "test"})
        webhooks.sweep_webhook_retries(clock.now())
        assert "HTTP 200" in client.get(page).content.decode()
        delivery = hook.deliveries.get()
        client.post(page, {"action": "replay", "delivery": delivery.pk})
        webhooks.sweep_webhook_retries(clock.now())
        assert len(receiver.got) == 2
    assert client.post(page, {"action": "replay", "delivery": "x"}).status_code == 302  # an error message, no 500
    staff = factories.UserFactory()
    client.force_login(staff)
    assert client.get(url).status_code == 404
