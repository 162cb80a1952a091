"""Twenty consumers booking one slot of one stylist at once on PostgreSQL: exactly one booking."""

from __future__ import annotations

from datetime import timedelta

from tests.factories import UserFactory
from tests.o2o import local
from tests.races import RACE_MARKS, race
from tradeloop.o2o import booking_selectors as selectors
from tradeloop.o2o import bookings
from tradeloop.o2o.models import Booking

pytestmark = RACE_MARKS


def _first_slot_tomorrow(service):
    place = service.places.get()
    day = selectors.today_at(place) + timedelta(days=1)
    return place, selectors.free_slots(service, place, day)[0].starts_at


def test_twenty_concurrent_bookings_of_one_slot_make_one():
    service = local.service()
    place, starts_at = _first_slot_tomorrow(service)
    staff = service.staff.get()
    consumers = [UserFactory() for _ in range(20)]
    outcomes = race(
        lambda i: bookings.book(
            actor=consumers[i], service_id=service.pk, place_id=place.pk, starts_at=starts_at, staff_id=staff.pk
        ),
        racers=20,
    )
    assert outcomes.count("ok") == 1 and outcomes.count("slot_taken") == 19
    assert Booking.objects.filter(staff=staff, starts_at=starts_at).count() == 1


def test_concurrent_anyone_bookings_fill_each_stylist_once():
    service = local.service()
    place, starts_at = _first_slot_tomorrow(service)
    local.stylist(place, service, name="Wang")
    local.stylist(place, service, name="Zhou")
    consumers = [UserFactory() for _ in range(10)]
    outcomes = race(
        lambda i: bookings.book(actor=consumers[i], service_id=service.pk, place_id=place.pk, starts_at=starts_at),
        racers=10,
    )
    assert outcomes.count("ok") == 3
    booked = Booking.objects.filter(starts_at=starts_at)
    assert booked.count() == 3 and booked.values("staff").distinct().count() == 3
