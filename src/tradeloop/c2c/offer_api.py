"""Make-an-offer endpoints: a buyer's offers on a listing, the seller's answers, and the seller's auto rules.

`listings/{listing_id}` is the listing's id (`Listing.id`, `listing_id` in every answer here); offers are
negotiations of kind offer: every counter is a new immutable version; accepting the current version places the C2C
order at its amount (the first accepted offer on a listing wins). Another person's offer answers 404."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Header, Query, Router, Schema

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.c2c import offer_selectors as selectors
from tradeloop.c2c import offers
from tradeloop.c2c.models import Listing
from tradeloop.core.api_schemas import (
    MAX_INT,
    AmountIn,
    DecimalOut,
    Id,
    InputSchema,
    PageOut,
    PageQuery,
    Text,
    errors,
)
from tradeloop.core.errors import NotFound
from tradeloop.negotiation.models import Negotiation

router = Router(auth=SIGNED_IN, tags=["C2C"])
READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)
Version = Field(..., ge=1, le=MAX_INT, description="The version answered: it must be the current one")
States = Literal["open", "accepted", "declined", "withdrawn", "expired"]


# --- schemas ------------------------------------------------------------------------------------------------------


class OfferIn(InputSchema):
    amount: AmountIn = Field(..., gt=0, description="What you offer for the item: at most the asking price")
    note: Text = Field("", max_length=1000)


class OfferCounterIn(InputSchema):
    version: int = Version
    amount: AmountIn = Field(..., gt=0, description="The new amount: at most the asking price")
    note: Text = Field("", max_length=1000)


class OfferAcceptIn(InputSchema):
    version: int = Version


class OfferEndIn(InputSchema):
    version: int | None = Field(None, ge=1, le=MAX_INT, description="The current version (checked when given)")
    reason: Text = Field("", max_length=300)


class OfferRulesIn(InputSchema):
    auto_accept_at: AmountIn | None = Field(None, gt=0, description="Accept offers at or above this (null: never)")
    auto_decline_below: AmountIn | None = Field(None, gt=0, description="Decline offers below this (null: never)")


class OfferParty(Schema):
    id: int
    name: str


class OfferVersionOut(Schema):
    number: int
    author_side: Literal["buyer", "seller"]
    amount: DecimalOut
    note: str
    valid_until: datetime
    created_at: datetime


class OfferOut(Schema):
    id: int
    state: States
    listing_id: int | None
    product_id: int
    title: str
    buyer: OfferParty
    seller: OfferParty
    currency: str
    asking_price: DecimalOut | None = Field(..., description="The listing's asking price when the offer was made")
    amount: DecimalOut = Field(..., description="The current version's amount")
    current_version: int
    turn: Literal["buyer", "seller"] | None = Field(..., description="Who answers the current version (null: decided)")
    expires_at: datetime | None
    accepted_version: int | None
    order_number: str | None = Field(None, description="The C2C order placed when the offer was accepted: pay it")
    created_at: datetime
    decided_at: datetime | None
    versions: list[OfferVersionOut]


class OfferRulesOut(Schema):
    listing_id: int
    currency: str
    asking_price: DecimalOut
    auto_accept_at: DecimalOut | None
    auto_decline_below: DecimalOut | None


class OfferListQuery(PageQuery):
    side: Literal["buyer", "seller"] | None = Field(None, description="buyer: offers you made; seller: received")
    state: States | None = None


class ListingOfferQuery(PageQuery):
    state: States | None = None


# --- shaping ------------------------------------------------------------------------------------------------------


def offer_out(offer: Negotiation) -> dict:
    versions = offer.versions
    product = offer.product
    listing = getattr(product, "listing", None)
    return {
        "id": offer.pk,
        "state": offer.state,
        "listing_id": listing.pk if listing else None,
        "product_id": product.pk,
        "title": product.display_title,
        "buyer": {"id": offer.buyer.pk, "name": offer.buyer.display_name},
        "seller": {"id": offer.seller.pk, "name": offer.seller.name},
        "currency": offer.currency,
        "asking_price": offer.counter_cap,
        "amount": selectors.amount_of(versions[-1]) if versions else Decimal(0),
        "current_version": offer.current_version,
        "turn": selectors.turn(offer),
        "expires_at": offer.expires_at,
        "accepted_version": offer.accepted_version,
        "order_number": offer.result_ref or None,
        "created_at": offer.created_at,
        "decided_at": offer.decided_at,
        "versions": [
            {
                "number": v.number,
                "author_side": v.author_side,
                "amount": selectors.amount_of(v),
                "note": v.note,
                "valid_until": v.valid_until,
                "created_at": v.created_at,
            }
            for v in versions
        ],
    }


def _thread_out(request: HttpRequest, offer_id: int) -> dict:
    return offer_out(selectors.offer_thread(request.auth, offer_id))


def _rules_out(listing: Listing) -> dict:
    variant = listing.product.variants.all()[0]
    return {
        "listing_id": listing.pk,
        "currency": variant.currency,
        "asking_price": variant.price,
        "auto_accept_at": listing.auto_accept_at,
        "auto_decline_below": listing.auto_decline_below,
    }


# --- endpoints ----------------------------------------------------------------------------------------------------


@router.post(
    "listings/{listing_id}/offers",
    response={201: OfferOut, **WRITE_ERRORS},
    summary="Make an offer on a listing (at most the asking price; 5 per buyer and listing)",
    description="Refused with 400 `offer_too_high` (above the asking price) or `own_listing`, 409 `too_many_offers`, "
    "`offer_open` (answer or withdraw your open offer first) or `listing_not_active`. The seller's auto rules may "
    "accept (`state` accepted, `order_number` set) or decline it at once.",
)
def make_offer(request: HttpRequest, listing_id: Id, payload: OfferIn):
    offer = offers.make_offer(actor=request.auth, listing_id=listing_id, amount=payload.amount, note=payload.note)
    return 201, _thread_out(request, offer.pk)


@router.get(
    "listings/{listing_id}/offers",
    response={200: PageOut[OfferOut], **READ_ERRORS},
    summary="The offers on a listing: all of them for its seller, your own for a buyer; newest first",
)
def listing_offers(request: HttpRequest, listing_id: Id, query: Query[ListingOfferQuery]):
    _listing, page = selectors.listing_offers(
        request.auth, listing_id, state=query.state, cursor=query.cursor, limit=query.limit
    )
    return {"items": [offer_out(o) for o in page.items], "next_cursor": page.next_cursor}


@router.get(
    "listings/{listing_id}/offer-rules",
    response={200: OfferRulesOut, **READ_ERRORS},
    summary="The seller's auto-accept and auto-decline thresholds of a listing (its seller only)",
)
def offer_rules(request: HttpRequest, listing_id: Id):
    listing = selectors.listing_for(request.auth, listing_id)
    if not selectors.sells(request.auth, listing):
        raise NotFound(gettext("listing not found"), field="listing")
    return _rules_out(listing)


@router.patch(
    "listings/{listing_id}/offer-rules",
    response={200: OfferRulesOut, **WRITE_ERRORS},
    summary="Set the auto-accept and auto-decline thresholds (null clears one; at most the asking price)",
)
def set_offer_rules(request: HttpRequest, listing_id: Id, payload: OfferRulesIn):
    listing = offers.set_offer_rules(
        actor=request.auth,
        listing_id=listing_id,
        auto_accept_at=payload.auto_accept_at,
        auto_decline_below=payload.auto_decline_below,
    )
    return _rules_out(listing)


@router.get(
    "offers",
    response={200: PageOut[OfferOut], **READ_ERRORS},
    summary="My offers: made (`side=buyer`), received on my listings (`side=seller`), or both; newest first",
)
def my_offers(request: HttpRequest, query: Query[OfferListQuery]):
    page = selectors.offers_page(
        request.auth, side=query.side, state=query.state, cursor=query.cursor, limit=query.limit
    )
    return {"items": [offer_out(o) for o in page.items], "next_cursor": page.next_cursor}


@router.get("offers/{offer_id}", response={200: OfferOut, **READ_ERRORS}, summary="An offer with all its versions")
def one_offer(request: HttpRequest, offer_id: Id):
    return _thread_out(request, offer_id)


@router.post(
    "offers/{offer_id}/counter",
    response={201: OfferOut, **WRITE_ERRORS},
    summary="Answer the current version with another amount (at most the asking price; a new version)",
)
def counter(request: HttpRequest, offer_id: Id, payload: OfferCounterIn):
    offers.counter(
        actor=request.auth, offer_id=offer_id, version=payload.version, amount=payload.amount, note=payload.note
    )
    return 201, _thread_out(request, offer_id)


@router.post(
    "offers/{offer_id}/accept",
    response={200: OfferOut, **WRITE_ERRORS},
    summary="Accept the current version: the C2C order at its amount (honours Idempotency-Key)",
    description="Refused with 409 `already_accepted`, `expired`, `superseded`, `not_your_turn`, `closed` (e.g. "
    "declined because another offer was accepted) or `out_of_stock` (the item is reserved by another accepted "
    "offer). The same `Idempotency-Key` answers the same, never a second order. Pay the order (`order_number`) with "
    "`checkout/pay-orders`.",
)
def accept(
    request: HttpRequest,
    offer_id: Id,
    payload: OfferAcceptIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    offers.accept(actor=request.auth, offer_id=offer_id, version=payload.version, key=idempotency_key)
    return _thread_out(request, offer_id)


@router.post(
    "offers/{offer_id}/decline",
    response={200: OfferOut, **WRITE_ERRORS},
    summary="Decline the current version (the side that did not write it); the offer ends",
)
def decline(request: HttpRequest, offer_id: Id, payload: OfferEndIn):
    offers.decline(actor=request.auth, offer_id=offer_id, version=payload.version, reason=payload.reason)
    return _thread_out(request, offer_id)


@router.post(
    "offers/{offer_id}/withdraw",
    response={200: OfferOut, **WRITE_ERRORS},
    summary="Withdraw the current version you wrote, before it is answered; the offer ends",
)
def withdraw(request: HttpRequest, offer_id: Id, payload: OfferEndIn):
    offers.withdraw(actor=request.auth, offer_id=offer_id, version=payload.version, reason=payload.reason)
    return _thread_out(request, offer_id)
