"""Bookings: free slots in the place's time zone, booking (one per staff and time), deposits paid and given back,
the shop's answer and its window, cancellation fees, completion, no-shows and reminders, with the ledger checked."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from tests import factories
from tests.o2o import local
from tests.o2o.booking_clock import MONDAY, SHANGHAI, at, monday_morning  # noqa: F401
from tradeloop.core import clock as tl_clock
from tradeloop.core.errors import Conflict, IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance, ledger_is_balanced
from tradeloop.o2o import booking_selectors as selectors
from tradeloop.o2o import bookings
from tradeloop.o2o.models import Booking, DayOff
from tradeloop.orders.models import Order
from tradeloop.orders.services import sweep_unpaid_orders

pytestmark = pytest.mark.django_db


def book(service, consumer, starts_at, **kwargs) -> Booking:
    place = service.places.get()
    return bookings.book(actor=consumer, service_id=service.pk, place_id=place.pk, starts_at=starts_at, **kwargs)


def shop_owner(service):
    return service.product.seller.owner


# --- free slots -----------------------------------------------------------------------------------------------------


def test_slots_are_the_working_hours_in_steps_that_fit_the_duration():
    service = local.service(minutes=60)
    slots = selectors.free_slots(service, service.places.get(), MONDAY)
    assert [s.starts_at.strftime("%H:%M") for s in slots][:3] == ["09:00", "09:30", "10:00"]
    assert slots[-1].starts_at.strftime("%H:%M") == "17:00"  # 17:30 would end after 18:00
    assert len(slots) == 17
    assert slots[0].starts_at.utcoffset() == timedelta(hours=8)


def test_a_quarter_hour_step_for_durations_that_are_not_half_hours():
    service = local.service(minutes=45)
    starts = [s.starts_at.strftime("%H:%M") for s in selectors.free_slots(service, service.places.get(), MONDAY)]
    assert starts[:2] == ["09:00", "09:15"] and starts[-1] == "17:15"


def test_booked_times_days_off_and_the_past_are_not_free(clock):
    service = local.service(minutes=60)
    place = service.places.get()
    book(service, factories.UserFactory(), at(10))
    starts = {s.starts_at.strftime("%H:%M") for s in selectors.free_slots(service, place, MONDAY)}
    assert not {"09:30", "10:00", "10:30"} & starts and {"09:00", "11:00"} <= starts
    clock.travel(at(12, 10))
    starts = [s.starts_at.strftime("%H:%M") for s in selectors.free_slots(service, place, MONDAY)]
    assert starts[0] == "12:30"
    DayOff.objects.create(staff=service.staff.get(), day=MONDAY + timedelta(days=1))
    assert selectors.free_slots(service, place, MONDAY + timedelta(days=1)) == []


def test_anyone_lists_a_slot_if_any_qualified_staff_is_free_and_books_the_first_free_one():
    service = local.service(minutes=60)
    place = service.places.get()
    lin = service.staff.get()
    wang = local.stylist(place, service, name="Wang")
    local.stylist(place, name="Not qualified")  # does not perform the service
    slot = selectors.free_slots(service, place, MONDAY)[0]
    assert slot.staff_ids == (lin.pk, wang.pk)
    first = book(service, factories.UserFactory(), at(9))
    second = book(service, factories.UserFactory(), at(9))
    assert (first.staff_id, second.staff_id) == (lin.pk, wang.pk)
    assert at(9) not in [s.starts_at for s in selectors.free_slots(service, place, MONDAY)]
    with pytest.raises(Conflict) as refused:
        book(service, factories.UserFactory(), at(9))
    assert refused.value.code == "slot_taken"


def test_a_place_in_berlin_shows_its_own_clock_also_across_the_dst_change(clock):
    berlin = ZoneInfo("Europe/Berlin")
    place = local.place(time_zone="Europe/Berlin", at=(52.52, 13.405))
    service = local.service(place, minutes=60)
    clock.travel(datetime(2026, 3, 27, 12, 0, tzinfo=UTC_ZONE))
    summer_day = date(2026, 3, 30)  # after the change: UTC+2
    first = selectors.free_slots(service, place, summer_day)[0]
    assert first.starts_at == datetime(2026, 3, 30, 9, 0, tzinfo=berlin)
    assert first.starts_at.astimezone(UTC_ZONE).hour == 7
    winter_day = date(2026, 3, 28)  # before: UTC+1
    assert selectors.free_slots(service, place, winter_day)[0].starts_at.astimezone(UTC_ZONE).hour == 8
    night = local.stylist(place, service, name="Night", hours=("00:00", "06:00"))
    change_day = date(2026, 3, 29)  # 02:00 jumps to 03:00
    starts = [
        s.starts_at.strftime("%H:%M") for s in selectors.free_slots(service, place, change_day, staff_id=night.pk)
    ]
    assert "02:00" not in starts and "02:30" not in starts
    assert starts[:4] == ["00:00", "00:30", "01:00", "01:30"] and "03:00" in starts
    booked = book(service, factories.UserFactory(), datetime(2026, 3, 29, 1, 30, tzinfo=berlin), staff_id=night.pk)
    assert booked.ends_at - booked.starts_at == timedelta(hours=1)
    assert booked.ends_at.astimezone(berlin).strftime("%H:%M") == "03:30"


UTC_ZONE = ZoneInfo("UTC")


# --- booking ----------------------------------------------------------------------------------------------------------


def test_an_instant_service_without_deposit_is_confirmed_at_once():
    service = local.service()
    booking = book(service, factories.UserFactory(), at(14), note="short on the sides")
    assert booking.state == Booking.State.CONFIRMED and booking.order is None
    assert booking.ends_at == at(15) and booking.price == Decimal("120.00")


@pytest.mark.parametrize(
    "wanted",
    [
        {"starts_at": at(8)},  # before working hours
        {"starts_at": at(9, 10)},  # not on a step
        {"starts_at": at(17, 30)},  # would end after 18:00
        {"starts_at": datetime(2026, 12, 7, 7, 0, tzinfo=SHANGHAI)},  # in the past
    ],
)
def test_a_time_that_is_not_a_free_slot_is_refused(wanted):
    service = local.service()
    with pytest.raises(Conflict) as refused:
        book(service, factories.UserFactory(), **wanted)
    assert refused.value.code == "slot_taken"
    assert not Booking.objects.exists()


def test_another_place_or_an_unqualified_staff_member_is_refused():
    service = local.service()
    other = local.place()
    stranger = local.stylist(service.places.get(), name="Zhou")
    with pytest.raises(NotFound):
        bookings.book(actor=factories.UserFactory(), service_id=service.pk, place_id=other.pk, starts_at=at(10))
    with pytest.raises(NotFound):
        book(service, factories.UserFactory(), at(10), staff_id=stranger.pk)


def test_the_shop_cannot_book_its_own_service_and_a_guest_must_sign_in():
    from django.contrib.auth.models import AnonymousUser

    from tradeloop.core.errors import NotAuthenticated

    service = local.service()
    with pytest.raises(ValidationFailed):
        book(service, shop_owner(service), at(10))
    with pytest.raises(NotAuthenticated):
        book(service, AnonymousUser(), at(10))


def test_booking_twice_with_one_idempotency_key_answers_the_same_booking():
    service = local.service()
    consumer = factories.UserFactory()
    first = book(service, consumer, at(10), key="k-1")
    assert book(service, consumer, at(10), key="k-1").pk == first.pk
    assert Booking.objects.count() == 1


def test_sequential_requests_for_one_slot_make_one_booking():
    service = local.service()
    outcomes = []
    for _ in range(5):
        try:
            book(service, factories.UserFactory(), at(11))
            outcomes.append("ok")
        except Conflict as refused:
            outcomes.append(refused.code)
    assert outcomes == ["ok"] + ["slot_taken"] * 4


# --- deposits -------------------------------------------------------------------------------------------------------


def deposit_service(**fields):
    fields.setdefault("deposit", Decimal("50.00"))
    fields.setdefault("cancel_fee", Decimal("20.00"))
    fields.setdefault("free_cancel_hours", 24)
    return local.service(**fields)


def paid_booking(service, starts_at, consumer=None) -> Booking:
    booking = book(service, consumer or factories.UserFactory(), starts_at)
    factories.pay_placed(booking.order)
    booking.refresh_from_db()
    return booking


def test_a_deposit_places_an_o2o_order_and_holds_the_slot_until_paid():
    service = deposit_service()
    booking = book(service, factories.UserFactory(), at(10, day=MONDAY + timedelta(days=3)))
    order = booking.order
    assert order.mode == Order.Mode.O2O and order.total == Decimal("50.00") and order.held_in_escrow
    assert booking.state == Booking.State.REQUESTED and bookings.awaits_payment(booking)
    factories.pay_placed(order)
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED
    assert ledger.order_money(order).in_escrow == Decimal("50.00")


def test_an_unpaid_deposit_releases_the_slot_when_the_payment_time_runs_out(clock):
    service = deposit_service()
    place = service.places.get()
    booking = book(service, factories.UserFactory(), at(10))
    assert at(10) not in [s.starts_at for s in selectors.free_slots(service, place, MONDAY)]
    clock.advance(minutes=16)
    assert sweep_unpaid_orders(tl_clock.now()) == 1
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    assert at(10) in [s.starts_at for s in selectors.free_slots(service, place, MONDAY)]


def test_cancelling_or_declining_before_the_deposit_is_paid_cancels_its_order():
    service = deposit_service(instant_confirm=False)
    booking = book(service, factories.UserFactory(), at(10, day=MONDAY + timedelta(days=2)))
    cancelled = bookings.cancel(actor=booking.consumer, booking_id=booking.pk)
    assert cancelled.state == Booking.State.CANCELLED and cancelled.cancel_fee_charged == 0
    assert Order.objects.get(pk=booking.order_id).state == Order.State.CANCELLED
    other = book(service, factories.UserFactory(), at(12, day=MONDAY + timedelta(days=2)))
    declined = bookings.decline(actor=shop_owner(service), booking_id=other.pk)
    assert declined.state == Booking.State.DECLINED
    assert Order.objects.get(pk=other.order_id).state == Order.State.CANCELLED


def test_cancelling_before_the_free_limit_refunds_the_whole_deposit():
    service = deposit_service()
    booking = paid_booking(service, at(10, day=MONDAY + timedelta(days=2)))
    cancelled = bookings.cancel(actor=booking.consumer, booking_id=booking.pk)
    assert cancelled.state == Booking.State.CANCELLED and cancelled.cancel_fee_charged == 0
    order = Order.objects.get(pk=booking.order_id)
    assert order.state == Order.State.CANCELLED and order.refunded_total == Decimal("50.00")
    assert ledger.order_money(order).in_escrow == 0
    assert ledger_is_balanced()


def test_cancelling_late_keeps_the_fee_for_the_merchant_and_refunds_the_rest(clock):
    service = deposit_service()
    booking = paid_booking(service, at(10, day=MONDAY + timedelta(days=2)))
    clock.travel(at(11, day=MONDAY + timedelta(days=1)))  # 23 hours before: inside the 24 h
    assert bookings.cancel_fee_now(booking) == Decimal("20.00")
    cancelled = bookings.cancel(actor=booking.consumer, booking_id=booking.pk)
    assert cancelled.cancel_fee_charged == Decimal("20.00")
    order = Order.objects.get(pk=booking.order_id)
    assert order.refunded_total == Decimal("30.00") and order.state == Order.State.COMPLETED
    assert ledger.order_money(order).in_escrow == 0
    seller = ledger.seller_available(order.seller, "CNY")
    commission = (Decimal("20.00") * order.commission_rate).quantize(Decimal("0.01"))
    assert balance(seller).amount == Decimal("20.00") - commission


def test_a_cancelled_booking_cannot_be_cancelled_again_nor_by_someone_else():
    service = local.service()
    booking = book(service, factories.UserFactory(), at(15))
    with pytest.raises(NotFound):
        bookings.cancel(actor=factories.UserFactory(), booking_id=booking.pk)
    bookings.cancel(actor=booking.consumer, booking_id=booking.pk)
    with pytest.raises(Conflict):
        bookings.cancel(actor=booking.consumer, booking_id=booking.pk)


# --- the shop's answer ------------------------------------------------------------------------------------------------


def test_a_request_waits_for_the_shop_which_confirms_or_declines():
    service = deposit_service(instant_confirm=False)
    booking = paid_booking(service, at(10, day=MONDAY + timedelta(days=1)))
    assert booking.state == Booking.State.REQUESTED
    assert abs(booking.answer_by - (tl_clock.now() + timedelta(hours=12))) < timedelta(seconds=30)
    confirmed = bookings.confirm(actor=shop_owner(service), booking_id=booking.pk)
    assert confirmed.state == Booking.State.CONFIRMED and confirmed.confirmed_at is not None
    other = paid_booking(service, at(14, day=MONDAY + timedelta(days=1)))
    declined = bookings.decline(actor=shop_owner(service), booking_id=other.pk, reason="stylist ill")
    assert declined.state == Booking.State.DECLINED
    assert Order.objects.get(pk=other.order_id).refunded_total == Decimal("50.00")


def test_the_shop_cannot_confirm_before_the_deposit_is_paid_and_another_shop_sees_nothing():
    service = deposit_service(instant_confirm=False)
    booking = book(service, factories.UserFactory(), at(10, day=MONDAY + timedelta(days=1)))
    with pytest.raises(Conflict) as refused:
        bookings.confirm(actor=shop_owner(service), booking_id=booking.pk)
    assert refused.value.code == "deposit_unpaid"
    with pytest.raises(NotFound):
        bookings.confirm(actor=local.local_business().owner, booking_id=booking.pk)


def test_an_unanswered_request_lapses_and_its_deposit_is_refunded(clock):
    service = deposit_service(instant_confirm=False)
    booking = paid_booking(service, at(10, day=MONDAY + timedelta(days=2)))
    clock.advance(hours=11, minutes=59)
    assert bookings.sweep_lapsed(tl_clock.now()) == 0
    clock.advance(minutes=2)
    assert bookings.sweep_lapsed(tl_clock.now()) == 1
    assert bookings.sweep_lapsed(tl_clock.now()) == 0  # idempotent
    booking.refresh_from_db()
    assert booking.state == Booking.State.LAPSED
    order = Order.objects.get(pk=booking.order_id)
    assert order.refunded_total == Decimal("50.00") and ledger.order_money(order).in_escrow == 0


def test_completed_releases_the_deposit_to_the_merchant_only_after_the_start(clock):
    service = deposit_service()
    booking = paid_booking(service, at(10))
    with pytest.raises(Conflict) as refused:
        bookings.complete(actor=shop_owner(service), booking_id=booking.pk)
    assert refused.value.code == "booking_not_started"
    clock.travel(at(11))
    done = bookings.complete(actor=shop_owner(service), booking_id=booking.pk)
    assert done.state == Booking.State.COMPLETED
    order = Order.objects.get(pk=booking.order_id)
    assert order.state == Order.State.COMPLETED and ledger.order_money(order).in_escrow == 0
    commission = (Decimal("50.00") * order.commission_rate).quantize(Decimal("0.01"))
    assert balance(ledger.seller_available(order.seller, "CNY")).amount == Decimal("50.00") - commission
    with pytest.raises(IllegalTransition):
        bookings.no_show(actor=shop_owner(service), booking_id=booking.pk)


def test_a_no_show_keeps_the_deposit_as_the_fee(clock):
    service = deposit_service()
    booking = paid_booking(service, at(10))
    clock.travel(at(10, 30))
    marked = bookings.no_show(actor=shop_owner(service), booking_id=booking.pk)
    assert marked.state == Booking.State.NO_SHOW and marked.cancel_fee_charged == Decimal("50.00")
    order = Order.objects.get(pk=booking.order_id)
    assert order.refunded_total == 0 and ledger.order_money(order).in_escrow == 0


def test_a_consumer_cannot_answer_for_the_shop():
    service = local.service(instant_confirm=False)
    booking = book(service, factories.UserFactory(), at(10))
    with pytest.raises(NotFound):
        bookings.confirm(actor=booking.consumer, booking_id=booking.pk)


def test_a_member_without_fulfilment_rights_cannot_answer():
    from tradeloop.accounts.models import Membership, Role

    service = local.service(instant_confirm=False)
    booking = book(service, factories.UserFactory(), at(10))
    clerk = factories.UserFactory()
    role = Role.objects.filter(code="catalog").first()
    if role is None:
        pytest.skip("no catalog role seeded")
    Membership.objects.create(user=clerk, organization=service.product.seller, role=role)
    with pytest.raises(PermissionDenied):
        bookings.confirm(actor=clerk, booking_id=booking.pk)


# --- reminders ----------------------------------------------------------------------------------------------------


def test_the_consumer_is_reminded_once_a_day_before(clock, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from tradeloop.celery import app

    app.conf.task_always_eager = True
    service = local.service()
    consumer = factories.UserFactory(language="zh-hans")
    booking = book(service, consumer, at(10, day=MONDAY + timedelta(days=2)))
    assert bookings.sweep_reminders(tl_clock.now()) == 0
    clock.travel(at(10, 30, day=MONDAY + timedelta(days=1)))
    with django_capture_on_commit():
        assert bookings.sweep_reminders(tl_clock.now()) == 1
    assert bookings.sweep_reminders(tl_clock.now()) == 0
    booking.refresh_from_db()
    assert booking.reminded_at is not None
    assert len(mail.outbox) == 1 and "莲花美发" in mail.outbox[0].subject


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
