"""The sandbox gateway's webhook, delivered for real: the buyer presses Pay on the hosted page, a real Celery
worker (a subprocess, Redis broker) POSTs the signed event over HTTP to the live server, and the payment is
captured. The worker needs no database: it only signs and sends, exactly like the provider's servers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import suppress

import pytest
from celery import Celery
from django.conf import settings
from django.test import Client

from tradeloop.payments import tasks
from tradeloop.payments.models import Payment, WebhookEvent

REDIS_URL = "redis://127.0.0.1:6379/14"
WAIT_SECONDS = 25


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def worker_queue(tmp_path, live_server):
    """A worker on its own queue, told where the site is; always stopped, its whole process group."""
    queue = f"test-sandbox-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TRADELOOP_TEST_DB_NAME"}}
    env.update(
        DJANGO_SETTINGS_MODULE="tradeloop.settings",
        TRADELOOP_DATA_DIR=str(tmp_path),
        REDIS_URL=REDIS_URL,
        TRADELOOP_BASE_URL=live_server.url,
        SECRET_KEY=settings.SECRET_KEY,
        TRADELOOP_SANDBOX_SECRET=settings.TRADELOOP_SANDBOX_SECRET,
    )
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tradeloop", "worker", "-P", "solo", "-l", "info", "-Q", queue],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield queue, log_path
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                worker.wait(timeout=3)
            with suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


@pytest.mark.skipif(not _redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_pay_on_the_hosted_page_and_a_real_worker_delivers_the_webhook(start, worker_queue, monkeypatch):
    queue, log_path = worker_queue
    broker = Celery("sandbox-probe", broker=REDIS_URL, backend=REDIS_URL)
    sent = []

    def to_the_test_worker(event: dict):
        sent.append(broker.send_task(tasks.deliver_sandbox_webhook.name, args=[event], queue=queue))

    monkeypatch.setattr(tasks.deliver_sandbox_webhook, "delay", to_the_test_worker)
    payment, url = start(amount="42.00")

    buyer_browser = Client()
    assert buyer_browser.get(url).status_code == 200
    assert buyer_browser.post(url, {"action": "pay"}).status_code == 302
    assert len(sent) == 1, "the gateway did not queue its webhook"
    assert sent[0].get(timeout=WAIT_SECONDS) == 200, log_path.read_text()[-3000:]

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        payment.refresh_from_db()
        if payment.state == Payment.State.CAPTURED:
            break
        time.sleep(0.1)
    assert payment.state == Payment.State.CAPTURED
    assert payment.captured_amount == payment.amount
    assert WebhookEvent.objects.get().kind == "payment.captured"


@pytest.mark.django_db(transaction=True)
def test_the_delivery_task_posts_the_signed_event_over_http(start, live_server, settings):
    from tradeloop.payments.providers import sandbox

    settings.TRADELOOP_BASE_URL = live_server.url
    payment, _ = start(amount="9.90")
    event = sandbox.new_event("payment.captured", payment=payment.token, amount="9.90", currency="CNY")
    assert tasks.deliver_sandbox_webhook.run(event) == 200
    assert tasks.deliver_sandbox_webhook.run(event) == 200  # the gateway's retry of a delivered event: no-op
    payment.refresh_from_db()
    assert payment.state == Payment.State.CAPTURED
    assert WebhookEvent.objects.count() == 1


class Retried(Exception):
    pass


def test_the_delivery_task_retries_while_the_site_is_unreachable(settings, monkeypatch):
    settings.TRADELOOP_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    countdowns = []

    def retry(exc=None, countdown=None, **kwargs):
        countdowns.append(countdown)
        raise Retried from exc

    monkeypatch.setattr(tasks.deliver_sandbox_webhook, "retry", retry)
    with pytest.raises(Retried):
        tasks.deliver_sandbox_webhook.run({"id": "evt_1", "type": "payment.captured", "data": {}})
    assert countdowns == [1]
