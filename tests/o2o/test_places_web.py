"""Places on the web and in the API: /local/ (works without script: typed position, city list, chips, sort), the
place page (hours with today, open now, tel link, the three blocks), the console desk (list, add, edit with hours
and photos; another tenant's place is 404), `places` and `seller/places`; query budgets."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.api.conftest import Api, assert_error
from tests.o2o.local import XINJIEKOU, local_business, place
from tests.o2o.test_places import photo
from tradeloop.accounts.services import issue_token
from tradeloop.catalog.models import Category
from tradeloop.o2o import geo
from tradeloop.o2o.models import Place

pytestmark = pytest.mark.django_db
NEAR = f"{XINJIEKOU[0]},{XINJIEKOU[1]}"


@pytest.fixture
def salon():
    return local_business("Lotus Hair Studio")


@pytest.fixture
def owner_web(salon):
    client = Client()
    client.force_login(salon.owner)
    return client


def _api(user=None) -> Api:
    if user is None:
        return Api(Client())
    _, secret = issue_token(user=user)
    return Api(Client(), secret)


def _many(salon, n: int = 30) -> list[Place]:
    return [place(salon, at=(XINJIEKOU[0] + i / 2000, XINJIEKOU[1]), name=f"Salon {i}") for i in range(n)]


# --- /local/ --------------------------------------------------------------------------------------------------------


def test_the_local_home_lists_places_of_the_biggest_city_without_a_position(client, salon):
    place(salon, name="Lotus Hair Studio")
    place(salon, name="Far away salon", city="Urumqi", city_zh="乌鲁木齐", at=(43.8, 87.6))
    page = client.get(reverse("o2o:local"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lotus Hair Studio" in html and "Far away salon" not in html
    assert "data-near-me hidden" in html  # the script shows it; the page works without


def test_a_typed_position_lists_nearby_places_with_their_distance(client, salon):
    place(salon, name="Close by", at=(XINJIEKOU[0] + 0.005, XINJIEKOU[1]))
    place(salon, name="Too far", at=(XINJIEKOU[0] + 0.2, XINJIEKOU[1]))
    page = client.get(reverse("o2o:local"), {"near": NEAR, "radius_km": "3"})
    html = page.content.decode()
    assert page.status_code == 200 and "Close by" in html and "Too far" not in html
    assert "560 m" in html  # 0.005° of latitude
    assert f"?near={XINJIEKOU[0]:.5f},{XINJIEKOU[1]:.5f}" in html  # the place page shows the distance too


def test_a_bad_position_is_a_form_error(client, salon):
    page = client.get(reverse("o2o:local"), {"near": "somewhere", "radius_km": "3"})
    assert page.status_code == 400
    assert "latitude,longitude" in page.content.decode()


def test_category_chips_narrow_the_list(client, salon):
    hair = Category.objects.create(slug="beauty-hair", name="Beauty & hair", name_zh="美容美发")
    cut = place(salon, name="Cut here")
    cut.categories.add(hair)
    place(salon, name="Clean here")
    html = client.get(reverse("o2o:local"), {"city": "Nanjing", "category": "beauty-hair"}).content.decode()
    assert "Cut here" in html and "Clean here" not in html and "Beauty &amp; hair" in html


def test_the_local_home_in_chinese(client, salon):
    place(salon)
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("o2o:local"), {"city": "Nanjing"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "莲花美发" in html and "玄武区" in html


def test_local_home_query_budget(client, salon, django_assert_max_num_queries):
    _many(salon)
    client.get(reverse("o2o:local"))  # fills the city and category lists' cache
    with django_assert_max_num_queries(6):
        assert client.get(reverse("o2o:local"), {"near": NEAR, "radius_km": "10"}).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("o2o:local"), {"city": "Nanjing", "sort": "price"}).status_code == 200


def test_the_header_links_local(client):
    assert reverse("o2o:local") in client.get(reverse("storefront:home")).content.decode()


# --- the place page -------------------------------------------------------------------------------------------------


def test_the_place_page_shows_hours_with_today_open_now_and_a_phone_to_tap(client, salon, clock):
    clock.travel(datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))  # a Friday morning
    shop = place(salon, phone="025 8888 0000", opening_hours={"fri": [["09:00", "21:00"]]})
    html = client.get(reverse("o2o:place", args=[shop.pk]), {"near": NEAR}).content.decode()
    assert "Lotus Hair Studio" in html and "tel:02588880000" in html and "Open now" in html
    assert 'aria-current="date"' in html and "Friday · today" in html
    assert html.count("Closed") >= 6  # the other days


def test_an_inactive_or_unknown_place_is_404(client, salon):
    shop = place(salon, is_active=False)
    assert client.get(reverse("o2o:place", args=[shop.pk])).status_code == 404
    assert client.get(reverse("o2o:place", args=[999999])).status_code == 404


def test_place_page_query_budget(client, salon, django_assert_max_num_queries):
    shop = place(salon)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("o2o:place", args=[shop.pk])).status_code == 200


# --- the console desk -----------------------------------------------------------------------------------------------

FORM = {
    "name": "Lotus Hair Studio",
    "name_zh": "莲花美发",
    "address": "18 Zhongshan Road",
    "city": "Nanjing",
    "city_zh": "南京",
    "latitude": "32.0416",
    "longitude": "118.7784",
    "time_zone": "Asia/Shanghai",
    "phone": "025 8888 0000",
    "hours_mon": "09:00-21:00",
    "hours_sat": "10:00-14:00, 17:00-22:00",
}


def test_the_owner_adds_and_edits_a_place_with_hours_and_photos(owner_web, salon, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    new = reverse("o2o:console_place_new", args=[salon.pk])
    assert owner_web.get(new).status_code == 200
    answer = owner_web.post(new, FORM | {"photos": [photo()]})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    made = Place.objects.get()
    assert made.opening_hours == {"mon": [["09:00", "21:00"]], "sat": [["10:00", "14:00"], ["17:00", "22:00"]]}
    assert made.geo_cell == geo.cell_of(32.0416, 118.7784) and made.cover
    edit = reverse("o2o:console_place_edit", args=[salon.pk, made.pk])
    assert "09:00-21:00" in owner_web.get(edit).content.decode()
    changed = FORM | {"latitude": "31.2304", "longitude": "121.4737", "hours_mon": "", "is_active": ""}
    assert owner_web.post(edit, changed).status_code == 302
    made.refresh_from_db()
    assert made.geo_cell == geo.cell_of(31.2304, 121.4737) and "mon" not in made.opening_hours
    assert not made.is_active
    listing = owner_web.get(reverse("o2o:console_places", args=[salon.pk])).content.decode()
    assert "Lotus Hair Studio" in listing and "Hidden" in listing


def test_bad_hours_are_a_form_error_and_nothing_is_written(owner_web, salon):
    answer = owner_web.post(reverse("o2o:console_place_new", args=[salon.pk]), FORM | {"hours_tue": "nine to five"})
    assert answer.status_code == 400 and "09:00-21:00" in answer.content.decode()
    overlap = FORM | {"hours_tue": "09:00-14:00, 13:00-18:00"}
    answer = owner_web.post(reverse("o2o:console_place_new", args=[salon.pk]), overlap)
    assert answer.status_code == 400 and "overlap" in answer.content.decode()
    assert not Place.objects.exists()


def test_another_tenants_place_is_404_in_the_console(owner_web, salon):
    other = place(local_business())
    assert owner_web.get(reverse("o2o:console_place_edit", args=[salon.pk, other.pk])).status_code == 404
    assert owner_web.get(reverse("o2o:console_places", args=[other.seller_id])).status_code == 404


def test_a_merchant_has_no_places_desk():
    shop = factories.seller_with_owner(kind="merchant")
    client = Client()
    client.force_login(shop.owner)
    assert client.get(reverse("o2o:console_places", args=[shop.pk])).status_code == 404
    dashboard = client.get(reverse("console:dashboard", args=[shop.pk])).content.decode()
    assert reverse("o2o:console_places", args=[shop.pk]) not in dashboard


def test_console_places_query_budget(owner_web, salon, django_assert_max_num_queries):
    _many(salon, 25)
    owner_web.get(reverse("o2o:console_places", args=[salon.pk]))  # the session is written once
    with django_assert_max_num_queries(10):
        assert owner_web.get(reverse("o2o:console_places", args=[salon.pk])).status_code == 200


# --- the API --------------------------------------------------------------------------------------------------------


def test_api_nearby_search_with_distance_and_paging(salon):
    _many(salon, 30)
    first = _api().get("places", {"near": NEAR, "radius_km": 3, "limit": 20})
    assert first.status_code == 200
    body = first.json()
    assert len(body["items"]) == 20 and body["next_cursor"]
    assert body["items"][0]["distance_km"] == "0.00" and body["items"][0]["name"] == "Salon 0"
    rest = _api().get("places", {"near": NEAR, "radius_km": 3, "limit": 20, "cursor": body["next_cursor"]}).json()
    assert len(rest["items"]) == 10 and rest["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"near": "32.04"}, "near"),
        ({"near": "abc,118"}, "near"),
        ({"near": "95,118"}, "near"),
        ({"near": NEAR, "radius_km": 51}, "radius_km"),
        ({"near": NEAR, "radius_km": 0}, "radius_km"),
        ({"category": "no-such"}, "category"),
        ({"near": NEAR, "cursor": "zzz"}, "cursor"),
    ],
)
def test_api_bad_search_input_is_a_400_on_its_field(params, field):
    assert_error(_api().get("places", params), 400, "invalid", field)


def test_api_browse_by_city_and_one_place_with_hours_and_photos(salon):
    shop = place(salon)
    place(salon, name="Elsewhere", city="Suzhou", city_zh="苏州")
    names = [p["name"] for p in _api().get("places", {"city": "南京"}).json()["items"]]
    assert names == ["Lotus Hair Studio"]
    one = _api().get(f"places/{shop.pk}", {"near": f"{XINJIEKOU[0] + 0.01},{XINJIEKOU[1]}"}).json()
    assert one["opening_hours"]["mon"] == [["09:00", "21:00"]] and one["distance_km"] == "1.11"
    assert one["photos"] == [] and one["seller"]["id"] == salon.pk and one["time_zone"] == "Asia/Shanghai"
    assert_error(_api().get("places/999999"), 404, "not_found")


def test_api_seller_adds_edits_and_hides_a_place(salon, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Category.objects.create(slug="beauty-hair", name="Beauty & hair")
    owner = _api(salon.owner)
    body = {
        "organization": salon.pk,
        "name": "Lotus",
        "city": "Nanjing",
        "latitude": 32.0416,
        "longitude": 118.7784,
        "opening_hours": {"mon": [["09:00", "21:00"]]},
        "categories": ["beauty-hair"],
    }
    made = owner.post("seller/places", body)
    assert made.status_code == 201, made.content
    place_id = made.json()["id"]
    assert made.json()["categories"][0]["slug"] == "beauty-hair"
    patched = owner.patch(f"seller/places/{place_id}", {"latitude": 31.2304, "longitude": 121.4737})
    assert patched.status_code == 200
    assert Place.objects.get(pk=place_id).geo_cell == geo.cell_of(31.2304, 121.4737)
    photos = owner.upload(f"seller/places/{place_id}/photos", {"photos": [photo()]})
    assert photos.status_code == 201 and photos.json()["cover_url"]
    photo_id = photos.json()["photos"][0]["id"]
    assert owner.delete(f"seller/places/{place_id}/photos/{photo_id}").status_code == 204
    assert owner.patch(f"seller/places/{place_id}", {"is_active": False}).json()["is_active"] is False
    assert_error(_api().get(f"places/{place_id}"), 404)
    mine = owner.get("seller/places", {"organization": salon.pk}).json()
    assert [p["id"] for p in mine["items"]] == [place_id]


def test_api_seller_errors(salon):
    owner = _api(salon.owner)
    bad = {"organization": salon.pk, "name": "x", "city": "Nanjing", "latitude": 32, "longitude": 118}
    assert_error(
        owner.post("seller/places", bad | {"opening_hours": {"mon": [["9", "21:00"]]}}),
        400,
        "invalid",
        "opening_hours.mon.0",
    )
    assert_error(owner.post("seller/places", bad | {"time_zone": "Nowhere"}), 400, "invalid", "time_zone")
    assert_error(owner.post("seller/places", bad | {"latitude": 91}), 422)
    merchant = factories.seller_with_owner(kind="merchant")
    assert_error(
        _api(merchant.owner).post("seller/places", bad | {"organization": merchant.pk}),
        400,
        "not_local_business",
        "organization",
    )
    other = place(local_business())
    assert_error(owner.patch(f"seller/places/{other.pk}", {"name": "mine"}), 404)
    assert_error(owner.get(f"seller/places/{other.pk}"), 404)
    assert_error(_api().post("seller/places", bad), 401)
    clerk = factories.member(salon, "fulfilment")
    assert_error(_api(clerk).post("seller/places", bad), 403)
    assert not Place.objects.filter(seller=salon).exists()


def test_api_list_query_budgets(salon, django_assert_max_num_queries):
    _many(salon, 30)
    with django_assert_max_num_queries(3):
        assert _api().get("places", {"near": NEAR, "radius_km": 10, "limit": 30}).status_code == 200
    with django_assert_max_num_queries(3):
        assert _api().get("places", {"city": "Nanjing", "limit": 30}).status_code == 200
    owner = _api(salon.owner)
    with django_assert_max_num_queries(9):
        assert owner.get("seller/places", {"organization": salon.pk, "limit": 30}).status_code == 200


def test_the_search_form_speaks_chinese(client, salon):
    place(salon)
    html = client.get(reverse("o2o:local"), {"city": "Nanjing"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "3 公里" in html and "位置" in html
