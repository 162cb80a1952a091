from celery import shared_task

from tradeloop.checkout.reactions import sweep_expired_checkouts
from tradeloop.core import clock


@shared_task
def expire_checkouts() -> int:
    """Checkouts not paid in time expire (their orders are cancelled first). Idempotent."""
    return sweep_expired_checkouts(clock.now())
