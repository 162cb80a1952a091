"""Reads of places: nearby search, browsing a city (and category) without a position, one place, a business's own
places, the cities and categories to choose from.

Nearby search reads only the candidates of the grid cells its circle touches (`geo_cell IN (...)` AND active: the
place_cell index), as bare rows (id, position, sort keys); it measures each one exactly (haversine), keeps those
within the radius, sorts and cuts the page in Python, then loads the page's places. Two queries a page, whatever
the number of places, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.catalog.models import Category, in_language
from tradeloop.core.errors import NotFound, ValidationFailed
from tradeloop.core.pagination import Page, decode_cursor, encode_cursor, keyset_page
from tradeloop.o2o import geo
from tradeloop.o2o.models import Place, PlacePhoto
from tradeloop.o2o.places import LISTS_CACHE_KEYS, LISTS_CACHE_SECONDS, latitude_of, longitude_of, managing_membership

SORTS = ("distance", "rating", "price")
MAX_CITIES = 60
MAX_RADIUS_KM = 50.0
DEFAULT_RADIUS_KM = 3.0
CARD_FIELDS = (
    "id",
    "seller_id",
    "name",
    "name_zh",
    "city",
    "city_zh",
    "district",
    "district_zh",
    "latitude",
    "longitude",
    "cover",
    "rating_avg",
    "rating_count",
    "rating_score",
    "price_from",
    "currency",
    "sold_count",
)


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def point_of(text: str, field: str = "near") -> Point:
    """ "lat,lng" as typed or sent (`near=32.04,118.78`); anything else is a ValidationFailed on `field`."""
    parts = [p.strip() for p in str(text or "").replace("，", ",").split(",")]
    if len(parts) != 2 or not all(parts):
        raise ValidationFailed(gettext("Give a position as latitude,longitude (e.g. 32.04,118.78)."), field=field)
    return Point(latitude_of(parts[0], field), longitude_of(parts[1], field))


def radius_of(value, field: str = "radius_km") -> float:
    try:
        radius = float(value)
    except (TypeError, ValueError):
        radius = -1.0
    if not 0 < radius <= MAX_RADIUS_KM:
        raise ValidationFailed(
            gettext("The radius is more than 0 and at most %(max)s km.") % {"max": int(MAX_RADIUS_KM)}, field=field
        )
    return radius


def sort_of(value: str | None, *, near: bool) -> str:
    sort = value or ("distance" if near else "rating")
    if sort not in SORTS:
        raise ValidationFailed(gettext("Sort by distance, rating or price."), field="sort")
    return "rating" if sort == "distance" and not near else sort


def category_of(value) -> Category | None:
    if value in (None, ""):
        return None
    lookup = {"pk": int(value)} if str(value).isdigit() else {"slug": str(value)}
    found = Category.objects.filter(**lookup).first()
    if found is None:
        raise ValidationFailed(gettext("There is no such category."), field="category")
    return found


def _in_category(category: Category) -> Exists:
    """The place is filed under the category or one below it (no join, so no duplicate rows)."""
    through = Place.categories.through
    return Exists(through.objects.filter(place_id=OuterRef("pk"), category__path__startswith=category.path))


def _in_city(city: str) -> Q:
    """A city by its English name (the key the place_city index starts with), or by its Chinese name, which the
    cached city list turns into the English one, so that the index still serves it."""
    if city.isascii():
        return Q(city=city)
    known = {c.city_zh: c.city for c in cities() if c.city_zh}
    return Q(city=known.get(city, city))


def _cards(ids: list[int]) -> dict[int, Place]:
    """The page's places with what a card shows (one query)."""
    return {p.pk: p for p in Place.objects.filter(pk__in=ids).only(*CARD_FIELDS)}


# --- nearby ---------------------------------------------------------------------------------------------------------


def _sort_key(sort: str, *, distance: float, score, count: int, price, place_id: int) -> tuple[float, ...]:
    """Every key is a tuple of numbers ending in the id, so it sorts and round-trips through a cursor exactly."""
    if sort == "rating":
        return (-float(score), -float(count), distance, float(place_id))
    if sort == "price":
        return (float(price is None), float(price or 0), distance, float(place_id))
    return (distance, float(place_id))


