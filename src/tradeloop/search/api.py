"""The one search box in the API: `GET /api/v1/search` across products, second-hand listings, local deals,
services and places, with facet counts, typo correction and a cursor."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tradeloop.catalog.models import in_language
from tradeloop.core.api_schemas import DecimalOut, Text, errors, media_url
from tradeloop.search import engine, selectors, slots

router = Router(tags=["Search"])
seller_router = Router(tags=["Search"])


class SearchParams(Schema):
    q: Text = Field("", max_length=engine.MAX_QUERY, description="Words in English or Chinese (typos are corrected)")
    kind: Text = Field(
        "", max_length=80, description="physical, listing, deal, service or place; several comma-separated"
    )
    category: Text = Field("", max_length=80, description="A category's slug (and its subtree)")
    price_min: Text = Field("", max_length=20, description="Lowest price, inclusive")
    price_max: Text = Field("", max_length=20, description="Highest price, inclusive")
    rating_min: Text = Field("", max_length=5, description="At least this average rating (0–5), e.g. 4")
    in_stock: Text = Field("", max_length=5, description="true: only what can be bought now")
    seller_level: Text = Field("", max_length=10, description="A private seller's level: top, good, new, below")
    near: Text = Field("", max_length=60, description="latitude,longitude: places within radius_km, with distances")
    radius_km: Text = Field("", max_length=10, description="With near: more than 0, at most 50 (default 10)")
    sort: Literal["", "relevance", "price_asc", "price_desc", "newest", "rating", "sales", "distance"] = Field(
        "", description="relevance (default), price_asc, price_desc, newest, rating, sales, distance (needs near)"
    )
    cursor: Text = Field("", max_length=500, description="`next_cursor` from the previous page")
    limit: int = Field(engine.DEFAULT_LIMIT, ge=1, le=engine.MAX_LIMIT, description="Results per page (1–100)")


class SearchResultOut(Schema):
    kind: str = Field(..., description="physical, listing, deal, service or place")
    id: int = Field(..., description="The product's or the place's id")
    title: str = Field(..., description="In the request's language (the other one when it is empty)")
    url: str
    cover: str | None
    price: DecimalOut | None = Field(..., description="The lowest price (a place: its cheapest deal or service)")
    currency: str
    rating: DecimalOut
    rating_count: int
    sold_count: int
    in_stock: bool
    seller_id: int | None
    seller_name: str
    seller_level: str = Field(..., description="A private seller's level (top, good, new, below), else empty")
    city: str
    distance_km: DecimalOut | None = Field(..., description="From `near` (places), rounded to 10 m")


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class SearchFacetsOut(Schema):
    category: list[FacetValueOut] = Field(..., description="Subcategories of the chosen category (or top ones)")
    kind: list[FacetValueOut]
    price: list[FacetValueOut] = Field(..., description="Buckets; `value` is min-max (either may be empty)")
    rating: list[FacetValueOut] = Field(..., description="4★ & up, 3★ & up")
    seller_level: list[FacetValueOut]
    in_stock: list[FacetValueOut]
    distance: list[FacetValueOut] = Field(..., description="With `near`: places within 1, 3, 5, 10 km")


class SlotItemOut(Schema):
    placement: str = Field(..., description="Who filled the slot: sponsored (a seller's paid placement)")
    label: str = Field(..., description="The mark to show beside it: Sponsored / 推广")
    kind: str = Field(..., description="physical, listing, deal, service or place")
    id: int = Field(..., description="The product's or the place's id")
    title: str
    url: str = Field(..., description="The item's own page")
    click_url: str = Field(..., description="Open this (not `url`) when the shopper picks it: the click is counted")
    cover: str | None
    price: DecimalOut | None
    currency: str
    rating: DecimalOut
    rating_count: int
    seller_id: int | None
    seller_name: str


class SearchOut(Schema):
    total: int = Field(..., description="How many results match (at most `candidates`)")
    total_capped: bool = Field(
        ..., description="True when more than `candidates` matched: total and facets count the first ones"
    )
    candidates: int
    corrected_query: str | None = Field(..., description="The query searched instead, when words were misspelt")
    results: list[SearchResultOut]
    sponsored: list[SlotItemOut] = Field(
        ..., description="Marked sponsored items for this query (at most one per 10 results, 2 a page); may be empty"
    )
    facets: SearchFacetsOut
    next_cursor: str | None = Field(None, description="Null on the last page")


def _result_out(request: HttpRequest, hit: engine.Hit) -> dict:
    return {
        "kind": hit.kind,
        "id": hit.object_id,
        "title": in_language(hit.title, hit.title_zh),
        "url": request.build_absolute_uri(hit.url) if hit.url else "",
        "cover": media_url(request, hit.cover),
        "price": Decimal(str(hit.price)).quantize(Decimal("0.01")) if hit.price is not None else None,
        "currency": hit.currency,
        "rating": Decimal(str(hit.rating)).quantize(Decimal("0.01")),
        "rating_count": hit.rating_count,
        "sold_count": hit.sold_count,
        "in_stock": bool(hit.in_stock),
        "seller_id": hit.seller_id,
        "seller_name": hit.seller_name,
        "seller_level": hit.seller_level,
        "city": hit.city,
        "distance_km": Decimal(str(round(hit.distance_km, 2))) if hit.distance_km is not None else None,
    }


@router.get(
    "search",
    response={200: SearchOut, **errors(400, 422)},
    summary="Search products, second-hand listings, local deals, services and places at once",
    description="English words are stemmed (strawberry finds strawberries), Chinese is segmented (苹果 finds "
    "红富士苹果), a misspelt English word is corrected (`corrected_query`). Filters: kind, category, price, rating, "
    "stock, seller level, `near` for places. Facet counts are those of the matching results (of the first "
    "`candidates` when `total_capped`). Bad input answers 400 with the field at fault.",
)
def search(request: HttpRequest, params: Query[SearchParams]):
    values = params.dict()
    values["limit"] = str(params.limit)
    result = selectors.run(values, request.user)
    facets = {name: [] for name in SearchFacetsOut.model_fields}
    for name, found in result.facets.items():
        facets[name] = [{"value": f.value, "label": f.label, "count": f.count, "selected": f.selected} for f in found]
    return {
        "total": result.total,
        "total_capped": result.total_capped,
        "candidates": engine.CANDIDATES,
        "corrected_query": result.corrected,
        "results": [_result_out(request, hit) for hit in result.hits],
        "sponsored": [
            {"placement": block.provider.name, **block.provider.api(request, item)}
            for block in (slots.fill(result.query, result, request) if result.hits else [])
            for item in block.items
        ],
        "facets": facets,
        "next_cursor": result.next_cursor,
    }
