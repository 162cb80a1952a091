"""reviews' part of the REST API: a target's reviews (public), the caller's reviews and visits waiting for one,
writing and editing, photos; the seller's reviews desk and replies. Thin: reviews.services writes,
reviews.selectors reads."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.models import Organization
from tradeloop.accounts.selectors import membership
from tradeloop.core.api_schemas import Id, InputSchema, NotBool, PageOut, PageQuery, Text, errors
from tradeloop.core.errors import NotFound, PermissionDenied
from tradeloop.reviews import records, reputation, selectors, services
from tradeloop.reviews.models import Review

router = Router(tags=["Reviews"])
seller_router = Router(tags=["Reviews"])

Score = Annotated[int, NotBool, Field(ge=1, le=5)]
Kind = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[a-z_]+$")]
READ_ERRORS = errors(400, 401, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422, 429)


class ReviewPhotoOut(Schema):
    id: int
    url: str


class ReviewOut(Schema):
    id: int
    record_kind: str = Field(..., description="The trade record that allowed it: voucher, booking or order_line")
    record_id: int
    verified: str = Field(..., description='The mark shown with it, e.g. "Verified visit"')
    target_kind: str = Field(..., description="What it is about: place or product")
    target_id: int
    seller_id: int
    author: str = Field(..., description="The author's name as shown (its first letter)")
    state: str = Field(
        ...,
        description="published, held (a suspected duplicate the operator checks) or hidden; only published ones are public",
    )
    hidden_reason: str
    helpful_count: int = Field(..., description="People who found it helpful")
    stars: int
    scores: dict[str, int] = Field(..., description="Sub-scores 1–5 by name (place: service, environment, value)")
    text: str
    language: str
    visited_at: datetime
    created_at: datetime
    edited_at: datetime | None
    editable_until: datetime
    photos: list[ReviewPhotoOut]
    reply: str = Field(..., description="The seller's public answer, empty if none")
    replied_at: datetime | None


class ReviewBarOut(Schema):
    stars: int
    count: int


class ReviewSubScoreOut(Schema):
    key: str
    label: str
    average: float | None


class ReviewSummaryOut(Schema):
    count: int
    average: Decimal = Field(..., description="Mean stars, 0 without reviews")
    score: Decimal = Field(..., description="Wilson lower bound (95 %) of the share of 4–5 star reviews: the ranking")
    histogram: list[ReviewBarOut] = Field(..., description="Reviews per star, 5 first")
    scores: list[ReviewSubScoreOut]


class ReviewTargetPageOut(Schema):
    summary: ReviewSummaryOut
    items: list[ReviewOut]
    next_cursor: str | None = Field(None, description="Null on the last page")


class ReviewRecordOut(Schema):
    record_kind: str
    record_id: int
    target_kind: str
    target_id: int
    seller_id: int
    visited_at: datetime
    label: str = Field(..., description='e.g. "Haircut and wash · redeemed 3 December at Lotus Hair Studio"')


class ReviewTargetQuery(PageQuery):
    target: Text = Field(
        ..., max_length=60, pattern=r"^[a-z_]+:[0-9]+$", description="kind:id, e.g. place:12 or product:7"
    )


class ReviewSellerQuery(PageQuery):
    organization: Id
    unanswered: bool = Field(False, description="Only reviews without an answer yet")


class ReviewIn(InputSchema):
    record_kind: Kind = Field(..., description="voucher, booking or order_line (a line of a delivered order)")
    record_id: Id
    stars: Score
    scores: dict[Annotated[str, Field(max_length=40)], Score] = Field(
        default_factory=dict, description='Optional sub-scores, e.g. {"service": 5, "value": 4}'
    )
    text: Text = Field("", max_length=services.MAX_TEXT)


class ReviewPatchIn(InputSchema):
    stars: Score | None = None
    scores: dict[Annotated[str, Field(max_length=40)], Score] | None = Field(None, description="Replaces them all")
    text: Text | None = Field(None, max_length=services.MAX_TEXT)


class ReviewReportIn(InputSchema):
    reason: Annotated[str, Field(max_length=12)] = Field(
        ..., description="fake, offensive, off_topic, private, spam or other"
    )
    note: Text = Field("", max_length=services.MAX_REPORT_NOTE)


class HelpfulOut(Schema):
    review_id: int
    helpful_count: int
    voted: bool = Field(
        ..., description="Whether the caller's vote stands after this call (a second call takes it back)"
    )


class ReportOut(Schema):
    id: int
    review_id: int
    reason: str
    created_at: datetime


class ReputationSourceOut(Schema):
    name: str = Field(..., description="product, place or c2c")
    label: str
    rating_avg: Decimal
    rating_count: int


class ReputationOut(Schema):
    organization_id: int
    name: str
    rating_avg: Decimal = Field(..., description="Count-weighted mean of every source's ratings, 0 without")
    rating_count: int
    positive_rate: Decimal | None = Field(None, description="Share of 4–5 star product and place reviews")
    sources: list[ReputationSourceOut]
    response_median_seconds: int | None = Field(None, description="Median first reply in conversations (30 days)")
    conversations_answered: int
    orders_counted: int = Field(..., description="Paid orders of the last 180 days: the rates' base")
    disputes: int = Field(..., description="Returns asked and disputes opened on those orders")
    dispute_rate: Decimal | None
    shipped_counted: int
    shipped_on_time: int
    on_time_rate: Decimal | None = Field(None, description="Share shipped by the promised ship-by time")
    refreshed_at: datetime


class ReviewReplyIn(InputSchema):
    text: Text = Field(..., min_length=1, max_length=services.MAX_REPLY)


def _review(review: Review) -> dict:
    name = review.author.display_name.strip()
    return {
        "id": review.pk,
        "record_kind": review.record_kind,
        "record_id": review.record_id,
        "verified": str(selectors.mark_of(review)),
        "target_kind": review.target_kind,
        "target_id": review.target_id,
        "seller_id": review.seller_id,
        "author": f"{name[:1].upper()}***" if name else "***",
        "state": review.state,
        "hidden_reason": review.hidden_reason,
        "helpful_count": review.helpful_count,
        "stars": review.stars,
        "scores": review.scores,
        "text": review.text,
        "language": review.language,
        "visited_at": review.visited_at,
        "created_at": review.created_at,
        "edited_at": review.edited_at,
        "editable_until": review.editable_until,
        "photos": [{"id": p.pk, "url": p.image.url} for p in review.photos.all()],
        "reply": review.reply,
        "replied_at": review.replied_at,
    }


def _summary(summary: selectors.TargetSummary) -> dict:
    return {
        "count": summary.count,
        "average": summary.average,
        "score": summary.score,
        "histogram": [{"stars": b.stars, "count": b.count} for b in summary.bars],
        "scores": [{"key": s.key, "label": str(s.label), "average": s.average} for s in summary.scores],
    }


def _record(record: records.Record) -> dict:
    return {
        "record_kind": record.kind,
        "record_id": record.id,
        "target_kind": record.target_kind,
        "target_id": record.target_id,
        "seller_id": record.seller_id,
        "visited_at": record.visited_at,
        "label": record.label,
    }


def _one(actor, review_id: int) -> dict:
    return _review(selectors.own_review(actor, review_id))


@router.get(
    "reviews",
    response={200: ReviewTargetPageOut, **READ_ERRORS},
    summary="A target's published reviews, newest first, with its summary (`target=place:12`; keyset pages)",
)
def target_reviews(request: HttpRequest, query: Query[ReviewTargetQuery]):
    kind, _, raw_id = query.target.partition(":")
    target_id = int(raw_id)
    if not 1 <= target_id < 2**63:
        raise NotFound(gettext("Nothing to review here."), field="target")
    selectors.describe_target(kind, target_id)  # an unknown or hidden place: 404
    page = selectors.target_page(kind, target_id, cursor=query.cursor, limit=query.limit)
    return {
        "summary": _summary(selectors.target_summary(kind, target_id)),
        "items": [_review(r) for r in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "reviews/mine",
    auth=SIGNED_IN,
    response={200: PageOut[ReviewOut], **READ_ERRORS},
    summary="The caller's reviews (hidden ones too), newest first",
)
def my_reviews(request: HttpRequest, query: Query[PageQuery]):
    page = selectors.mine_page(request.auth, cursor=query.cursor, limit=query.limit)
    return {"items": [_review(r) for r in page.items], "next_cursor": page.next_cursor}


@router.get(
    "reviews/pending",
    auth=SIGNED_IN,
    response={200: list[ReviewRecordOut], **READ_ERRORS},
    summary="The caller's visits waiting for a review (redeemed vouchers, completed bookings), newest first",
)
def pending_reviews(request: HttpRequest):
    return [_record(r) for r in selectors.pending(request.auth)]


@router.post(
    "reviews",
    auth=SIGNED_IN,
    response={201: ReviewOut, **WRITE_ERRORS},
    summary="Review a visit or a purchase: only the caller's redeemed voucher, completed booking or delivered order "
    "line allows it, once (a text nearly the same as another account's is held for the operator: state held)",
)
def write_review(request: HttpRequest, payload: ReviewIn):
    review = services.write_review(actor=request.auth, **payload.dict())
    return Status(201, _one(request.auth, review.pk))


@router.patch(
    "reviews/{review_id}",
    auth=SIGNED_IN,
    response={200: ReviewOut, **WRITE_ERRORS},
    summary="Edit your review (what is sent changes) within 30 days of writing it",
)
def edit_review(request: HttpRequest, review_id: Id, payload: ReviewPatchIn):
    services.edit_review(actor=request.auth, review_id=review_id, **payload.dict())
    return _one(request.auth, review_id)


@router.post(
    "reviews/{review_id}/photos",
    auth=SIGNED_IN,
    response={201: ReviewOut, **WRITE_ERRORS},
    summary="Add photos to your review (multipart `photos`: JPEG, PNG or WebP, 5 MB each, at most 9 in all)",
)
def add_photos(request: HttpRequest, review_id: Id, photos: File[list[UploadedFile]]):
    services.add_photos(actor=request.auth, review_id=review_id, photos=list(photos))
    return Status(201, _one(request.auth, review_id))


@router.post(
    "reviews/{review_id}/helpful",
    auth=SIGNED_IN,
    response={200: HelpfulOut, **WRITE_ERRORS},
    summary="Find a published review helpful, or take the vote back (a toggle; one vote per person; not your own)",
)
def helpful(request: HttpRequest, review_id: Id):
    review, on = services.toggle_helpful(actor=request.auth, review_id=review_id)
    return {"review_id": review.pk, "helpful_count": review.helpful_count, "voted": on}


@router.post(
    "reviews/{review_id}/report",
    auth=SIGNED_IN,
    response={201: ReportOut, **WRITE_ERRORS},
    summary="Report a published review to the operator with a reason (once per person while it is open)",
)
def report(request: HttpRequest, review_id: Id, payload: ReviewReportIn):
    found = services.report(actor=request.auth, review_id=review_id, reason=payload.reason, note=payload.note)
    return Status(
        201, {"id": found.pk, "review_id": found.review_id, "reason": found.reason, "created_at": found.created_at}
    )


def _reputation(seller: Organization, found) -> dict:
    labels = {s.name: str(s.label) for s in reputation.sources()}
    labels |= {"product": gettext("Product reviews"), "place": gettext("Visits to its places")}
    return {
        "organization_id": seller.pk,
        "name": seller.name,
        "rating_avg": found.rating_avg,
        "rating_count": found.rating_count,
        "positive_rate": found.positive_rate,
        "sources": [
            {"name": name, "label": labels.get(name, name), "rating_avg": Decimal(p["avg"]), "rating_count": p["count"]}
            for name, p in (found.sources or {}).items()
        ],
        "response_median_seconds": found.response_median_seconds,
        "conversations_answered": found.conversations_answered,
        "orders_counted": found.orders_counted,
        "disputes": found.disputes,
        "dispute_rate": found.dispute_rate,
        "shipped_counted": found.shipped_counted,
        "shipped_on_time": found.shipped_on_time,
        "on_time_rate": found.on_time_rate,
        "refreshed_at": found.refreshed_at,
    }


@router.get(
    "sellers/{organization_id}/reputation",
    response={200: ReputationOut, **READ_ERRORS},
    summary="A seller's public reputation: ratings of every mode, response time, dispute rate, on-time shipping",
)
def seller_reputation(request: HttpRequest, organization_id: Id):
    seller = Organization.objects.filter(
        pk=organization_id, is_active=True, kind__in=Organization.SELLING_KINDS
    ).first()
    if seller is None:
        raise NotFound(gettext("Seller not found."))
    return _reputation(seller, reputation.for_seller(seller))


# --- the seller's desk (mounted under seller/) -------------------------------------------------------------------


def _reloaded(review_id: int) -> dict:
    return _review(selectors.with_parts(Review.objects.filter(pk=review_id)).get())


@seller_router.get(
    "reviews",
    auth=SIGNED_IN,
    response={200: PageOut[ReviewOut], **errors(400, 401, 403, 404, 422)},
    summary="The organization's reviews, newest first (`unanswered=true`: only those without an answer)",
)
def seller_reviews(request: HttpRequest, query: Query[ReviewSellerQuery]):
    member = membership(request.auth, query.organization)
    if not services.may_reply(member):
        raise PermissionDenied(gettext("Your role does not allow answering reviews."))
    seller = member.organization
    page = selectors.seller_page(seller, unanswered=query.unanswered, cursor=query.cursor, limit=query.limit)
    return {"items": [_review(r) for r in page.items], "next_cursor": page.next_cursor}


@seller_router.post(
    "reviews/{review_id}/reply",
    auth=SIGNED_IN,
    response={201: ReviewOut, **WRITE_ERRORS},
    summary="Answer a review publicly, once (needs support.reply or orders.view)",
)
def reply(request: HttpRequest, review_id: Id, payload: ReviewReplyIn):
    services.reply(actor=request.auth, review_id=review_id, text=payload.text)
    return Status(201, _reloaded(review_id))


@seller_router.patch(
    "reviews/{review_id}/reply",
    auth=SIGNED_IN,
    response={200: ReviewOut, **WRITE_ERRORS},
    summary="Change the answer to a review",
)
def edit_reply(request: HttpRequest, review_id: Id, payload: ReviewReplyIn):
    services.edit_reply(actor=request.auth, review_id=review_id, text=payload.text)
    return _reloaded(review_id)
