"""A voucher attached to a booking: only the consumer's valid voucher for a deal valid at that place; completing
the booking redeems it (the merchant is paid the voucher's price); a cancelled booking frees the voucher."""

from __future__ import annotations

import pytest

from tests import factories
from tests.o2o import local
from tests.o2o.booking_clock import MONDAY, SHANGHAI, at, monday_morning  # noqa: F401
from tests.o2o.dealing import available, bought, net_of, vouchers_of
from tradeloop.core.errors import ValidationFailed
from tradeloop.o2o import booking_selectors as selectors
from tradeloop.o2o import bookings
from tradeloop.o2o.models import Booking, Voucher

pytestmark = pytest.mark.django_db


def book(service, consumer, hour: int, voucher=None) -> Booking:
    return bookings.book(
        actor=consumer,
        service_id=service.pk,
        place_id=service.places.get().pk,
        starts_at=at(hour),
        voucher_id=voucher.pk if voucher else None,
    )


def test_completing_a_booking_redeems_its_voucher(clock):
    place = local.place()
    service = local.service(place)
    consumer = factories.UserFactory()
    order = bought(local.deal(place), consumer)
    voucher = vouchers_of(order)[0]
    assert selectors.usable_vouchers(consumer, place) == [voucher]
    booking = book(service, consumer, 10, voucher)
    assert booking.voucher_id == voucher.pk and selectors.usable_vouchers(consumer, place) == []
    before = available(order)
    clock.travel(at(11))
    bookings.complete(actor=service.product.seller.memberships.get().user, booking_id=booking.pk)
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.REDEEMED and voucher.redeemed_place_id == place.pk
    assert available(order) - before == net_of(order, voucher.price)


def test_someone_elses_or_another_places_voucher_is_refused():
    place = local.place()
    service = local.service(place)
    consumer = factories.UserFactory()
    elsewhere = bought(local.deal(local.place()), consumer)
    with pytest.raises(ValidationFailed) as refused:
        book(service, consumer, 10, vouchers_of(elsewhere)[0])
    assert refused.value.code == "voucher_not_usable"
    theirs = bought(local.deal(place))
    from tradeloop.core.errors import NotFound

    with pytest.raises(NotFound):
        book(service, consumer, 10, vouchers_of(theirs)[0])
    assert not Booking.objects.exists()


def test_a_cancelled_booking_gives_its_voucher_back():
    place = local.place()
    service = local.service(place)
    consumer = factories.UserFactory()
    voucher = vouchers_of(bought(local.deal(place), consumer))[0]
    booking = book(service, consumer, 10, voucher)
    bookings.cancel(actor=consumer, booking_id=booking.pk)
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.VALID and selectors.usable_vouchers(consumer, place) == [voucher]
    assert book(service, consumer, 12, voucher).voucher_id == voucher.pk
