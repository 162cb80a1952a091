"""o2o's timed rules: the scheduler (celery beat, tradeloop/celery.py) only calls the sweeps."""

from __future__ import annotations

from celery import shared_task  # noqa: F401

from tradeloop.core import clock  # noqa: F401

# --- bookings: unanswered requests lapse (deposit refunded); reminders before the start ---


@shared_task
def sweep_lapsed_bookings() -> int:
    from tradeloop.o2o import bookings

    return bookings.sweep_lapsed(clock.now())


@shared_task
def sweep_booking_reminders() -> int:
    from tradeloop.o2o import bookings

    return bookings.sweep_reminders(clock.now())
