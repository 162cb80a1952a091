"""feedback's part of the REST API: public suggestions to a store or about a product with votes, the seller's
suggestion desk and status changes, private feedback on a completed order, and unmet demand. Thin: services write,
selectors read."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import membership
from tradeloop.catalog.models import Product
from tradeloop.core.api_schemas import Id, InputSchema, PageOut, PageQuery, Text, errors
from tradeloop.core.errors import NotFound, PermissionDenied, ValidationFailed
from tradeloop.feedback import selectors, services
from tradeloop.feedback.models import OrderFeedback, Suggestion

router = Router(tags=["Buyer feedback"])
seller_router = Router(tags=["Buyer feedback"])

READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422, 429)
StatusName = Literal["open", "under_review", "planned", "done", "declined"]


class SuggestionOut(Schema):
    id: int
    store_id: int
    product_id: int | None
    text: str = Field(..., description="As the buyer wrote it (not translated)")
    language: str
    author: str = Field(..., description="The author's name as shown (its first letter)")
    status: str = Field(..., description="open, under_review, planned, done or declined")
    votes: int
    voted: bool = Field(..., description="Whether the caller voted for it")
    reply: str = Field(..., description="The store's public reply, empty if none")
    replied_at: datetime | None
    created_at: datetime


class SuggestionQuery(PageQuery):
    store: Id | None = Field(None, description="A store's own suggestions (not those about its products)")
    product: Id | None = Field(None, description="A product's suggestions")
    sort: Literal["top", "new"] = "top"
    status: StatusName | None = None


class SuggestionIn(InputSchema):
    store: Id | None = Field(None, description="The store; or give `product`")
    product: Id | None = None
    text: Text = Field(..., min_length=services.MIN_TEXT, max_length=services.MAX_TEXT)


class SuggestionVoteOut(Schema):
    id: int
    votes: int
    voted: bool


class SuggestionSellerQuery(PageQuery):
    organization: Id
    status: StatusName | None = None


class SuggestionStatusIn(InputSchema):
    status: StatusName
    reply: Text = Field("", max_length=services.MAX_REPLY, description="The public reply; empty keeps none")


class OrderFeedbackIn(InputSchema):
    text: Text = Field(..., min_length=services.MIN_TEXT, max_length=services.MAX_TEXT)


class OrderFeedbackOut(Schema):
    id: int
    order_number: str
    text: str
    author: str
    created_at: datetime


class SellerQuery(PageQuery):
    organization: Id


class DemandQuery(Schema):
    organization: Id
    days: int = Field(30, description="The period: the last 7, 30 or 90 days")


class DemandOut(Schema):
    term: str = Field(..., description="The normalised term: the key the searches and RFQs add up under")
    label: str = Field(..., description="As a buyer typed it")
    region: str
    searches: int = Field(..., description="Searches with few or no results in the period")
    rfqs_unquoted: int = Field(..., description="RFQs in the period that no supplier quoted")
    trend: str = Field(..., description="new, up, down or steady against the period before")
    last_seen: datetime | None
    link: str = Field(..., description="The newest open RFQ's page in the console, where there is one")


def _author(user) -> str:
    name = (user.display_name or "").strip()
    return f"{name[:1].upper()}***" if name else "***"


def _suggestion(s: Suggestion) -> dict:
    return {
        "id": s.pk,
        "store_id": s.seller_id,
        "product_id": s.product_id,
        "text": s.text,
        "language": s.language,
        "author": _author(s.author),
        "status": s.status,
        "votes": s.vote_count,
        "voted": getattr(s, "voted", False),
        "reply": s.reply,
        "replied_at": s.replied_at,
        "created_at": s.created_at,
    }


def _viewer(request: HttpRequest):
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


@router.get(
    "suggestions",
    response={200: PageOut[SuggestionOut], **READ_ERRORS},
    summary="A store's or a product's suggestions (`store=` or `product=`), top voted or newest first",
)
def list_suggestions(request: HttpRequest, query: Query[SuggestionQuery]):
    if bool(query.store) == bool(query.product):
        raise ValidationFailed(gettext("Give either store or product."), field="store")
    if query.product:
        product = Product.objects.published().filter(pk=query.product).first()
        if product is None:
            raise NotFound(gettext("No such product."), field="product")
        page = selectors.public_page(
            product=product,
            sort=query.sort,
            status=query.status or "",
            viewer=_viewer(request),
            cursor=query.cursor,
            limit=query.limit,
        )
    else:
        store = services._store(query.store)
        page = selectors.public_page(
            seller=store,
            sort=query.sort,
            status=query.status or "",
            viewer=_viewer(request),
            cursor=query.cursor,
            limit=query.limit,
        )
    return {"items": [_suggestion(s) for s in page.items], "next_cursor": page.next_cursor}


@router.post(
    "suggestions",
    auth=SIGNED_IN,
    response={201: SuggestionOut, **WRITE_ERRORS},
    summary="Suggest something to a store or about a product (2–500 characters; 5 an hour per person)",
)
def post_suggestion(request: HttpRequest, payload: SuggestionIn):
    s = services.suggest(actor=request.auth, text=payload.text, store_id=payload.store, product_id=payload.product)
    return Status(201, _suggestion(s))


def _votes(request: HttpRequest, suggestion_id: int) -> dict:
    s = Suggestion.objects.get(pk=suggestion_id)
    voted = s.votes.filter(voter=request.auth).exists()
    return {"id": s.pk, "votes": s.vote_count, "voted": voted}


@router.post(
    "suggestions/{suggestion_id}/vote",
    auth=SIGNED_IN,
    response={200: SuggestionVoteOut, **WRITE_ERRORS},
    summary="Vote for a suggestion (once per person; voting again changes nothing)",
)
def vote(request: HttpRequest, suggestion_id: Id):
    services.vote(actor=request.auth, suggestion_id=suggestion_id)
    return _votes(request, suggestion_id)


@router.delete(
    "suggestions/{suggestion_id}/vote",
    auth=SIGNED_IN,
    response={200: SuggestionVoteOut, **WRITE_ERRORS},
    summary="Take your vote back",
)
def unvote(request: HttpRequest, suggestion_id: Id):
    services.unvote(actor=request.auth, suggestion_id=suggestion_id)
    return _votes(request, suggestion_id)


@router.post(
    "orders/{number}/feedback",
    auth=SIGNED_IN,
    response={201: OrderFeedbackOut, **WRITE_ERRORS},
    summary="Private feedback to the seller on your completed order: what could be better (once per order)",
)
def post_order_feedback(request: HttpRequest, number: str, payload: OrderFeedbackIn):
    got = services.order_feedback(actor=request.auth, number=number[:24], text=payload.text)
    return Status(201, _order_feedback(got))


# --- the seller's side (mounted under seller/) -------------------------------------------------------------------


def _triage_member(request: HttpRequest, organization_id: int):
    member = membership(request.auth, organization_id)
    if not services.may_triage(member):
        raise PermissionDenied(gettext("Your role does not allow answering suggestions."))
    return member


def _order_feedback(f: OrderFeedback) -> dict:
    return {
        "id": f.pk,
        "order_number": f.order.number,
        "text": f.text,
        "author": _author(f.author),
        "created_at": f.created_at,
    }


@seller_router.get(
    "suggestions",
    auth=SIGNED_IN,
    response={200: PageOut[SuggestionOut], **READ_ERRORS},
    summary="Every suggestion to the organization's store and products, top voted first (`status=` filters)",
)
def seller_suggestions(request: HttpRequest, query: Query[SuggestionSellerQuery]):
    member = _triage_member(request, query.organization)
    page = selectors.seller_page(member.organization, status=query.status or "", cursor=query.cursor, limit=query.limit)
    return {"items": [_suggestion(s) for s in page.items], "next_cursor": page.next_cursor}


@seller_router.post(
    "suggestions/{suggestion_id}/status",
    auth=SIGNED_IN,
    response={200: SuggestionOut, **WRITE_ERRORS},
    summary="Set a suggestion's status with a public reply (needs support.reply or orders.view); done tells the voters",
)
def set_status(request: HttpRequest, suggestion_id: Id, payload: SuggestionStatusIn):
    s = services.set_status(actor=request.auth, suggestion_id=suggestion_id, status=payload.status, reply=payload.reply)
    return _suggestion(selectors.with_parts(Suggestion.objects.filter(pk=s.pk)).get())


@seller_router.get(
    "order-feedback",
    auth=SIGNED_IN,
    response={200: PageOut[OrderFeedbackOut], **READ_ERRORS},
    summary="Private feedback buyers left on completed orders, newest first",
)
def seller_order_feedback(request: HttpRequest, query: Query[SellerQuery]):
    member = _triage_member(request, query.organization)
    page = selectors.seller_order_feedback(member.organization, cursor=query.cursor, limit=query.limit)
    return {"items": [_order_feedback(f) for f in page.items], "next_cursor": page.next_cursor}


@seller_router.get(
    "demand",
    auth=SIGNED_IN,
    response={200: list[DemandOut], **READ_ERRORS},
    summary="What buyers look for and cannot find in the organization's categories (all when it has none; catalog.manage)",
)
def seller_demand(request: HttpRequest, query: Query[DemandQuery]):
    member = membership(request.auth, query.organization)
    if not member.role.grants("catalog.manage"):
        raise PermissionDenied(gettext("Your role does not allow seeing buyer demand."))
    if not member.organization.sells:
        raise ValidationFailed(gettext("this organization does not sell"), field="organization")
    return [
        {
            "term": r.term,
            "label": r.label,
            "region": r.region,
            "searches": r.searches,
            "rfqs_unquoted": r.rfqs,
            "trend": r.trend,
            "last_seen": r.last_seen,
            "link": r.link,
        }
        for r in selectors.unmet_demand(member.organization, days=query.days)
    ]
