"""reviews' periodic jobs: thin wrappers over its services."""

from celery import shared_task

from tradeloop.core import clock
from tradeloop.reviews.reputation import sweep_reputations


@shared_task
def refresh_reputations() -> int:
    """Recompute the sellers' reputations that are stale (older than reviews.reputation.STALE) or missing."""
    return sweep_reputations(clock.now())
