"""Booking pages: the service page with staff, days and free slots; Book (sign-in, then the deposit's payment);
My bookings; a booking with cancel and its .ics; the console calendar with the answers; services and staff."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.o2o import local
from tests.o2o.booking_clock import MONDAY, SHANGHAI, at, booked, monday_morning  # noqa: F401
from tradeloop.o2o.models import Booking, Service, StaffMember

pytestmark = pytest.mark.django_db


def test_the_service_page_shows_terms_staff_days_and_slots(client):
    service = local.service(deposit=Decimal("30"), cancel_fee=Decimal("10"))
    page = client.get(f"/local/services/{service.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Cut and blow-dry" in html and "Senior stylist" in html and "Anyone" in html
    assert html.count('aria-current="date"') == 1 and "09:00" in html and "17:00" in html
    assert "Sign in to book" in html
    tomorrow = client.get(f"/local/services/{service.pk}/", {"day": "2026-12-08", "staff": service.staff.get().pk})
    assert tomorrow.status_code == 200
    assert client.get("/local/services/999999/").status_code == 404


def test_the_service_page_in_chinese(client):
    service = local.service()
    client.cookies["django_language"] = "zh-hans"
    html = client.get(f"/local/services/{service.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "林" in html


def test_booking_from_the_page_without_deposit_goes_to_the_booking(client):
    service = local.service()
    consumer = factories.UserFactory()
    client.force_login(consumer)
    answer = client.post(
        f"/local/services/{service.pk}/book/",
        {"place": service.places.get().pk, "starts_at": at(11).isoformat(), "note": "fringe"},
    )
    booking = Booking.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/local/bookings/{booking.pk}/"
    page = client.get(answer["Location"]).content.decode()
    assert "Confirmed" in page and "calendar.ics" in page and "Cancel booking" in page
    taken = client.post(
        f"/local/services/{service.pk}/book/", {"place": service.places.get().pk, "starts_at": at(11).isoformat()}
    )
    assert taken.status_code == 302 and Booking.objects.count() == 1


def test_booking_with_a_deposit_sends_the_consumer_to_pay(client):
    service = local.service(deposit=Decimal("30"))
    client.force_login(factories.UserFactory())
    answer = client.post(
        f"/local/services/{service.pk}/book/", {"place": service.places.get().pk, "starts_at": at(11).isoformat()}
    )
    booking = Booking.objects.get()
    assert booking.order is not None and answer.status_code == 302
    assert answer["Location"] != f"/local/bookings/{booking.pk}/"  # the payment page


def test_a_guest_is_asked_to_sign_in_to_book(client):
    service = local.service()
    answer = client.post(
        f"/local/services/{service.pk}/book/", {"place": service.places.get().pk, "starts_at": at(11).isoformat()}
    )
    assert answer.status_code == 302 and "/login/" in answer["Location"]
    assert not Booking.objects.exists()


def test_my_bookings_and_cancel_with_the_fee_shown(client, clock, django_assert_max_num_queries):
    service = local.service(deposit=Decimal("50"), cancel_fee=Decimal("20"), free_cancel_hours=48)
    consumer = factories.UserFactory()
    booking = booked(service, consumer, at(10, day=MONDAY + timedelta(days=1)))
    factories.pay_placed(booking.order)
    for hour in (12, 13, 14):
        booked(local.service(), consumer, at(hour))
    client.force_login(consumer)
    with django_assert_max_num_queries(14):
        page = client.get("/local/bookings/")
    assert page.status_code == 200 and page.content.decode().count("/local/bookings/") >= 4
    detail = client.get(f"/local/bookings/{booking.pk}/").content.decode()
    assert "keeps a fee of" in detail  # within 24 h of the start
    client.post(f"/local/bookings/{booking.pk}/cancel/", {"sure": "on"})
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED and booking.cancel_fee_charged == Decimal("20.00")
    ics = client.get(f"/local/bookings/{booking.pk}/calendar.ics")
    assert ics.status_code == 200 and b"STATUS:CANCELLED" in ics.content


def test_another_persons_booking_page_is_404(client):
    booking = booked(local.service())
    client.force_login(factories.UserFactory())
    assert client.get(f"/local/bookings/{booking.pk}/").status_code == 404
    assert client.get(f"/local/bookings/{booking.pk}/calendar.ics").status_code == 404
    assert client.post(f"/local/bookings/{booking.pk}/cancel/").status_code == 404


def test_the_place_page_lists_its_services_with_a_book_button(client, django_assert_max_num_queries):
    place = local.place()
    for n in range(4):
        local.service(place, title=f"Service {n}")
    html = client.get(f"/local/places/{place.pk}/").content.decode()
    assert html.count(f"?place={place.pk}") >= 4 and "Service 3" in html


def test_the_console_calendar_answers_and_marks(client, clock, django_assert_max_num_queries):
    service = local.service(instant_confirm=False)
    org = service.product.seller
    place = service.places.get()
    local.stylist(place, service, name="Wang")
    waiting = [booked(service, starts_at=at(hour)) for hour in (10, 10, 12)]
    client.force_login(org.memberships.get().user)
    url = f"/console/{org.pk}/bookings/"
    with django_assert_max_num_queries(25):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Lin" in html and "Wang" in html and "wait for your answer" in html
    assert client.get(url, {"view": "week"}).status_code == 200
    client.post(f"{url}{waiting[0].pk}/confirm/")
    client.post(f"{url}{waiting[1].pk}/decline/")
    waiting[0].refresh_from_db()
    waiting[1].refresh_from_db()
    assert (waiting[0].state, waiting[1].state) == ("confirmed", "declined")
    clock.travel(at(11, 5))
    client.post(f"{url}{waiting[0].pk}/complete/")
    waiting[0].refresh_from_db()
    assert waiting[0].state == "completed"
    assert client.post(f"{url}{waiting[2].pk}/explode/").status_code == 404
    other = local.local_business()
    client.force_login(other.owner)
    assert client.post(f"/console/{other.pk}/bookings/{waiting[2].pk}/confirm/").status_code == 404
    assert client.get(url).status_code == 404


def test_the_console_sets_up_services_and_staff(client):
    place = local.place()
    org = place.seller
    client.force_login(org.owner)
    assert client.get(f"/console/{org.pk}/services/").status_code == 200
    bad = client.post(
        f"/console/{org.pk}/services/new/",
        {
            "title": "Colour",
            "price": "280",
            "duration_minutes": 90,
            "deposit": "10",
            "cancel_fee": "30",
            "free_cancel_hours": 24,
            "places": [place.pk],
            "instant_confirm": "on",
            "is_active": "on",
        },
    )
    assert bad.status_code == 400 and not Service.objects.exists()
    made = client.post(
        f"/console/{org.pk}/services/new/",
        {
            "title": "Colour",
            "title_zh": "染发",
            "price": "280",
            "duration_minutes": 90,
            "deposit": "50",
            "cancel_fee": "20",
            "free_cancel_hours": 24,
            "places": [place.pk],
            "is_active": "on",
        },
    )
    assert made.status_code == 302
    service = Service.objects.get()
    assert not service.instant_confirm and service.deposit == Decimal("50.00")
    assert client.get(f"/console/{org.pk}/services/{service.pk}/").status_code == 200
    hours = {f"from_{d}": "10:00" for d in range(5)} | {f"until_{d}": "19:00" for d in range(5)}
    staff = client.post(
        f"/console/{org.pk}/staff/new/",
        {"place": place.pk, "name": "Wang", "name_zh": "王", "services": [service.pk], "is_active": "on", **hours},
    )
    assert staff.status_code == 302
    person = StaffMember.objects.get()
    assert person.hours.count() == 5
    wrong = client.post(
        f"/console/{org.pk}/staff/{person.pk}/",
        {"place": place.pk, "name": "Wang", "is_active": "on", "from_0": "19:00", "until_0": "10:00"},
    )
    assert wrong.status_code == 400 and person.hours.count() == 5
    client.post(f"/console/{org.pk}/staff/{person.pk}/days-off/", {"day": "2026-12-24", "reason": "Christmas"})
    assert person.days_off.count() == 1
    other = local.local_business()
    client.force_login(other.owner)
    assert client.get(f"/console/{org.pk}/services/").status_code == 404
