"""Ratings and profiles: `orders/{id}/ratings` (the order's two sides), `profiles/{org_id}` and
`profiles/{org_id}/ratings` (public). Thin: c2c.ratings writes, c2c.rating_selectors reads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.c2c import rating_selectors as selectors
from tradeloop.c2c import ratings
from tradeloop.c2c.models import Rating
from tradeloop.core.api_schemas import Id, InputSchema, NotBool, PageOut, PageQuery, Text, errors

router = Router(tags=["C2C"])
Score = Annotated[int, NotBool, Field(ge=1, le=5)]


class C2cRatingOut(Schema):
    id: int
    order_id: int
    side: str = Field(..., description="buyer (the buyer rated the seller) or seller (the seller rated the buyer)")
    stars: int
    text: str
    as_described: int | None
    communication: int | None
    shipping: int | None
    created_at: datetime
    visible_from: datetime = Field(..., description="Hidden from the other side until then (double-blind)")
    rater: str = Field(..., description="The rater's display name")


class C2cOrderRatingsOut(Schema):
    order_id: int
    my_side: str = Field(..., description="buyer or seller")
    can_rate: bool
    not_rateable: str | None = Field(None, description="Why the caller cannot rate, if they have not rated")
    rate_until: datetime | None
    other_side_rated: bool = Field(..., description="The other side rated (shown once visible)")
    ratings: list[C2cRatingOut] = Field(..., description="The caller's own rating, and the other side's once visible")


class C2cRatingIn(InputSchema):
    stars: Score
    text: Text = Field("", max_length=ratings.MAX_TEXT)
    as_described: Score | None = Field(None, description="Buyer only: the item as described")
    communication: Score | None = Field(None, description="Buyer only: the seller's communication")
    shipping: Score | None = Field(None, description="Buyer only: the shipping")


class C2cStandingOut(Schema):
    level: str = Field(..., description="new, good, top or below")
    label: str
    completed_sales: int
    rating_avg: float
    rating_count: int
    dispute_rate: float
    late_shipment_rate: float
    refreshed_at: datetime | None


class C2cAveragesOut(Schema):
    count: int
    stars: float | None
    as_described: float | None
    communication: float | None
    shipping: float | None


class C2cProfileOut(Schema):
    id: int
    name: str
    city: str
    member_since: datetime
    completed_sales: int
    standing: C2cStandingOut
    as_seller: C2cAveragesOut = Field(..., description="Visible ratings from buyers")
    as_buyer: C2cAveragesOut = Field(..., description="Visible ratings the owner received as a buyer")
    recent_ratings: list[C2cRatingOut]


class C2cProfileRatingsQuery(PageQuery):
    role: Literal["seller", "buyer"] = Field("seller", description="Ratings received as seller (default) or buyer")


def _rating(r: Rating) -> dict:
    return {
        "id": r.pk,
        "order_id": r.order_id,
        "side": r.side,
        "stars": r.stars,
        "text": r.text,
        "as_described": r.as_described,
        "communication": r.communication,
        "shipping": r.shipping,
        "created_at": r.created_at,
        "visible_from": r.visible_from,
        "rater": r.rater.display_name,
    }


def _order_ratings(request: HttpRequest, order_id: int) -> dict:
    found = selectors.for_order(request.auth, order_id)
    return {
        "order_id": found.order.pk,
        "my_side": found.side,
        "can_rate": found.can_rate,
        "not_rateable": found.not_rateable,
        "rate_until": found.closes_at,
        "other_side_rated": found.theirs is not None or found.theirs_hidden,
        "ratings": [_rating(r) for r in found.items],
    }


@router.get(
    "orders/{order_id}/ratings",
    auth=SIGNED_IN,
    response={200: C2cOrderRatingsOut, **errors(400, 401, 404, 422)},
    summary="The ratings of a C2C order the caller may see (double-blind) and whether they may rate",
)
def order_ratings(request: HttpRequest, order_id: Id):
    return _order_ratings(request, order_id)


@router.post(
    "orders/{order_id}/ratings",
    auth=SIGNED_IN,
    response={201: C2cOrderRatingsOut, **errors(400, 401, 404, 409, 422)},
    summary="Rate the other side of a completed C2C order (once per side, within 30 days)",
)
def rate_order(request: HttpRequest, order_id: Id, payload: C2cRatingIn):
    ratings.rate(actor=request.auth, order_id=order_id, **payload.dict())
    return Status(201, _order_ratings(request, order_id))


def _standing(found) -> dict:
    if found is None:
        from tradeloop.c2c.models import SellerStanding

        found = SellerStanding()
        found.refreshed_at = None
    return {
        "level": found.level,
        "label": str(found.get_level_display()),
        "completed_sales": found.completed_sales,
        "rating_avg": float(found.rating_avg),
        "rating_count": found.rating_count,
        "dispute_rate": float(found.dispute_rate),
        "late_shipment_rate": float(found.late_shipment_rate),
        "refreshed_at": found.refreshed_at,
    }


def _averages(a: selectors.Averages) -> dict:
    return {
        "count": a.count,
        "stars": a.stars,
        "as_described": a.as_described,
        "communication": a.communication,
        "shipping": a.shipping,
    }


@router.get(
    "profiles/{org_id}",
    response={200: C2cProfileOut, **errors(404, 422)},
    summary="A private seller's public profile: level, averages and recent visible ratings",
)
def profile(request: HttpRequest, org_id: Id):
    p = selectors.profile(org_id)
    return {
        "id": p.seller.pk,
        "name": p.seller.name,
        "city": p.seller.city,
        "member_since": p.member_since,
        "completed_sales": p.completed_sales,
        "standing": _standing(p.standing),
        "as_seller": _averages(p.as_seller),
        "as_buyer": _averages(p.as_buyer),
        "recent_ratings": [_rating(r) for r in p.recent_as_seller],
    }


@router.get(
    "profiles/{org_id}/ratings",
    response={200: PageOut[C2cRatingOut], **errors(400, 404, 422)},
    summary="A private seller's visible ratings, newest first (keyset pages)",
)
def profile_ratings(request: HttpRequest, org_id: Id, query: Query[C2cProfileRatingsQuery]):
    page = selectors.seller_ratings_page(org_id, as_buyer=query.role == "buyer", cursor=query.cursor, limit=query.limit)
    return {"items": [_rating(r) for r in page.items], "next_cursor": page.next_cursor}
