"""b2b's background jobs and timed rules (thin wrappers over services)."""

from celery import shared_task

from tradeloop.b2b.rfqs import sweep_rfq_deadlines
from tradeloop.core import clock


@shared_task
def close_rfqs() -> int:
    """Open RFQs past their deadline stop taking quotes."""
    return sweep_rfq_deadlines(clock.now())
