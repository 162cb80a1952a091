from celery import shared_task

from tradeloop.core import clock
from tradeloop.negotiation.services import sweep_expired, sweep_expiry_reminders


@shared_task
def expire_negotiations() -> int:
    """Open negotiations whose current version is past its validity expire."""
    return sweep_expired(clock.now())


@shared_task
def remind_expiring_negotiations() -> int:
    """Once per version, 24 h before it expires, `negotiation.signals.expiring_soon` is sent."""
    return sweep_expiry_reminders(clock.now())
