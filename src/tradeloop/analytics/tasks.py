"""analytics' background jobs, run by the beat (tradeloop/celery.py): thin wrappers over the services."""

from celery import shared_task

from tradeloop.analytics import rollups, visits
from tradeloop.core import clock


@shared_task
def flush_visits() -> int:
    """Every minute: the buffered page views into VisitCount."""
    return visits.flush()


@shared_task
def sweep_rollups() -> int:
    """Every 10 minutes: the recent days' sales rollups (idempotent)."""
    visits.flush()
    return rollups.sweep_rollups(clock.now())