def _cursor_key(cursor: str | None, sort: str) -> tuple[float, ...] | None:
    if not cursor:
        return None
    try:
        key = tuple(float(v) for v in decode_cursor(cursor))
    except ValueError as exc:
        raise ValidationFailed(gettext("malformed cursor"), field="cursor") from exc
    if len(key) != (2 if sort == "distance" else 4):
        raise ValidationFailed(gettext("malformed cursor"), field="cursor")
    return key


def candidates(point: Point, radius_km: float) -> QuerySet:
    """Active places in the cells the circle touches: the only rows a nearby search reads."""
    cells = geo.cells_within(point.latitude, point.longitude, radius_km)
    return Place.objects.filter(geo_cell__in=cells, is_active=True).order_by()  # sorted in Python


def nearby(
    latitude: float,
    longitude: float,
    radius_km: float,
    *,
    category: Category | None = None,
    city: str = "",
    sort: str = "distance",
    cursor: str | None = None,
    limit: int = 24,
) -> Page:
    """Active places within `radius_km` of the point, each with `distance_km` set; sorted by distance, rating
    (confidence-aware score) or price (places without a price last), keyset-paged. Two queries."""
    if not 1 <= limit <= 100:
        raise ValidationFailed(gettext("limit must be between 1 and 100"), field="limit")
    point = Point(latitude, longitude)
    after = _cursor_key(cursor, sort)
    qs = candidates(point, radius_km)
    if category is not None:
        qs = qs.filter(_in_category(category))
    if city:
        qs = qs.filter(_in_city(city))
    hits: list[tuple[tuple[float, ...], int, float]] = []
    rows = qs.values_list("id", "latitude", "longitude", "rating_score", "rating_count", "price_from")
    for place_id, lat, lng, score, count, price in rows.iterator(chunk_size=2000):
        distance = geo.distance_km(latitude, longitude, lat, lng)
        if distance > radius_km:
            continue
        key = _sort_key(sort, distance=distance, score=score, count=count, price=price, place_id=place_id)
        if after is None or key > after:
            hits.append((key, place_id, distance))
    hits.sort()
    page, more = hits[:limit], len(hits) > limit
    by_id = _cards([place_id for _, place_id, _ in page])
    items = []
    for _, place_id, distance in page:
        place = by_id[place_id]
        place.distance_km = distance
        items.append(place)
    return Page(items=items, next_cursor=encode_cursor(list(page[-1][0])) if more else None)


# --- browsing a city without a position ---------------------------------------------------------------------------


def _browse_after(sort: str, values: list[str]) -> Q:
    try:
        place_id = int(values[-1])
        if sort == "price":
            price = Decimal(values[0]) if values[0] else None
        else:
            score = Decimal(values[0])
    except (ArithmeticError, ValueError) as exc:
        raise ValidationFailed(gettext("malformed cursor"), field="cursor") from exc
    if sort == "rating":
        return Q(rating_score__lt=score) | Q(rating_score=score, id__gt=place_id)
    if price is None:
        return Q(price_from__isnull=True, id__gt=place_id)
    return Q(price_from__gt=price) | Q(price_from=price, id__gt=place_id) | Q(price_from__isnull=True)


def browse(
    *,
    city: str = "",
    category: Category | None = None,
    sort: str = "rating",
    cursor: str | None = None,
    limit: int = 24,
) -> Page:
    """Active places of a city (English or Chinese name; all cities when blank), best rated first (the place_city
    index) or cheapest first (places without a price last); keyset-paged, one query a page."""
    if not 1 <= limit <= 100:
        raise ValidationFailed(gettext("limit must be between 1 and 100"), field="limit")
    qs = Place.objects.filter(is_active=True).only(*CARD_FIELDS)
    if city:
        qs = qs.filter(_in_city(city))
    if category is not None:
        qs = qs.filter(_in_category(category))
    if sort == "price":
        qs = qs.order_by(F("price_from").asc(nulls_last=True), "id")
    else:
        qs = qs.order_by("-rating_score", "id")
    if cursor:
        values = decode_cursor(cursor)
        if len(values) != 2:
            raise ValidationFailed(gettext("malformed cursor"), field="cursor")
        qs = qs.filter(_browse_after(sort, values))
    rows = list(qs[: limit + 1])
    items, more = rows[:limit], len(rows) > limit
    next_cursor = None
    if more:
        last = items[-1]
        first = last.price_from if sort == "price" else last.rating_score
        next_cursor = encode_cursor(["" if first is None else str(first), str(last.pk)])
    for place in items:
        place.distance_km = None
    return Page(items=items, next_cursor=next_cursor)


