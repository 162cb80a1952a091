"""Private listings in the API: the public search and one listing; a person lists, edits, renews and withdraws
their own items, adds photos; a buyer buys one at its asking price ("Buy now": the C2C order, then
`checkout/pay-orders`). `{listing_id}` is `Listing.id` (as in the offer and watch endpoints)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Header, Query, Router, Schema
from ninja.files import UploadedFile

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.c2c import listing_selectors as selectors
from tradeloop.c2c import listings
from tradeloop.c2c.models import Listing
from tradeloop.core.api_schemas import (
    Amount,
    AmountIn,
    Id,
    InputSchema,
    MoneyOut,
    PageOut,
    PageQuery,
    Text,
    errors,
    media_url,
)
from tradeloop.orders import selectors as order_selectors
from tradeloop.orders.api import OrderDetailOut

router = Router(tags=["C2C"])
READ_ERRORS = errors(400, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)
Conditions = Literal["new", "like_new", "good", "fair"]
Speeds = Literal["express", "post", "virtual"]
States = Literal["active", "sold", "expired", "withdrawn"]


# --- schemas ------------------------------------------------------------------------------------------------------


class ListingIn(InputSchema):
    title: Text = Field(..., min_length=1, max_length=200, description="In the language of the request")
    description: Text = Field("", max_length=5000, description="Plain text; blank lines separate paragraphs")
    condition: Conditions = "good"
    category: Text | None = Field(None, max_length=80, description="A category's slug or id")
    price: AmountIn = Field(..., gt=0, description="The asking price, in the seller's currency")
    city: Text = Field(..., min_length=1, max_length=80)
    district: Text = Field("", max_length=80)
    ships: bool = True
    delivery_speed: Speeds = "express"
    shipping_fee: AmountIn = Field(Decimal(0), ge=0, description="Added to the order when the item ships")
    local_pickup: bool = False


class ListingPatchIn(InputSchema):
    title: Text | None = Field(None, min_length=1, max_length=200)
    description: Text | None = Field(None, max_length=5000)
    condition: Conditions | None = None
    category: Text | None = Field(None, max_length=80)
    price: AmountIn | None = Field(None, gt=0, description="A new price tells the listing's watchers of a drop")
    city: Text | None = Field(None, min_length=1, max_length=80)
    district: Text | None = Field(None, max_length=80)
    ships: bool | None = None
    delivery_speed: Speeds | None = None
    shipping_fee: AmountIn | None = Field(None, ge=0)
    local_pickup: bool | None = None


class ListingSellerOut(Schema):
    id: int
    name: str
    level: str | None = Field(..., description="The seller's level (new, good, top, below); null before any")


class ListingPhotoOut(Schema):
    id: int
    url: str | None
    thumbnail_url: str | None


class ListingOut(MoneyOut):
    id: int
    product_id: int
    state: States
    on_sale: bool
    title: str
    description: str = Field(..., description="Sanitised HTML")
    condition: Conditions
    category: str | None = Field(..., description="The category's slug")
    price: Amount | None
    city: str
    district: str
    ships: bool
    delivery_speed: Speeds
    shipping_fee: Amount
    local_pickup: bool
    seller: ListingSellerOut
    photos: list[ListingPhotoOut]
    created_at: datetime
    expires_at: datetime
    renewals: int
    url: str = Field(..., description="The listing's page on the storefront")


class ListingQuery(PageQuery):
    q: Text = Field("", max_length=100, description="Words of the title")
    category: Text | None = Field(None, max_length=80, description="A category's slug or id (and its subtree)")
    city: Text = Field("", max_length=80)
    condition: Conditions | None = None
    max_price: AmountIn | None = Field(None, ge=0)


class MyListingQuery(PageQuery):
    tab: Literal["active", "sold", "ended"] = "active"


# --- shaping ------------------------------------------------------------------------------------------------------


def listing_out(request: HttpRequest, listing: Listing, level: str | None = None) -> dict:
    product = listing.product
    variants = list(product.variants.all())
    variant = variants[0] if variants else None
    return {
        "id": listing.pk,
        "product_id": product.pk,
        "state": listing.state,
        "on_sale": listing.state == Listing.State.ACTIVE and product.status == product.Status.PUBLISHED,
        "title": product.display_title,
        "description": product.display_description,
        "condition": product.condition,
        "category": product.category.slug if product.category else None,
        "currency": variant.currency if variant else product.currency,
        "price": variant.price if variant else None,
        "city": listing.city,
        "district": listing.district,
        "ships": listing.ships,
        "delivery_speed": listing.delivery_speed,
        "shipping_fee": listing.shipping_fee,
        "local_pickup": listing.local_pickup,
        "seller": {"id": product.seller.pk, "name": product.seller.name, "level": level},
        "photos": [
            {
                "id": image.pk,
                "url": media_url(request, image.image.name),
                "thumbnail_url": media_url(request, image.thumbnail.name) if image.thumbnail else None,
            }
            for image in product.images.all()
        ],
        "created_at": listing.created_at,
        "expires_at": listing.expires_at,
        "renewals": listing.renewals,
        "url": request.build_absolute_uri(reverse("storefront:product", args=[product.pk, product.slug])),
    }


def _one(request: HttpRequest, listing_id: int) -> dict:
    listing = selectors.public_listing(listing_id)
    return listing_out(request, listing, selectors.level_of(listing.product.seller_id))


def _given(payload: InputSchema) -> dict:
    return payload.dict(exclude_unset=True)


# --- endpoints ----------------------------------------------------------------------------------------------------


@router.get(
    "listings",
    response={200: PageOut[ListingOut], **READ_ERRORS},
    summary="Second-hand listings on sale, newest first (filters: q, category, city, condition, max_price)",
)
def search_listings(request: HttpRequest, query: Query[ListingQuery]):
    filters = selectors.ListingFilters(
        q=query.q.strip(),
        category=listings.category_of(query.category) if query.category else None,
        city=query.city.strip(),
        condition=query.condition or "",
        max_price=query.max_price,
    )
    page = selectors.public_listings(filters=filters, cursor=query.cursor, limit=query.limit)
    levels = selectors.levels_of({item.product.seller_id for item in page.items})
    return {
        "items": [listing_out(request, item, levels.get(item.product.seller_id)) for item in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "seller/listings",
    response={200: PageOut[ListingOut], **errors(400, 401, 422)},
    auth=SIGNED_IN,
    summary="My listings: on sale (`tab=active`), sold, or ended (expired or withdrawn); newest first",
)
def my_listings(request: HttpRequest, query: Query[MyListingQuery]):
    page = selectors.my_listings(actor=request.auth, tab=query.tab, cursor=query.cursor, limit=query.limit)
    return {"items": [listing_out(request, item) for item in page.items], "next_cursor": page.next_cursor}


@router.get("listings/{listing_id}", response={200: ListingOut, **READ_ERRORS}, summary="One listing (any state)")
def one_listing(request: HttpRequest, listing_id: Id):
    return _one(request, listing_id)


@router.post(
    "listings",
    response={201: ListingOut, **WRITE_ERRORS},
    auth=SIGNED_IN,
    summary="List an item: your personal seller profile, one SKU in stock 1, on sale at once",
    description="Refused with 400 `prohibited_category` (field `category`) in a category private sellers may not "
    "use. Add photos with `POST listings/{listing_id}/photos`.",
)
def create_listing(request: HttpRequest, payload: ListingIn):
    listing = listings.create_listing(actor=request.auth, **payload.dict())
    return 201, _one(request, listing.pk)


@router.post(
    "listings/{listing_id}/photos",
    response={201: ListingOut, **WRITE_ERRORS},
    auth=SIGNED_IN,
    summary="Add photos to your listing (multipart `photos`: JPEG, PNG or WebP, 8 MB each, 9 in all)",
)
def add_photos(request: HttpRequest, listing_id: Id, photos: list[UploadedFile] = File(...)):  # noqa: B008
    listings.add_photos(actor=request.auth, listing_id=listing_id, photos=photos)
    return 201, _one(request, listing_id)


@router.patch(
    "listings/{listing_id}",
    response={200: ListingOut, **WRITE_ERRORS},
    auth=SIGNED_IN,
    summary="Edit your listing's price and details (only the fields given)",
)
def edit_listing(request: HttpRequest, listing_id: Id, payload: ListingPatchIn):
    changes = {k: v for k, v in _given(payload).items() if v is not None or k in ("category",)}
    listings.update_listing(actor=request.auth, listing_id=listing_id, **changes)
    return _one(request, listing_id)


@router.post(
    "listings/{listing_id}/renew",
    response={200: ListingOut, **WRITE_ERRORS},
    auth=SIGNED_IN,
    summary="Renew your expired or withdrawn listing, or an active one in its last 7 days",
)
def renew(request: HttpRequest, listing_id: Id):
    listings.renew(actor=request.auth, listing_id=listing_id)
    return _one(request, listing_id)


@router.post(
    "listings/{listing_id}/withdraw",
    response={200: ListingOut, **WRITE_ERRORS},
    auth=SIGNED_IN,
    summary="Take your listing off sale",
)
def withdraw(request: HttpRequest, listing_id: Id):
    listings.withdraw(actor=request.auth, listing_id=listing_id)
    return _one(request, listing_id)


@router.post(
    "listings/{listing_id}/buy",
    response={201: OrderDetailOut, **WRITE_ERRORS},
    auth=SIGNED_IN,
    summary="Buy now at the asking price: the C2C order (honours Idempotency-Key); pay it with checkout/pay-orders",
    description="Refused with 400 `own_listing`, `address_needed` (add a delivery address first), 409 "
    "`listing_not_active` or `out_of_stock` (another buyer's order holds the item).",
)
def buy(request: HttpRequest, listing_id: Id, idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    order = listings.buy_now(actor=request.auth, listing_id=listing_id, key=idempotency_key)
    return 201, order_selectors.order_for_buyer(request.auth, order.number)
