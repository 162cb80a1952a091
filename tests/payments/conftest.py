import json
from datetime import timedelta
from decimal import Decimal

import pytest

from tradeloop.core import clock
from tradeloop.core.money import Money
from tradeloop.payments import services
from tradeloop.payments.providers import sandbox


@pytest.fixture
def eager(settings):
    """No worker: the sandbox gateway hands its signed webhooks over in-process (still verified, still deduped)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings


@pytest.fixture
def buyer(user):
    return user


@pytest.fixture
def start(buyer):
    def make(amount: str = "88.00", currency: str = "CNY", minutes: int = 15, payer=None):
        return services.start_payment(
            payer=payer or buyer,
            amount=Money(Decimal(amount), currency),
            purpose="checkout:1",
            return_url="/orders/done/",
            expires_at=clock.now() + timedelta(minutes=minutes),
        )

    return make


def signed(event: dict) -> sandbox.SignedBody:
    return sandbox.SignedBody.of(event)


def post_webhook(client, event: dict, *, signature: str | None = None):
    body = sandbox.encode(event)
    return client.post(
        "/api/v1/payments/webhook?provider=sandbox",
        body,
        content_type="application/json",
        headers={"X-Sandbox-Signature": signature if signature is not None else sandbox.sign(body)},
    )


def captured_event(payment, event_id: str = "evt_1", amount: str | None = None) -> dict:
    return {
        "id": event_id,
        "type": "payment.captured",
        "created": "2025-01-01T00:00:00+00:00",
        "data": {"payment": payment.token, "amount": amount or str(payment.amount), "currency": payment.currency},
    }


def as_json(response) -> dict:
    return json.loads(response.content)


from tests.api.conftest import api, api_as  # noqa: E402,F401 - shared API client fixtures
