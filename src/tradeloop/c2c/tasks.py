"""c2c's timed rules: the scheduler (celery beat, tradeloop/celery.py) only calls the sweeps."""

from __future__ import annotations

from celery import shared_task

from tradeloop.c2c import disputes, escrow
from tradeloop.core import clock


@shared_task
def sweep_auto_confirm() -> int:
    """Shipped escrow orders whose time to confirm ran out are released to the seller."""
    return escrow.sweep_auto_confirm(clock.now())


@shared_task
def sweep_dispute_deadlines() -> int:
    """Unanswered disputes escalate; returned items the seller did not confirm are refunded."""
    return disputes.sweep_dispute_deadlines(clock.now())


@shared_task
def sweep_expired_listings() -> int:
    """Listings past their expiry leave the storefront (renewed by their sellers)."""
    from tradeloop.c2c import listings

    return listings.sweep_expired_listings(clock.now())


@shared_task
def refresh_all_standings() -> int:
    """Nightly: every private seller's level recomputed (blind ratings become visible with time alone)."""
    from tradeloop.c2c import standing

    return standing.refresh_all_standings()