def search(
    *,
    near: Point | None,
    radius_km: float = DEFAULT_RADIUS_KM,
    city: str = "",
    category: Category | None = None,
    sort: str = "",
    cursor: str | None = None,
    limit: int = 24,
) -> Page:
    """Nearby search when a position is given, else browsing the city."""
    sort = sort_of(sort, near=near is not None)
    if near is not None:
        return nearby(
            near.latitude,
            near.longitude,
            radius_km,
            category=category,
            city=city,
            sort=sort,
            cursor=cursor,
            limit=limit,
        )
    return browse(city=city, category=category, sort=sort, cursor=cursor, limit=limit)


# --- one place, a business's places, what to choose from ----------------------------------------------------------


def _detailed() -> QuerySet:
    return Place.objects.select_related("seller").prefetch_related(
        Prefetch("photos", PlacePhoto.objects.order_by("position", "id")),
        Prefetch("categories", Category.objects.order_by("path")),
    )


def public_place(place_id: int, near: Point | None = None) -> Place:
    """An active place of an active business, with photos and categories (3 queries); `distance_km` from `near`."""
    place = _detailed().filter(pk=place_id, is_active=True, seller__is_active=True).first()
    if place is None:
        raise NotFound(gettext("Place not found."), field="place")
    place.distance_km = (
        geo.distance_km(near.latitude, near.longitude, place.latitude, place.longitude) if near else None
    )
    return place


def seller_places(*, actor: User, organization: Organization, cursor: str | None = None, limit: int = 24) -> Page:
    """The business's places (active and not), newest first; the caller checked the membership."""
    qs = _detailed().filter(seller=organization)
    return keyset_page(qs, order=("-created_at", "-id"), cursor=cursor, limit=limit)


def seller_place(*, actor: User, place_id: int) -> Place:
    """One place of one of the actor's local businesses (with photos and categories); another's answers 404."""
    seller_id = Place.objects.filter(pk=place_id).values_list("seller_id", flat=True).first()
    if seller_id is None:
        raise NotFound(gettext("Place not found."), field="place")
    try:
        managing_membership(actor, seller_id)
    except NotFound as exc:
        raise NotFound(gettext("Place not found."), field="place") from exc
    place = _detailed().get(pk=place_id)
    place.distance_km = None
    return place


@dataclass(frozen=True)
class City:
    city: str
    city_zh: str
    latitude: float  # where its best-rated place is: the city's centre on a map
    longitude: float
    places: int

    @property
    def label(self) -> str:
        return in_language(self.city, self.city_zh)


def cities() -> list[City]:
    """Cities with active places, most places first (at most MAX_CITIES), cached ten minutes. Counted on the
    place_city index; each city's Chinese name and map position come from its best-rated place (one indexed row
    each), so a cache miss costs 1 + one query per city, and never a scan of the places."""

    def read() -> list[City]:
        counts = Place.objects.filter(is_active=True).values_list("city").annotate(n=Count("id")).order_by("-n", "city")
        found = []
        for city, n in counts[:MAX_CITIES]:
            best = Place.objects.filter(city=city, is_active=True).order_by("-rating_score", "id")
            city_zh, latitude, longitude = best.values_list("city_zh", "latitude", "longitude").first()
            found.append(City(city, city_zh, latitude, longitude, n))
        return found

    return cache.get_or_set(LISTS_CACHE_KEYS[0], read, LISTS_CACHE_SECONDS)


def place_categories() -> list[Category]:
    """Categories that active places are filed under, in tree order (for the chips; cached like the cities)."""

    def read() -> list[Category]:
        used = Category.objects.filter(places__is_active=True).values_list("pk", flat=True).distinct()
        return list(Category.objects.filter(pk__in=list(used)).order_by("path")[:40])

    return cache.get_or_set(LISTS_CACHE_KEYS[1], read, LISTS_CACHE_SECONDS)
