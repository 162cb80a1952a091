"""A real Celery worker (in a thread, in-memory broker) takes the delivery job queued on commit and POSTs the event to
a real local receiver: the path production takes, without eager mode."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction
from kombu import pools

from tests import factories
from tests.notifications.test_webhooks import Receiver
from tradeloop.celery import app
from tradeloop.notifications import webhooks
from tradeloop.notifications.models import WebhookDelivery


@pytest.fixture
def memory_broker():
    before = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = "memory://", "cache+memory://", False
    _fresh_pool()
    yield app
    app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = before
    _fresh_pool()


def _fresh_pool() -> None:
    """Connections are pooled per broker URL at first use, in kombu's global registry: close and forget them all, so
    the URL now configured gets a new pool (closing only the app's leaves the closed pool in the registry, and later
    tests' tasks fail with "Acquire on closed pool")."""
    pools.reset()
    app._pool = None
    app.__dict__.pop("amqp", None)
    app.__dict__.pop("backend", None)


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_the_event_queued_on_commit(memory_broker):
    merchant = factories.seller_with_owner(kind="merchant")
    with Receiver() as receiver:
        hook = webhooks.create_endpoint(
            actor=merchant.owner, organization_id=merchant.pk, url=receiver.url, events=["order.placed"]
        )
        with start_worker(memory_broker, perform_ping_check=False, shutdown_timeout=10):
            with transaction.atomic():
                webhooks.emit(organizations=[merchant], event_type="order.placed", data={"order": {"id": 1}}, ref="x")
                assert WebhookDelivery.objects.filter(endpoint=hook).exists()
                time.sleep(0.2)
                assert receiver.got == []  # nothing leaves before the commit
            deadline = time.monotonic() + 30
            while not receiver.got and time.monotonic() < deadline:
                time.sleep(0.1)
            delivery = WebhookDelivery.objects.get(endpoint=hook)
            while delivery.state == "pending" and time.monotonic() < deadline:
                time.sleep(0.1)
                delivery.refresh_from_db()
    assert len(receiver.got) == 1
    assert receiver.got[0]["headers"]["X-Tradeloop-Event"] == "order.placed"
    assert delivery.state == "succeeded" and delivery.attempt_log.get().status_code == 200
