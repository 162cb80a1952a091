"""Places: the services (who may, what is checked, geo_cell kept in step, photos) and nearby search checked against
a brute-force great-circle distance on generated data — just inside and just outside the radius, across the
antimeridian — plus city browsing, sorting, paging and the query budget."""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests import factories
from tests.o2o.local import XINJIEKOU, local_business, place
from tradeloop.catalog.models import Category
from tradeloop.core.errors import NotFound, PermissionDenied, ValidationFailed
from tradeloop.o2o import geo, places
from tradeloop.o2o import place_selectors as selectors
from tradeloop.o2o.errors import Code
from tradeloop.o2o.models import Place

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def photo(name: str = "shop.png", fmt: str = "PNG") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def new_place(seller, **fields) -> Place:
    values = {"name": "Lotus Hair", "city": "Nanjing", "latitude": 32.0416, "longitude": 118.7784} | fields
    return places.create_place(actor=seller.owner, organization_id=seller.pk, **values)


@pytest.fixture
def salon():
    return local_business("Lotus Hair Studio")


@pytest.fixture
def hair():
    return Category.objects.create(slug="beauty-hair", name="Beauty & hair", name_zh="美容美发")


# --- services -------------------------------------------------------------------------------------------------------


def test_a_local_business_adds_a_place_with_hours_categories_and_its_grid_cell(salon, hair):
    hours = {"sat": [["17:00", "22:00"], ["10:00", "14:00"]], "mon": [["09:00", "21:00"]]}
    made = new_place(salon, name_zh="莲花美发", opening_hours=hours, categories=["beauty-hair"], phone="025 8888 0000")
    made.refresh_from_db()
    assert made.seller == salon and made.time_zone == "Asia/Shanghai"
    assert made.geo_cell == geo.cell_of(32.0416, 118.7784)
    assert made.opening_hours == {"mon": [["09:00", "21:00"]], "sat": [["10:00", "14:00"], ["17:00", "22:00"]]}
    assert list(made.categories.all()) == [hair]


def test_moving_a_place_moves_its_grid_cell(salon):
    made = new_place(salon)
    places.update_place(actor=salon.owner, place_id=made.pk, latitude=31.2304, longitude=121.4737, city="Shanghai")
    made.refresh_from_db()
    assert made.geo_cell == geo.cell_of(31.2304, 121.4737) != geo.cell_of(32.0416, 118.7784)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"latitude": 91}, "latitude"),
        ({"longitude": -180.5}, "longitude"),
        ({"latitude": "north"}, "latitude"),
        ({"latitude": float("nan")}, "latitude"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"opening_hours": {"mon": [["9am", "21:00"]]}}, "opening_hours.mon.0"),
        ({"opening_hours": {"mon": [["25:00", "26:00"]]}}, "opening_hours.mon.0"),
        ({"opening_hours": {"mon": [["09:00", "09:00"]]}}, "opening_hours.mon.0"),
        ({"opening_hours": {"mon": [["09:00"]]}}, "opening_hours.mon.0"),
        ({"opening_hours": {"funday": [["09:00", "10:00"]]}}, "opening_hours.funday"),
        ({"opening_hours": {"tue": [["09:00", "14:00"], ["13:00", "18:00"]]}}, "opening_hours.tue"),
        ({"opening_hours": {"tue": "09:00-18:00"}}, "opening_hours.tue"),
        ({"opening_hours": ["mon"]}, "opening_hours"),
        ({"categories": ["no-such-thing"]}, "categories.0"),
        ({"name": "", "name_zh": ""}, "name"),
        ({"phone": "call me"}, "phone"),
        ({"name": "x" * 161}, "name"),
    ],
)
def test_bad_input_names_its_field_and_writes_nothing(salon, values, field):
    with pytest.raises(ValidationFailed) as caught:
        new_place(salon, **values)
    assert caught.value.field == field
    assert not Place.objects.exists()


def test_only_a_local_business_has_places():
    shop = factories.seller_with_owner(kind="merchant")
    with pytest.raises(ValidationFailed) as caught:
        new_place(shop)
    assert caught.value.code == Code.NOT_LOCAL_BUSINESS


