from celery import shared_task

from tradeloop.core import clock
from tradeloop.inventory.services import sweep_expired_reservations


@shared_task
def release_expired_reservations() -> int:
    """Held stock whose payment time ran out becomes available again (idempotent)."""
    return sweep_expired_reservations(clock.now())
