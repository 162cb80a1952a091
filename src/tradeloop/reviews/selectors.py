"""Reads of reviews, each a fixed number of queries whatever the rows: a target's summary and pages (public: only
published reviews), the author's own, the records waiting for a review, and a seller's desk."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, FloatField, Prefetch, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.core.errors import NotFound
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.reviews import records, services
from tradeloop.reviews.models import HelpfulVote, Review, ReviewPhoto

ORDER = ("-created_at", "-id")
RECENT = 5


@dataclass
class SubScore:
    key: str
    label: str | Promise
    average: float | None


@dataclass
class Bar:
    stars: int
    count: int
    percent: int  # of all published reviews, for the histogram's width


@dataclass
class TargetSummary:
    kind: str
    target_id: int
    count: int = 0
    average: Decimal = Decimal("0")
    score: Decimal = Decimal("0")
    bars: list[Bar] = field(default_factory=list)  # 5 stars first
    scores: list[SubScore] = field(default_factory=list)


def target_kind_or_404(kind: str) -> records.TargetKind:
    found = records.target_kind(kind)
    if found is None:
        raise NotFound(gettext("Nothing to review here."))
    return found


def published(kind: str, target_id: int) -> QuerySet[Review]:
    return Review.objects.filter(target_kind=kind, target_id=target_id, state=Review.State.PUBLISHED)


def with_parts(qs: QuerySet[Review]) -> QuerySet[Review]:
    """What a shown review needs: its author and photos (two queries for any number of reviews)."""
    return qs.select_related("author", "seller").prefetch_related(
        Prefetch("photos", ReviewPhoto.objects.order_by("position", "id"))
    )


def target_summary(kind: str, target_id: int) -> TargetSummary:
    """Average, count, score, star histogram and sub-score averages of a target's published reviews (one query)."""
    target = target_kind_or_404(kind)
    per_star = {f"n{n}": Count("id", filter=Q(stars=n)) for n in range(1, 6)}
    per_score = {
        f"s_{key}": Avg(Cast(KT(f"scores__{key}"), FloatField())) for key in target.score_keys if key.isidentifier()
    }
    got = published(kind, target_id).aggregate(
        count=Count("id"),
        average=Avg("stars"),
        positive=Count("id", filter=Q(stars__gte=services.POSITIVE_STARS)),
        **per_star,
        **per_score,
    )
    count = got["count"]
    return TargetSummary(
        kind=kind,
        target_id=target_id,
        count=count,
        average=Decimal(str(got["average"] or 0)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        score=services.wilson_lower_bound(got["positive"], count),
        bars=[
            Bar(stars=n, count=got[f"n{n}"], percent=round(100 * got[f"n{n}"] / count) if count else 0)
            for n in range(5, 0, -1)
        ],
        scores=[SubScore(key, label, got.get(f"s_{key}")) for key, label in target.scores],
    )


def recent_for_target(kind: str, target_id: int, limit: int = RECENT) -> list[Review]:
    return list(with_parts(published(kind, target_id)).order_by(*ORDER)[:limit])


def target_page(kind: str, target_id: int, *, cursor: str | None = None, limit: int = 20) -> Page:
    """A target's published reviews, newest first, keyset-paginated (3 queries)."""
    target_kind_or_404(kind)
    return keyset_page(with_parts(published(kind, target_id)), order=ORDER, cursor=cursor, limit=limit)


def describe_target(kind: str, target_id: int) -> records.Target:
    found = target_kind_or_404(kind).describe([target_id]).get(target_id)
    if found is None:
        raise NotFound(gettext("Nothing to review here."))
    return found


def attach_targets(reviews: list[Review]) -> list[Review]:
    """Give each review `.target` (a records.Target or None): one read per target kind among them."""
    wanted: dict[str, set[int]] = {}
    for review in reviews:
        wanted.setdefault(review.target_kind, set()).add(review.target_id)
    found = {}
    for kind, ids in wanted.items():
        described = records.target_kind(kind)
        found[kind] = described.describe(sorted(ids)) if described else {}
    for review in reviews:
        review.target = found[review.target_kind].get(review.target_id)
    return reviews


def mine_page(actor: User, *, cursor: str | None = None, limit: int = 20) -> Page:
    """The actor's own reviews (hidden ones too: they see why), newest first, each with its `.target`."""
    page = keyset_page(with_parts(Review.objects.filter(author=actor)), order=ORDER, cursor=cursor, limit=limit)
    attach_targets(page.items)
    return page


def pending(actor: User, limit: int = 20) -> list[records.Record]:
    """The actor's visits that wait for a review, of every registered record kind."""
    return records.waiting(actor, limit)


def own_review(actor: User, review_id: int) -> Review:
    found = with_parts(Review.objects.filter(pk=review_id, author=actor)).first()
    if found is None:
        raise NotFound(gettext("Review not found."))
    return found


def seller_page(seller: Organization, *, unanswered: bool = False, cursor: str | None = None, limit: int = 20) -> Page:
    """A seller's reviews (hidden ones too), newest first, each with its `.target`; `unanswered`: only published ones without
    a reply yet."""
    qs = Review.objects.filter(seller=seller)
    if unanswered:
        qs = qs.filter(replied_at__isnull=True, state=Review.State.PUBLISHED)
    page = keyset_page(with_parts(qs), order=ORDER, cursor=cursor, limit=limit)
    attach_targets(page.items)
    return page


def unanswered_count(seller: Organization) -> int:
    return Review.objects.filter(seller=seller, replied_at__isnull=True, state=Review.State.PUBLISHED).count()


def mark_of(review: Review) -> str | Promise:
    """The badge a review's record kind gives it, e.g. "Verified visit"."""
    kind = records.record_kind(review.record_kind)
    return kind.mark if kind else ""


def unanswered_badge(membership) -> int:
    """The console navigation's count beside Reviews: published reviews without an answer yet."""
    return unanswered_count(membership.organization)


# --- other shoppers' side: helpful votes ----------------------------------------------------------------------------


def voted(user, reviews: list[Review]) -> set[int]:
    """The ids among `reviews` the user found helpful (one query; none for a visitor or no reviews)."""
    if not reviews or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        HelpfulVote.objects.filter(user=user, review_id__in=[r.pk for r in reviews]).values_list("review_id", flat=True)
    )


def public_review(review_id: int) -> Review:
    found = with_parts(Review.objects.filter(pk=review_id, state=Review.State.PUBLISHED)).first()
    if found is None:
        raise NotFound(gettext("Review not found."))
    return found


# --- the operator's moderation queue --------------------------------------------------------------------------------


def moderation_queue() -> QuerySet[Review]:
    """Reviews waiting for the operator: reported ones first (most reports first), then held ones, oldest first."""
    return Review.objects.filter(Q(open_reports__gt=0) | Q(state=Review.State.HELD)).order_by(
        "-open_reports", "created_at", "id"
    )
