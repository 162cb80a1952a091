from celery import shared_task

from tradeloop.core import clock
from tradeloop.fulfilment.services import sweep_ship_deadlines


@shared_task
def ship_deadlines() -> int:
    """Ship-by reminders and, when configured, cancelling orders not shipped in time."""
    return sweep_ship_deadlines(clock.now())