def test_a_member_without_catalog_or_org_rights_may_not_and_strangers_get_404(salon):
    clerk = factories.member(salon, "fulfilment")
    with pytest.raises(PermissionDenied):
        places.create_place(actor=clerk, organization_id=salon.pk, city="Nanjing", latitude=32, longitude=118)
    catalog_member = factories.member(salon, "catalog")
    made = places.create_place(
        actor=catalog_member, organization_id=salon.pk, name="A", city="Nanjing", latitude=32, longitude=118
    )
    stranger = local_business().owner
    with pytest.raises(NotFound):
        places.update_place(actor=stranger, place_id=made.pk, name="Mine now")
    with pytest.raises(NotFound):
        places.create_place(actor=stranger, organization_id=salon.pk, city="Nanjing", latitude=32, longitude=118)


def test_photos_are_checked_and_the_first_becomes_the_cover(salon, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    made = new_place(salon)
    with pytest.raises(ValidationFailed) as caught:
        places.add_photos(
            actor=salon.owner,
            place_id=made.pk,
            photos=[photo(), SimpleUploadedFile("x.png", b"not an image", content_type="image/png")],
        )
    assert (caught.value.code, caught.value.field) == (Code.PLACE_PHOTO_TYPE, "photos.1")
    assert not made.photos.exists()
    settings.TRADELOOP_O2O_PLACE_PHOTO_MAX_BYTES = 10
    with pytest.raises(ValidationFailed) as caught:
        places.add_photos(actor=salon.owner, place_id=made.pk, photos=[photo()])
    assert caught.value.code == Code.PLACE_PHOTO_TOO_LARGE
    del settings.TRADELOOP_O2O_PLACE_PHOTO_MAX_BYTES
    first, second = places.add_photos(actor=salon.owner, place_id=made.pk, photos=[photo(), photo("b.jpg", "JPEG")])
    made.refresh_from_db()
    assert made.cover == first.image.name
    places.remove_photo(actor=salon.owner, place_id=made.pk, photo_id=first.pk)
    made.refresh_from_db()
    assert made.cover == second.image.name
    with pytest.raises(ValidationFailed) as caught:
        places.add_photos(actor=salon.owner, place_id=made.pk, photos=[photo() for _ in range(places.MAX_PHOTOS)])
    assert caught.value.code == Code.TOO_MANY_PLACE_PHOTOS


def test_a_deactivated_place_leaves_search_and_its_page(salon):
    made = new_place(salon)
    places.deactivate(actor=salon.owner, place_id=made.pk)
    assert selectors.nearby(*XINJIEKOU, 3).items == []
    with pytest.raises(NotFound):
        selectors.public_place(made.pk)


# --- opening hours in the place's time zone ---------------------------------------------------------------------


def test_open_now_is_read_in_the_places_time_zone_and_past_midnight():
    bar = place(opening_hours={"fri": [["18:00", "02:00"]]}, time_zone="Asia/Shanghai")
    friday_night = datetime(2026, 12, 4, 23, 30, tzinfo=SHANGHAI)  # a Friday
    saturday_early = datetime(2026, 12, 5, 1, 30, tzinfo=SHANGHAI)
    saturday_late = datetime(2026, 12, 5, 2, 30, tzinfo=SHANGHAI)
    assert places.is_open(bar, friday_night) and places.is_open(bar, saturday_early)
    assert not places.is_open(bar, saturday_late)
    london = place(opening_hours={"fri": [["09:00", "17:00"]]}, time_zone="Europe/London")
    # 16:00 in Shanghai on Friday is 08:00 in London: not open yet there
    assert not places.is_open(london, datetime(2026, 12, 4, 16, 0, tzinfo=SHANGHAI))
    assert places.is_open(london, datetime(2026, 12, 4, 18, 0, tzinfo=SHANGHAI))
    days = places.week(london, datetime(2026, 12, 5, 7, 0, tzinfo=SHANGHAI))  # still Friday 23:00 in London
    assert [d.day for d in days if d.today] == ["fri"]


# --- nearby search --------------------------------------------------------------------------------------------------


def _scatter(rng: random.Random, centre: tuple[float, float], n: int, spread: float, seller) -> list[Place]:
    rows = []
    for i in range(n):
        lat = max(-89.9, min(89.9, centre[0] + rng.uniform(-spread, spread)))
        lng = (centre[1] + rng.uniform(-spread, spread) + 180) % 360 - 180
        rows.append(
            Place(
                seller=seller,
                name=f"P{i}",
                city="Gen",
                latitude=lat,
                longitude=lng,
                geo_cell=geo.cell_of(lat, lng),
                rating_score=Decimal(rng.randint(0, 999)) / 1000,
                price_from=Decimal(rng.randint(10, 500)) if i % 4 else None,
            )
        )
    return Place.objects.bulk_create(rows)


def _brute(rows: list[Place], lat: float, lng: float, radius: float) -> set[int]:
    return {p.pk for p in rows if geo.distance_km(lat, lng, p.latitude, p.longitude) <= radius}


def _all_pages(lat, lng, radius, **kwargs) -> list[Place]:
    found, cursor = [], None
    while True:
        page = selectors.nearby(lat, lng, radius, cursor=cursor, limit=37, **kwargs)
        found += page.items
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


@pytest.mark.parametrize(
    ("centre", "radius"),
    [((32.04, 118.78), 3), ((32.04, 118.78), 10), ((-16.5, 179.95), 25), ((65.0, -179.99), 40), ((0.0, 0.0), 50)],
)
def test_nearby_matches_brute_force_great_circle_distance(salon, centre, radius):
    rng = random.Random(f"{centre}{radius}")
    rows = _scatter(rng, centre, 400, spread=radius / 60, seller=salon)
    found = _all_pages(*centre, radius)
    assert {p.pk for p in found} == _brute(rows, *centre, radius)
    distances = [p.distance_km for p in found]
    assert distances == sorted(distances)
    for p in found:
        assert p.distance_km == pytest.approx(geo.distance_km(*centre, p.latitude, p.longitude))


def test_just_inside_is_found_and_just_outside_is_not(salon):
    km_per_degree = geo.KM_PER_DEGREE_LATITUDE
    lat, lng = XINJIEKOU
    inside = place(salon, at=(lat + 2.999 / km_per_degree, lng), name="Inside")
    outside = place(salon, at=(lat + 3.001 / km_per_degree, lng), name="Outside")
    found = {p.pk for p in selectors.nearby(lat, lng, 3).items}
    assert inside.pk in found and outside.pk not in found


def test_across_the_antimeridian_both_sides_are_found(salon):
    east = place(salon, at=(-17.0, 179.99), name="East of the line")
    west = place(salon, at=(-17.0, -179.99), name="West of the line")
    far = place(salon, at=(-17.0, 178.0), name="Far")
    found = {p.pk: p.distance_km for p in selectors.nearby(-17.0, 179.995, 5).items}
    assert set(found) == {east.pk, west.pk} and far.pk not in found
    assert found[west.pk] < 2


def test_sorting_by_rating_and_by_price_pages_without_gaps(salon):
    rng = random.Random(7)
    rows = _scatter(rng, XINJIEKOU, 150, spread=0.02, seller=salon)
    expected = _brute(rows, *XINJIEKOU, 3)
    by_rating = _all_pages(*XINJIEKOU, 3, sort="rating")
    assert {p.pk for p in by_rating} == expected and len(by_rating) == len(expected)
    scores = [p.rating_score for p in by_rating]
    assert scores == sorted(scores, reverse=True)
    by_price = _all_pages(*XINJIEKOU, 3, sort="price")
    assert {p.pk for p in by_price} == expected
    prices = [p.price_from for p in by_price]
    priced = [x for x in prices if x is not None]
    assert priced == sorted(priced) and prices[len(priced) :] == [None] * (len(prices) - len(priced))


def test_category_and_city_narrow_the_search(salon, hair):
    cut = place(salon, name="Cut")
    cut.categories.add(hair)
    place(salon, name="Clean")
    place(salon, name="Other city", city="Zhenjiang", city_zh="镇江")
    assert [p.pk for p in selectors.nearby(*XINJIEKOU, 3, category=hair).items] == [cut.pk]
    assert len(selectors.nearby(*XINJIEKOU, 3, city="南京").items) == 2  # by its Chinese name too


def test_nearby_reads_only_the_touched_cells(salon, django_assert_max_num_queries):
    _scatter(random.Random(1), XINJIEKOU, 200, spread=0.05, seller=salon)
    _scatter(random.Random(2), (39.9, 116.4), 200, spread=0.05, seller=salon)  # Beijing: other cells
    query = selectors.candidates(selectors.Point(*XINJIEKOU), 3)
    assert query.count() < 200
    with django_assert_max_num_queries(2):
        page = selectors.nearby(*XINJIEKOU, 10, limit=50)
        assert len(page.items) == 50


def test_a_bad_cursor_is_a_validation_error(salon):
    place(salon)
    with pytest.raises(ValidationFailed) as caught:
        selectors.nearby(*XINJIEKOU, 3, cursor="nonsense!")
    assert caught.value.field == "cursor"


@pytest.mark.parametrize("text", ["", "32.04", "abc,def", "91,118", "32,181", "32,118,5", "nan,1"])
def test_a_bad_position_is_refused_on_near(text):
    with pytest.raises(ValidationFailed) as caught:
        selectors.point_of(text)
    assert caught.value.field == "near"


def test_radius_is_more_than_zero_and_at_most_50_km():
    assert selectors.radius_of("50") == 50
    for bad in ("0", "50.1", "-1", "far"):
        with pytest.raises(ValidationFailed):
            selectors.radius_of(bad)


# --- browsing a city ------------------------------------------------------------------------------------------------


def test_browsing_a_city_best_rated_first_then_by_price_in_pages(salon, django_assert_max_num_queries):
    rows = _scatter(random.Random(3), XINJIEKOU, 60, spread=0.2, seller=salon)
    Place.objects.filter(pk__in=[p.pk for p in rows]).update(city="Nanjing")
    place(salon, city="Zhenjiang", name="elsewhere")
    for sort, key in (("rating", lambda p: (-p.rating_score, p.pk)), ("price", None)):
        seen, cursor = [], None
        while True:
            with django_assert_max_num_queries(1):
                page = selectors.browse(city="Nanjing", sort=sort, cursor=cursor, limit=25)
            seen += page.items
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        assert {p.pk for p in seen} == {p.pk for p in rows} and len(seen) == len(rows)
        if key:
            assert seen == sorted(seen, key=key)
        else:
            prices = [p.price_from for p in seen]
            priced = [x for x in prices if x is not None]
            assert priced == sorted(priced) and all(x is None for x in prices[len(priced) :])


def test_the_city_list_counts_places_and_forgets_itself_when_a_place_is_saved(
    salon, django_capture_on_commit_callbacks
):
    place(salon)
    place(salon, city="Suzhou", city_zh="苏州")
    place(salon, city="Suzhou", city_zh="苏州")
    assert [(c.city, c.places) for c in selectors.cities()] == [("Suzhou", 2), ("Nanjing", 1)]
    with django_capture_on_commit_callbacks(execute=True):
        new_place(salon, city="Wuxi")
    assert {c.city for c in selectors.cities()} == {"Suzhou", "Nanjing", "Wuxi"}


def test_an_operator_moving_a_place_in_the_back_office_moves_its_cell(salon, admin_client):
    made = new_place(salon)
    url = f"/admin/o2o/place/{made.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "categories"}
    data |= {"seller": salon.pk, "latitude": "31.2304", "longitude": "121.4737", "opening_hours": "{}"}
    data |= {"photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0"}
    created = data.pop("created_at")
    data |= {"created_at_0": created.date().isoformat(), "created_at_1": created.time().strftime("%H:%M:%S")}
    answer = admin_client.post(url, data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    made.refresh_from_db()
    assert made.geo_cell == geo.cell_of(31.2304, 121.4737)
