"""Watching endpoints: watch / unwatch a listing, the buyer's watched listings, saved searches and alerts.

A listing is named by its `Listing.id` (`listing_id`, as the offer endpoints name it); answers carry the catalogue
`product_id` beside it. Another buyer's saved search
answers 404."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.c2c import watch_selectors
from tradeloop.c2c import watching as services
from tradeloop.c2c.models import Alert, SavedSearch, Watch
from tradeloop.c2c.watching import MAX_WORDS
from tradeloop.core.api_schemas import Amount, AmountIn, Id, InputSchema, MoneyOut, PageOut, PageQuery, Text, errors

router = Router(auth=SIGNED_IN, tags=["C2C watching"])
READ_ERRORS = errors(400, 401, 422)
WRITE_ERRORS = errors(400, 401, 404, 409, 422)


# --- schemas ------------------------------------------------------------------------------------------------------


class WatchedListingOut(MoneyOut):
    listing_id: int = Field(..., description="The listing's id")
    product_id: int = Field(..., description="Its catalogue product's id")
    title: str = Field(..., description="In the request's language")
    price: Amount | None = Field(..., description="The asking price now")
    was_price: Amount | None = Field(None, description="The price before its first drop since you watch it")
    price_dropped: bool
    state: str = Field(..., description="active, sold, expired or withdrawn")
    city: str
    watched_at: datetime

    @staticmethod
    def from_watch(w: Watch) -> dict:
        p = w.product
        return {
            "listing_id": p.listing.pk,
            "product_id": p.pk,
            "title": p.display_title,
            "currency": p.currency,
            "price": p.price_from,
            "was_price": w.was_price if getattr(w, "dropped", False) else None,
            "price_dropped": getattr(w, "dropped", False),
            "state": p.listing.state,
            "city": p.listing.city,
            "watched_at": w.created_at,
        }


class WatchOut(Schema):
    listing_id: int
    product_id: int
    watching: bool = True
    watched_at: datetime


class SavedSearchIn(InputSchema):
    query: Text = Field("", max_length=MAX_WORDS, description="Words that must all be in the title or description")
    category: Id | None = Field(None, description="A category id: listings in it or below it")
    city: Text = Field("", max_length=80)
    max_price: AmountIn | None = Field(None, ge=0, description="Asking price at most this")


class SavedSearchCategoryOut(Schema):
    id: int
    slug: str
    name: str


class SavedSearchOut(Schema):
    id: int
    query: str
    category: SavedSearchCategoryOut | None
    city: str
    max_price: str | None
    created_at: datetime

    @staticmethod
    def from_search(s: SavedSearch) -> dict:
        c = s.category
        return {
            "id": s.pk,
            "query": s.query,
            "category": {"id": c.pk, "slug": c.slug, "name": c.label} if c else None,
            "city": s.city,
            "max_price": format(s.max_price.normalize(), "f") if s.max_price is not None else None,
            "created_at": s.created_at,
        }


class AlertOut(MoneyOut):
    id: int
    kind: str = Field(..., description="price_drop or new_match")
    listing_id: int
    product_id: int
    title: str
    saved_search_id: int | None
    old_price: Amount | None
    new_price: Amount | None
    created_at: datetime
    read: bool

    @staticmethod
    def from_alert(a: Alert) -> dict:
        return {
            "id": a.pk,
            "kind": a.kind,
            "listing_id": a.product.listing.pk,
            "product_id": a.product_id,
            "title": a.product.display_title,
            "currency": a.product.currency,
            "saved_search_id": a.saved_search_id,
            "old_price": a.old_price,
            "new_price": a.new_price,
            "created_at": a.created_at,
            "read": a.read_at is not None,
        }


class AlertQuery(PageQuery):
    unread: bool = Field(False, description="Only the unread alerts")


class AlertsReadOut(Schema):
    marked: int = Field(..., description="How many alerts were unread")


def _page(page, shape) -> dict:
    return {"items": [shape(item) for item in page.items], "next_cursor": page.next_cursor}


# --- endpoints ----------------------------------------------------------------------------------------------------


@router.get("watching", response={200: PageOut[WatchedListingOut], **READ_ERRORS})
def watched(request: HttpRequest, query: Query[PageQuery]):
    """The listings you watch, newest watch first, with their price now and whether it dropped."""
    page = watch_selectors.watched(actor=request.auth, cursor=query.cursor, limit=query.limit)
    return _page(page, WatchedListingOut.from_watch)


@router.post("listings/{listing_id}/watch", response={200: WatchOut, 201: WatchOut, **WRITE_ERRORS})
def watch(request: HttpRequest, listing_id: Id):
    """Watch a listing: you get an alert when its price drops. Watching again changes nothing (200)."""
    product_id = watch_selectors.product_of_listing(listing_id)
    found, created = services.watch(actor=request.auth, product_id=product_id)
    return Status(
        201 if created else 200, {"listing_id": listing_id, "product_id": product_id, "watched_at": found.created_at}
    )


@router.delete("listings/{listing_id}/watch", response={204: None, **WRITE_ERRORS})
def unwatch(request: HttpRequest, listing_id: Id):
    """Stop watching a listing (not watching it: 204 all the same)."""
    services.unwatch(actor=request.auth, product_id=watch_selectors.product_of_listing(listing_id))
    return Status(204, None)


@router.get("saved-searches", response={200: PageOut[SavedSearchOut], **READ_ERRORS})
def saved_searches(request: HttpRequest, query: Query[PageQuery]):
    """Your saved listing searches, newest first."""
    page = watch_selectors.saved_searches(actor=request.auth, cursor=query.cursor, limit=query.limit)
    return _page(page, SavedSearchOut.from_search)


@router.post("saved-searches", response={201: SavedSearchOut, 200: SavedSearchOut, **WRITE_ERRORS})
def save_search(request: HttpRequest, payload: SavedSearchIn):
    """Save a listing search (at least one of query, category, city, max_price). New listings that match every
    part given become `new_match` alerts. The same search saved again answers 200 with the one saved."""
    search, created = services.save_search(
        actor=request.auth,
        query=payload.query,
        category_id=payload.category,
        city=payload.city,
        max_price=payload.max_price,
    )
    return Status(201 if created else 200, SavedSearchOut.from_search(search))


@router.delete("saved-searches/{search_id}", response={204: None, **WRITE_ERRORS})
def delete_search(request: HttpRequest, search_id: Id):
    """Delete one of your saved searches (another buyer's: 404)."""
    services.delete_search(actor=request.auth, search_id=search_id)
    return Status(204, None)


@router.get("alerts", response={200: PageOut[AlertOut], **READ_ERRORS})
def alerts(request: HttpRequest, query: Query[AlertQuery]):
    """Your watching alerts (price drops, new matches), newest first; `unread=true` for the unread ones."""
    page = watch_selectors.alerts(actor=request.auth, unread_only=query.unread, cursor=query.cursor, limit=query.limit)
    return _page(page, AlertOut.from_alert)


@router.post("alerts/read", response={200: AlertsReadOut, **errors(401)})
def mark_read(request: HttpRequest):
    """Mark all your alerts read."""
    return {"marked": services.mark_alerts_read(actor=request.auth)}
