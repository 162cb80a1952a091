"""Services and staff set up by the business: a service is a published catalog product of kind service with its
terms; staff, working hours and days off; bad input names the field and changes nothing; another business is 404."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from tests.o2o import local
from tradeloop.catalog.models import Product
from tradeloop.core.errors import NotFound, ValidationFailed
from tradeloop.o2o import staffing
from tradeloop.o2o.models import DayOff, Service, WorkingHours

pytestmark = pytest.mark.django_db
JSON = "application/json"


def data(place, **changes) -> staffing.ServiceData:
    fields = {
        "title": "Colour",
        "title_zh": "染发",
        "price": "280",
        "duration_minutes": 90,
        "deposit": "50",
        "cancel_fee": "20",
        "free_cancel_hours": 12,
        "instant_confirm": False,
        "place_ids": [place.pk],
    }
    return staffing.ServiceData(**{**fields, **changes})


def test_a_business_creates_and_edits_a_service():
    place = local.place()
    owner = place.seller.owner
    service = staffing.save_service(actor=owner, org=place.seller, data=data(place))
    assert service.product.kind == Product.Kind.SERVICE and service.product.status == Product.Status.PUBLISHED
    assert service.product.title_zh == "染发" and service.deposit == Decimal("50.00")
    assert service.product.variants.get().price == Decimal("280.00")
    staffing.save_service(
        actor=owner, org=place.seller, data=data(place, price="300", deposit="", cancel_fee="0"), service_id=service.pk
    )
    service.refresh_from_db()
    assert service.deposit is None and service.product.variants.get().price == Decimal("300.00")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": "abc"}, "price"),
        ({"deposit": "500"}, "deposit"),
        ({"cancel_fee": "60"}, "cancel_fee"),
        ({"duration_minutes": 2}, "duration_minutes"),
        ({"place_ids": []}, "place_ids"),
        ({"title": "", "title_zh": ""}, "title"),
    ],
)
def test_bad_service_input_names_the_field_and_changes_nothing(changes, field):
    place = local.place()
    with pytest.raises(ValidationFailed) as refused:
        staffing.save_service(actor=place.seller.owner, org=place.seller, data=data(place, **changes))
    assert refused.value.field == field
    assert not Service.objects.exists() and not Product.objects.filter(kind="service").exists()


def test_another_business_place_cannot_be_used():
    place = local.place()
    other = local.place()
    with pytest.raises(ValidationFailed):
        staffing.save_service(actor=place.seller.owner, org=place.seller, data=data(other))


def test_staff_hours_and_days_off():
    place = local.place()
    owner = place.seller.owner
    service = local.service(place)
    person = staffing.save_staff(
        actor=owner,
        org=place.seller,
        data=staffing.StaffData(
            place_id=place.pk, name="Wang", name_zh="王", title="Stylist", service_ids=[service.pk]
        ),
    )
    assert list(person.services.all()) == [service]
    staffing.set_hours(
        actor=owner, org=place.seller, staff_id=person.pk, hours=[(0, "09:00", "12:00"), (0, "13:00", "19:00")]
    )
    assert list(WorkingHours.objects.filter(staff=person).values_list("starts", flat=True)) == [time(9), time(13)]
    with pytest.raises(ValidationFailed):
        staffing.set_hours(
            actor=owner, org=place.seller, staff_id=person.pk, hours=[(0, "09:00", "12:00"), (0, "11:00", "13:00")]
        )
    with pytest.raises(ValidationFailed):
        staffing.set_hours(actor=owner, org=place.seller, staff_id=person.pk, hours=[(7, "09:00", "12:00")])
    with pytest.raises(ValidationFailed):
        staffing.set_hours(actor=owner, org=place.seller, staff_id=person.pk, hours=[(1, "18:00", "09:00")])
    assert WorkingHours.objects.filter(staff=person).count() == 2  # unchanged by the refusals
    off = staffing.add_day_off(
        actor=owner, org=place.seller, staff_id=person.pk, day=date(2026, 12, 24), reason="holiday"
    )
    assert DayOff.objects.filter(staff=person).count() == 1
    with pytest.raises(ValidationFailed):
        staffing.save_staff(actor=owner, org=place.seller, data=staffing.StaffData(place_id=place.pk))
    stranger = local.local_business().owner
    with pytest.raises(NotFound):
        staffing.remove_day_off(actor=stranger, org=place.seller, day_off_id=off.pk)
    staffing.remove_day_off(actor=owner, org=place.seller, day_off_id=off.pk)
    assert not DayOff.objects.exists()


def test_the_staffing_api(client, django_assert_max_num_queries):
    place = local.place()
    org = place.seller
    client.force_login(org.owner)
    made = client.post(
        f"/api/v1/seller/services?organization={org.pk}",
        {"title": "Colour", "price": "280", "duration_minutes": 90, "place_ids": [place.pk]},
        content_type=JSON,
    )
    assert made.status_code == 201, made.json()
    service_id = made.json()["id"]
    bad = client.post(
        f"/api/v1/seller/services?organization={org.pk}",
        {"title": "Colour", "price": "280", "deposit": "10", "cancel_fee": "20", "place_ids": [place.pk]},
        content_type=JSON,
    )
    assert bad.status_code == 400 and bad.json()["field"] == "cancel_fee"
    staff = client.post(
        f"/api/v1/seller/staff?organization={org.pk}",
        {"place_id": place.pk, "name": "Wang", "service_ids": [service_id]},
        content_type=JSON,
    )
    assert staff.status_code == 201
    staff_id = staff.json()["id"]
    hours = client.put(
        f"/api/v1/seller/staff/{staff_id}/hours?organization={org.pk}",
        {"hours": [{"weekday": d, "starts": "10:00", "ends": "20:00"} for d in range(5)]},
        content_type=JSON,
    )
    assert hours.status_code == 200 and len(hours.json()["hours"]) == 5
    off = client.post(
        f"/api/v1/seller/staff/{staff_id}/days-off?organization={org.pk}", {"day": "2026-12-24"}, content_type=JSON
    )
    assert off.status_code == 201 and off.json()["days_off"][0]["day"] == "2026-12-24"
    for n in range(3):
        staffing.save_staff(actor=org.owner, org=org, data=staffing.StaffData(place_id=place.pk, name=f"S{n}"))
    with django_assert_max_num_queries(10):
        assert len(client.get(f"/api/v1/seller/staff?organization={org.pk}").json()) == 4
    with django_assert_max_num_queries(10):
        assert len(client.get(f"/api/v1/seller/services?organization={org.pk}").json()) == 1
    client.force_login(local.local_business().owner)
    assert client.get(f"/api/v1/seller/staff?organization={org.pk}").status_code == 404
