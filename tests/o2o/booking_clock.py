"""The bookings tests' clock: Monday 7 December 2026, 08:00 in Nanjing, and times on that day.

A test module takes the clock by importing `monday_morning` (an autouse fixture) with the helpers it uses."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests import factories
from tradeloop.o2o import bookings
from tradeloop.o2o.models import Booking

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def monday_morning(clock):
    clock.travel(datetime(2026, 12, 7, 8, 0, tzinfo=SHANGHAI))
    yield clock
    clock.reset()


def at(hour: int, minute: int = 0, day: date = MONDAY, zone=SHANGHAI) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def booked(service, consumer=None, starts_at=None) -> Booking:
    """A booking of the service at its (first) place, by a new consumer unless one is given, at 10:00 by default."""
    return bookings.book(
        actor=consumer or factories.UserFactory(),
        service_id=service.pk,
        place_id=service.places.get().pk,
        starts_at=starts_at or at(10),
    )
