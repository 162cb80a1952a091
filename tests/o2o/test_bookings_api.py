"""The bookings API: a service and its slots, booking, the consumer's list and cancel, the .ics file, the shop's
day and answers; another tenant's booking answers 404; the lists and the slots keep a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests import factories
from tests.o2o import local
from tests.o2o.booking_clock import MONDAY, SHANGHAI, at, booked, monday_morning  # noqa: F401

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_service_and_its_slots_in_the_place_time_zone(client):
    service = local.service(deposit=Decimal("30"), cancel_fee=Decimal("10"))
    place = service.places.get()
    body = client.get(f"/api/v1/services/{service.pk}").json()
    assert body["price"] == "120.00" and body["deposit"] == "30.00" and body["duration_minutes"] == 60
    assert body["place_ids"] == [place.pk] and body["staff"][0]["name"] == "Lin"
    answer = client.get(f"/api/v1/services/{service.pk}/slots", {"place": place.pk, "day": "2026-12-07"})
    assert answer.status_code == 200
    slots = answer.json()["slots"]
    assert answer.json()["time_zone"] == "Asia/Shanghai" and slots[0]["starts_at"] == "2026-12-07T09:00:00+08:00"
    assert (
        client.get(f"/api/v1/services/{service.pk}/slots", {"place": local.place().pk, "day": "2026-12-07"}).status_code
        == 404
    )
    assert client.get(f"/api/v1/services/{service.pk}/slots", {"place": place.pk, "day": "tomorrow"}).status_code == 422


def test_the_slots_endpoint_keeps_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    service = local.service(minutes=30)
    place = service.places.get()
    for n in range(5):
        local.stylist(place, service, name=f"Stylist {n}")
    for hour in (9, 10, 11, 12):
        booked(service, starts_at=at(hour))
    with django_assert_max_num_queries(8):
        answer = client.get(f"/api/v1/services/{service.pk}/slots", {"place": place.pk, "day": "2026-12-07"})
    assert answer.status_code == 200 and len(answer.json()["slots"]) > 10


def test_book_list_read_cancel_and_the_calendar_file(client):
    service = local.service()
    consumer = factories.UserFactory()
    client.force_login(consumer)
    made = client.post(
        "/api/v1/bookings",
        {
            "service_id": service.pk,
            "place_id": service.places.get().pk,
            "starts_at": "2026-12-08T14:00:00",
            "note": "hi",
        },
        content_type=JSON,
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["state"] == "confirmed" and body["starts_at"] == "2026-12-08T14:00:00+08:00"
    again = client.post(
        "/api/v1/bookings",
        {"service_id": service.pk, "place_id": service.places.get().pk, "starts_at": "2026-12-08T06:00:00Z"},
        content_type=JSON,
    )
    assert again.status_code == 409 and again.json()["code"] == "slot_taken"
    assert [b["id"] for b in client.get("/api/v1/bookings").json()] == [body["id"]]
    ics = client.get(f"/api/v1/bookings/{body['id']}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    event = parse_ics(ics.content.decode())
    assert event["DTSTART"] == "20261208T060000Z" and event["DTEND"] == "20261208T070000Z"
    assert event["UID"].startswith(f"booking-{body['id']}@") and "Cut and blow-dry" in event["SUMMARY"]
    assert "18 Zhongshan Road" in event["LOCATION"]
    cancelled = client.post(f"/api/v1/bookings/{body['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert client.post(f"/api/v1/bookings/{body['id']}/cancel").status_code == 409


def parse_ics(text: str) -> dict:
    """A small RFC 5545 reader: CRLF lines, unfolded, the VEVENT's properties (escapes undone)."""
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    unfolded = text.replace("\r\n ", "")
    lines = unfolded.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    event, inside = {}, False
    for line in lines:
        if line == "BEGIN:VEVENT":
            inside = True
        elif line == "END:VEVENT":
            inside = False
        elif inside:
            name, _, value = line.partition(":")
            event[name] = value.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n").replace("\\\\", "\\")
    for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION"):
        assert required in event
    return event


def test_another_persons_booking_is_404(client):
    booking = booked(local.service())
    client.force_login(factories.UserFactory())
    assert client.get(f"/api/v1/bookings/{booking.pk}").status_code == 404
    assert client.get(f"/api/v1/bookings/{booking.pk}/calendar.ics").status_code == 404
    assert client.post(f"/api/v1/bookings/{booking.pk}/cancel").status_code == 404


def test_a_guest_cannot_book(client):
    service = local.service()
    answer = client.post(
        "/api/v1/bookings",
        {"service_id": service.pk, "place_id": service.places.get().pk, "starts_at": "2026-12-08T14:00:00"},
        content_type=JSON,
    )
    assert answer.status_code == 401


def test_my_bookings_keeps_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    consumer = factories.UserFactory()
    service = local.service(minutes=30)
    for hour in range(9, 15):
        booked(service, consumer, at(hour))
    client.force_login(consumer)
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/bookings").json()) == 6


def test_the_shop_reads_its_day_and_answers(client, django_assert_max_num_queries):
    service = local.service(instant_confirm=False)
    org = service.product.seller
    waiting = [booked(service, starts_at=at(hour)) for hour in (10, 12, 14)]
    client.force_login(org.owner)
    with django_assert_max_num_queries(10):
        day = client.get("/api/v1/seller/bookings", {"organization": org.pk, "day": "2026-12-07"})
    assert [b["id"] for b in day.json()] == [b.pk for b in waiting]
    assert client.post(f"/api/v1/seller/bookings/{waiting[0].pk}/confirm").json()["state"] == "confirmed"
    declined = client.post(f"/api/v1/seller/bookings/{waiting[1].pk}/decline", {"reason": "ill"}, content_type=JSON)
    assert declined.json()["state"] == "declined"
    early = client.post(f"/api/v1/seller/bookings/{waiting[0].pk}/complete")
    assert early.status_code == 409 and early.json()["code"] == "booking_not_started"
    other = local.local_business()
    client.force_login(other.owner)
    assert client.post(f"/api/v1/seller/bookings/{waiting[2].pk}/confirm").status_code == 404
    assert client.get("/api/v1/seller/bookings", {"organization": org.pk, "day": "2026-12-07"}).status_code == 404
