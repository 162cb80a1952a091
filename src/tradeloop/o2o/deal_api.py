"""Deals in the API: the public list (`deals?place=&city=`) and one deal; a buyer buys vouchers
(`deals/{id}/buy`, also `deals/{id}/purchase`: the O2O order, then `checkout/pay-orders`); a local business lists,
creates, edits, publishes and withdraws its deals (`seller/deals`, the organization named like `seller/places`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Header, Query, Router, Schema, Status

from tradeloop.accounts.api_auth import SIGNED_IN
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
from tradeloop.o2o import deal_selectors as selectors
from tradeloop.o2o import deals
from tradeloop.o2o.models import Deal
from tradeloop.orders import selectors as order_selectors
from tradeloop.orders.api import OrderDetailOut

router = Router(tags=["O2O"])
seller_router = Router(tags=["O2O"], auth=SIGNED_IN)
READ_ERRORS = errors(400, 404, 422)
SELLER_READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)
DealStates = Literal["draft", "live", "ended", "failed", "withdrawn"]
AtExpiryChoice = Literal["refund", "forfeit"]


# --- schemas ------------------------------------------------------------------------------------------------------


class DealQuery(PageQuery):
    place: Id | None = Field(None, description="Only deals valid at this place")
    city: Text = Field("", max_length=80, description="Only deals valid at a place in this city (English or Chinese)")


class DealPlaceOut(Schema):
    id: int
    name: str
    city: str
    district: str
    address: str


class DealOut(MoneyOut):
    id: int
    product_id: int
    state: DealStates
    on_sale: bool
    title: str
    title_zh: str
    display_title: str
    description: str = Field(..., description="Sanitised HTML, in the request's language")
    price: Amount | None
    original_price: Amount | None
    discount_percent: int | None = Field(..., description="Off the original price, rounded down")
    photos: list[str | None]
    places: list[DealPlaceOut]
    sale_starts_at: datetime
    sale_ends_at: datetime
    voucher_valid_days: int
    usage_rules: str = Field(..., description="In the request's language")
    stock_cap: int | None
    left: int | None = Field(..., description="Vouchers left to sell (null: no cap)")
    per_person_limit: int
    sold_count: int
    buyer_count: int
    tipping_point: int | None
    tipped: bool = Field(..., description="No tipping point, or reached it")
    refundable_any_time: bool
    at_expiry: AtExpiryChoice
    seller_id: int
    url: str = Field(..., description="The deal's page")


class SellerDealOut(DealOut):
    vouchers_sold: int = Field(..., description="Vouchers issued (paid for), refunded ones included")
    redeemed_count: int
    refunded_count: int
    redemption_rate: int | None = Field(
        ..., description="redeemed_count ÷ vouchers_sold as a whole percent; null when none are sold"
    )
    usage_rules_en: str
    usage_rules_zh: str


class DealBuyIn(InputSchema):
    quantity: int = Field(1, ge=1, le=1000)


class DealFieldsIn(InputSchema):
    title: Text | None = Field(None, max_length=200)
    title_zh: Text | None = Field(None, max_length=200)
    description: Text | None = Field(None, max_length=5000, description="Plain text; blank lines separate paragraphs")
    description_zh: Text | None = Field(None, max_length=5000)
    price: AmountIn | None = Field(None, gt=0)
    original_price: AmountIn | None = Field(None, gt=0, description="Struck through beside the price")
    place_ids: list[Id] | None = Field(None, max_length=100, description="Your places where vouchers are valid")
    sale_starts_at: datetime | None = None
    sale_ends_at: datetime | None = None
    voucher_valid_days: int | None = Field(None, ge=1, le=3650)
    usage_rules: Text | None = Field(None, max_length=5000)
    usage_rules_zh: Text | None = Field(None, max_length=5000)
    stock_cap: int | None = Field(None, ge=1, le=1_000_000, description="At most this many vouchers sold")
    per_person_limit: int | None = Field(None, ge=1, le=1000)
    tipping_point: int | None = Field(None, ge=2, le=1_000_000, description="Buyers needed for the deal to happen")
    refundable_any_time: bool | None = None
    at_expiry: AtExpiryChoice | None = None


class DealIn(DealFieldsIn):
    organization: Id = Field(..., description="Your local business")
    price: AmountIn = Field(..., gt=0)
    place_ids: list[Id] = Field(..., min_length=1, max_length=100)
    sale_starts_at: datetime
    sale_ends_at: datetime


class SellerDealQuery(PageQuery):
    organization: Id = Field(..., description="Your local business")


# --- shaping ------------------------------------------------------------------------------------------------------


def _place_out(place) -> dict:
    return {
        "id": place.pk,
        "name": place.display_name,
        "city": place.localized("city"),
        "district": place.localized("district"),
        "address": place.localized("address"),
    }


def deal_out(request: HttpRequest, deal: Deal) -> dict:
    product = deal.product
    price, original = deals.prices_of(deal)
    return {
        "id": deal.pk,
        "product_id": product.pk,
        "state": deal.state,
        "on_sale": deals.on_sale(deal),
        "title": product.title,
        "title_zh": product.title_zh,
        "display_title": product.display_title,
        "description": product.display_description,
        "currency": product.currency,
        "price": price,
        "original_price": original,
        "discount_percent": deals.discount_percent(price, original),
        "photos": [media_url(request, image.image.name) for image in product.images.all()],
        "places": [_place_out(place) for place in deal.places.all()],
        "sale_starts_at": deal.sale_starts_at,
        "sale_ends_at": deal.sale_ends_at,
        "voucher_valid_days": deal.voucher_valid_days,
        "usage_rules": deal.localized("usage_rules"),
        "stock_cap": deal.stock_cap,
        "left": None if deal.stock_cap is None else max(0, deal.stock_cap - deal.sold_count),
        "per_person_limit": deal.per_person_limit,
        "sold_count": deal.sold_count,
        "buyer_count": deal.buyer_count,
        "tipping_point": deal.tipping_point,
        "tipped": deal.tips,
        "refundable_any_time": deal.refundable_any_time,
        "at_expiry": deal.at_expiry,
        "seller_id": product.seller_id,
        "url": request.build_absolute_uri(reverse("o2o:deal", args=[deal.pk])),
    }


def _seller_out(request: HttpRequest, deal: Deal) -> dict:
    figures = selectors.figures(deal)
    return {
        **deal_out(request, deal),
        "vouchers_sold": figures.sold,
        "redeemed_count": figures.redeemed,
        "refunded_count": figures.refunded,
        "redemption_rate": figures.redemption_rate,
        "usage_rules_en": deal.usage_rules,
        "usage_rules_zh": deal.usage_rules_zh,
    }


# --- public and buying --------------------------------------------------------------------------------------------


@router.get(
    "deals",
    response={200: PageOut[DealOut], **READ_ERRORS},
    summary="Deals on sale, ending soonest first; `place` or `city` narrows them",
)
def list_deals(request: HttpRequest, query: Query[DealQuery]):
    page = selectors.public_deals(place_id=query.place, city=query.city, cursor=query.cursor, limit=query.limit)
    return {"items": [deal_out(request, deal) for deal in page.items], "next_cursor": page.next_cursor}


@router.get("deals/{deal_id}", response={200: DealOut, **READ_ERRORS}, summary="One deal (any state but draft)")
def one_deal(request: HttpRequest, deal_id: Id):
    return deal_out(request, selectors.public_deal(deal_id))


def _buy(request: HttpRequest, deal_id: int, payload: DealBuyIn, key: str | None):
    order = deals.buy(actor=request.auth, deal_id=deal_id, quantity=payload.quantity, key=key)
    return Status(201, order_selectors.order_for_buyer(request.auth, order.number))


BUY_DESCRIPTION = (
    "The O2O order of `quantity` vouchers at the deal price, held in escrow once paid; pay it with "
    "`checkout/pay-orders`. Vouchers are issued on payment. 409 `deal_not_on_sale`, `deal_sold_out` (the stock cap), "
    "`over_person_limit`; 400 `own_deal`."
)


@router.post(
    "deals/{deal_id}/buy",
    response={201: OrderDetailOut, **WRITE_ERRORS},
    auth=SIGNED_IN,
    summary="Buy vouchers of a deal (honours Idempotency-Key)",
    description=BUY_DESCRIPTION,
)
def buy_deal(
    request: HttpRequest,
    deal_id: Id,
    payload: DealBuyIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    return _buy(request, deal_id, payload, idempotency_key)


@router.post(
    "deals/{deal_id}/purchase",
    response={201: OrderDetailOut, **WRITE_ERRORS},
    auth=SIGNED_IN,
    summary="The same as `deals/{id}/buy`",
    description=BUY_DESCRIPTION,
)
def purchase_deal(
    request: HttpRequest,
    deal_id: Id,
    payload: DealBuyIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    return _buy(request, deal_id, payload, idempotency_key)


# --- the business's deals -----------------------------------------------------------------------------------------


@seller_router.get(
    "deals",
    response={200: PageOut[SellerDealOut], **SELLER_READ_ERRORS},
    summary="Your deals (any state), newest first, with sold, redeemed and tipping progress (catalog.manage)",
)
def seller_deals(request: HttpRequest, query: Query[SellerDealQuery]):
    page = selectors.seller_deals(
        actor=request.auth, organization_id=query.organization, cursor=query.cursor, limit=query.limit
    )
    return {"items": [_seller_out(request, deal) for deal in page.items], "next_cursor": page.next_cursor}


@seller_router.post(
    "deals",
    response={201: SellerDealOut, **WRITE_ERRORS},
    summary="Create a draft deal (a catalog product of kind deal) valid at some of your places",
    description="400 `invalid` naming the field (`place_ids` for a place that is not yours, `original_price` "
    "below the price, `sale_ends_at` before the start, `tipping_point` above the stock cap).",
)
def create_deal(request: HttpRequest, payload: DealIn):
    values = {k: v for k, v in payload.dict().items() if v is not None}
    organization = values.pop("organization")
    deal = deals.create_deal(actor=request.auth, organization_id=organization, **values)
    return Status(201, _seller_out(request, selectors.seller_deal(actor=request.auth, deal_id=deal.pk)))


@seller_router.get("deals/{deal_id}", response={200: SellerDealOut, **SELLER_READ_ERRORS}, summary="One of your deals")
def seller_deal(request: HttpRequest, deal_id: Id):
    return _seller_out(request, selectors.seller_deal(actor=request.auth, deal_id=deal_id))


@seller_router.patch(
    "deals/{deal_id}",
    response={200: SellerDealOut, **WRITE_ERRORS},
    summary="Edit your deal (only the fields given; `stock_cap` or `tipping_point` null removes it)",
    description="Once on sale, `price`, `tipping_point` and `sale_starts_at` stay (400 naming the field); an ended, "
    "failed or withdrawn deal answers 409 `deal_closed`.",
)
def update_deal(request: HttpRequest, deal_id: Id, payload: DealFieldsIn):
    changes = payload.dict(exclude_unset=True)
    changes = {
        k: v for k, v in changes.items() if v is not None or k in ("stock_cap", "tipping_point", "original_price")
    }
    deals.update_deal(actor=request.auth, deal_id=deal_id, **changes)
    return _seller_out(request, selectors.seller_deal(actor=request.auth, deal_id=deal_id))


@seller_router.post(
    "deals/{deal_id}/publish",
    response={200: SellerDealOut, **WRITE_ERRORS},
    summary="Put a draft deal on sale (409 `deal_closed` unless a draft)",
)
def publish_deal(request: HttpRequest, deal_id: Id):
    deals.publish(actor=request.auth, deal_id=deal_id)
    return _seller_out(request, selectors.seller_deal(actor=request.auth, deal_id=deal_id))


@seller_router.post(
    "deals/{deal_id}/withdraw",
    response={200: SellerDealOut, **WRITE_ERRORS},
    summary="Take a deal off sale: valid vouchers stay valid, those waiting for the tipping point are refunded",
)
def withdraw_deal(request: HttpRequest, deal_id: Id):
    deals.withdraw(actor=request.auth, deal_id=deal_id)
    return _seller_out(request, selectors.seller_deal(actor=request.auth, deal_id=deal_id))
