"""Places in the API: the public nearby search and city browse (`places?near=lat,lng&radius_km=`), one place; a
local business lists, adds and edits its places and their photos (`seller/places`, the organization named like
`seller/promotions`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.core.api_schemas import (
    Amount,
    DecimalOut,
    Id,
    InputSchema,
    MoneyOut,
    PageOut,
    PageQuery,
    Text,
    errors,
    media_url,
)
from tradeloop.core.pagination import Page
from tradeloop.o2o import place_selectors as selectors
from tradeloop.o2o import places
from tradeloop.o2o.models import Place

router = Router(tags=["O2O"])
seller_router = Router(tags=["O2O"], auth=SIGNED_IN)
READ_ERRORS = errors(400, 404, 422)
SELLER_READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)
Hours = dict[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], list[list[str]]]
HOURS_EXAMPLE = {"mon": [["09:00", "21:00"]], "sat": [["10:00", "14:00"], ["17:00", "22:00"]]}


# --- schemas ------------------------------------------------------------------------------------------------------


class PlaceQuery(PageQuery):
    near: Text | None = Field(None, max_length=60, description="latitude,longitude (e.g. 32.0416,118.7784)")
    radius_km: float = Field(selectors.DEFAULT_RADIUS_KM, description="With `near`: more than 0, at most 50")
    category: Text | None = Field(None, max_length=80, description="A category's slug or id (and its subtree)")
    city: Text = Field("", max_length=80, description="The city's name in English or Chinese")
    sort: Literal["distance", "rating", "price"] | None = Field(
        None, description="distance (default with `near`), rating (default without), price (cheapest first)"
    )


class PlaceNearQuery(Schema):
    near: Text | None = Field(None, max_length=60, description="latitude,longitude: the answer has `distance_km`")


class PlaceCategoryOut(Schema):
    id: int
    slug: str
    name: str


class PlacePhotoOut(Schema):
    id: int
    url: str | None
    alt: str


class PlaceCardOut(MoneyOut):
    id: int
    name: str = Field(..., description="In the request's language (the other one when it is empty)")
    city: str
    district: str
    latitude: float
    longitude: float
    distance_km: DecimalOut | None = Field(..., description="From `near`, rounded to 10 m; null without it")
    rating_avg: DecimalOut
    rating_count: int
    rating_score: DecimalOut = Field(..., description="Confidence-aware score the rating sort uses")
    price_from: Amount | None = Field(..., description="The cheapest deal or service, null when none")
    sold_count: int
    cover_url: str | None
    url: str = Field(..., description="The place's page")


class PlaceSellerOut(Schema):
    id: int
    name: str


class PlaceOut(PlaceCardOut):
    name_en: str
    name_zh: str
    address: str = Field(..., description="In the request's language")
    address_en: str
    address_zh: str
    city_en: str
    city_zh: str
    district_en: str
    district_zh: str
    phone: str
    time_zone: str
    opening_hours: dict[str, list[list[str]]] = Field(..., examples=[HOURS_EXAMPLE])
    open_now: bool = Field(..., description="In the place's time zone")
    categories: list[PlaceCategoryOut]
    photos: list[PlacePhotoOut]
    seller: PlaceSellerOut
    is_active: bool
    created_at: datetime


class PlaceIn(InputSchema):
    organization: Id = Field(..., description="Your local business")
    name: Text = Field("", max_length=160, description="English; a name in one language at least")
    name_zh: Text = Field("", max_length=160)
    address: Text = Field("", max_length=240)
    address_zh: Text = Field("", max_length=240)
    city: Text = Field(..., min_length=1, max_length=80, description="In English (the city filter's key)")
    city_zh: Text = Field("", max_length=80)
    district: Text = Field("", max_length=80)
    district_zh: Text = Field("", max_length=80)
    latitude: float = Field(..., ge=-90, le=90)
    longitude: float = Field(..., ge=-180, le=180)
    time_zone: Text = Field("Asia/Shanghai", max_length=64, description="An IANA time zone")
    phone: Text = Field("", max_length=40)
    opening_hours: Hours = Field(default_factory=dict, examples=[HOURS_EXAMPLE], description="A day left out is closed")
    categories: list[Text] = Field(default_factory=list, max_length=20, description="Category slugs or ids")


class PlacePatchIn(InputSchema):
    name: Text | None = Field(None, max_length=160)
    name_zh: Text | None = Field(None, max_length=160)
    address: Text | None = Field(None, max_length=240)
    address_zh: Text | None = Field(None, max_length=240)
    city: Text | None = Field(None, min_length=1, max_length=80)
    city_zh: Text | None = Field(None, max_length=80)
    district: Text | None = Field(None, max_length=80)
    district_zh: Text | None = Field(None, max_length=80)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    time_zone: Text | None = Field(None, max_length=64)
    phone: Text | None = Field(None, max_length=40)
    opening_hours: Hours | None = Field(None, examples=[HOURS_EXAMPLE])
    categories: list[Text] | None = Field(None, max_length=20)
    is_active: bool | None = Field(None, description="false takes the place off the storefront and out of search")


class SellerPlaceQuery(PageQuery):
    organization: Id = Field(..., description="Your local business")


# --- shaping ------------------------------------------------------------------------------------------------------


def _distance(place: Place):
    distance = getattr(place, "distance_km", None)
    return None if distance is None else round(Decimal(str(distance)), 2)


def card_out(request: HttpRequest, place: Place) -> dict:
    return {
        "id": place.pk,
        "name": place.localized("name"),
        "city": place.localized("city"),
        "district": place.localized("district"),
        "latitude": place.latitude,
        "longitude": place.longitude,
        "distance_km": _distance(place),
        "rating_avg": place.rating_avg,
        "rating_count": place.rating_count,
        "rating_score": place.rating_score,
        "price_from": place.price_from,
        "currency": place.currency,
        "sold_count": place.sold_count,
        "cover_url": media_url(request, place.cover),
        "url": request.build_absolute_uri(reverse("o2o:place", args=[place.pk])),
    }


def place_out(request: HttpRequest, place: Place) -> dict:
    return card_out(request, place) | {
        "name_en": place.name,
        "name_zh": place.name_zh,
        "address": place.localized("address"),
        "address_en": place.address,
        "address_zh": place.address_zh,
        "city_en": place.city,
        "city_zh": place.city_zh,
        "district_en": place.district,
        "district_zh": place.district_zh,
        "phone": place.phone,
        "time_zone": place.time_zone,
        "opening_hours": place.opening_hours or {},
        "open_now": places.is_open(place),
        "categories": [{"id": c.pk, "slug": c.slug, "name": c.label} for c in place.categories.all()],
        "photos": [{"id": p.pk, "url": media_url(request, p.image.name), "alt": p.alt} for p in place.photos.all()],
        "seller": {"id": place.seller.pk, "name": place.seller.name},
        "is_active": place.is_active,
        "created_at": place.created_at,
    }


def _page_out(request: HttpRequest, page: Page, shape=card_out) -> dict:
    return {"items": [shape(request, place) for place in page.items], "next_cursor": page.next_cursor}


def _seller_one(request: HttpRequest, place_id: int) -> dict:
    return place_out(request, selectors.seller_place(actor=request.auth, place_id=place_id))


# --- public -------------------------------------------------------------------------------------------------------


@router.get(
    "places",
    response={200: PageOut[PlaceCardOut], **READ_ERRORS},
    summary="Places nearby (`near`, `radius_km`), or of a city without a position; by category; sorted",
    description="With `near=lat,lng`: active places within `radius_km` (default 3, at most 50) by great-circle "
    "distance, each with `distance_km`; `sort` distance (default), rating or price. Without it: the places of "
    "`city` (all cities when blank), best rated first (or `sort=price`). A bad `near` answers 400 with field "
    "`near`, a bad radius 400 with field `radius_km`.",
)
def search_places(request: HttpRequest, query: Query[PlaceQuery]):
    near = selectors.point_of(query.near) if query.near else None
    radius = selectors.radius_of(query.radius_km) if near else selectors.DEFAULT_RADIUS_KM
    page = selectors.search(
        near=near,
        radius_km=radius,
        city=query.city.strip(),
        category=selectors.category_of(query.category),
        sort=query.sort or "",
        cursor=query.cursor,
        limit=query.limit,
    )
    return _page_out(request, page)


@router.get(
    "places/{place_id}",
    response={200: PlaceOut, **READ_ERRORS},
    summary="One place: photos, opening hours (open now, in its time zone), categories; `distance_km` from `near`",
)
def one_place(request: HttpRequest, place_id: Id, query: Query[PlaceNearQuery]):
    near = selectors.point_of(query.near) if query.near else None
    return place_out(request, selectors.public_place(place_id, near))


# --- the business's own places ------------------------------------------------------------------------------------


@seller_router.get(
    "places",
    response={200: PageOut[PlaceOut], **SELLER_READ_ERRORS},
    summary="Your local business's places (active and not), newest first (org.manage or catalog.manage)",
)
def seller_places(request: HttpRequest, query: Query[SellerPlaceQuery]):
    organization = places.managing_membership(request.auth, query.organization).organization
    page = selectors.seller_places(
        actor=request.auth, organization=organization, cursor=query.cursor, limit=query.limit
    )
    return _page_out(request, page, place_out)


@seller_router.post(
    "places",
    response={201: PlaceOut, **WRITE_ERRORS},
    summary="Add a place to your local business",
    description="400 `not_local_business` for another kind of organization; `invalid` naming the field "
    "(`opening_hours.mon.0`, `time_zone`, `categories.1`).",
)
def create_place(request: HttpRequest, payload: PlaceIn):
    values = payload.dict()
    organization = values.pop("organization")
    place = places.create_place(actor=request.auth, organization_id=organization, **values)
    return Status(201, _seller_one(request, place.pk))


@seller_router.get("places/{place_id}", response={200: PlaceOut, **SELLER_READ_ERRORS}, summary="One of your places")
def seller_place(request: HttpRequest, place_id: Id):
    return _seller_one(request, place_id)


@seller_router.patch(
    "places/{place_id}",
    response={200: PlaceOut, **WRITE_ERRORS},
    summary="Edit your place (only the fields given); `is_active: false` takes it off the storefront",
)
def update_place(request: HttpRequest, place_id: Id, payload: PlacePatchIn):
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    places.update_place(actor=request.auth, place_id=place_id, **changes)
    return _seller_one(request, place_id)


@seller_router.post(
    "places/{place_id}/photos",
    response={201: PlaceOut, **WRITE_ERRORS},
    summary="Add photos (multipart `photos`: JPEG, PNG or WebP, 5 MB each, 12 in all); the first is the cover",
)
def add_photos(request: HttpRequest, place_id: Id, photos: File[list[UploadedFile]], alt: Form[str] = ""):
    places.add_photos(actor=request.auth, place_id=place_id, photos=photos, alt=alt)
    return Status(201, _seller_one(request, place_id))


@seller_router.delete(
    "places/{place_id}/photos/{photo_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Remove a photo of your place",
)
def remove_photo(request: HttpRequest, place_id: Id, photo_id: Id):
    places.remove_photo(actor=request.auth, place_id=place_id, photo_id=photo_id)
    return Status(204, None)
