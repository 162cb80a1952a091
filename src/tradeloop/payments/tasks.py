"""Background jobs of the money layer: thin wrappers over services, plus the sandbox gateway's webhook sender."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

from celery import shared_task

from tradeloop.core import clock
from tradeloop.payments import services
from tradeloop.payments.providers import sandbox

log = logging.getLogger(__name__)

WEBHOOK_TIMEOUT_SECONDS = 10
MAX_BACKOFF_SECONDS = 600


@shared_task(bind=True, max_retries=10, acks_late=True)
def deliver_sandbox_webhook(self, event: dict) -> int:
    """POST the signed event to our own webhook endpoint, as the sandbox gateway's servers would; retried with
    exponential backoff until it is accepted (the site is down, busy, or a receiver failed and rolled back).
    A 400 (bad signature, malformed event) will not get better: logged, not retried."""
    body = sandbox.encode(event)
    request = urllib.request.Request(
        sandbox.webhook_url(),
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", sandbox.SIGNATURE_HEADER: sandbox.sign(body)},
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        if exc.code == 400:
            log.error("sandbox webhook %s refused: %s", event.get("id"), exc.read()[:300])
            return exc.code
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


def _backoff(retries: int) -> int:
    return min(2**retries, MAX_BACKOFF_SECONDS)


@shared_task
def expire_payments() -> int:
    return services.sweep_expired_payments(clock.now())


@shared_task
def pay_out_sellers() -> int:
    return len(services.run_payouts(now=clock.now()))
