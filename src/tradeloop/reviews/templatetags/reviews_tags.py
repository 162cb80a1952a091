"""`{% target_reviews "place" place.pk %}`: a target's rating summary, histogram and recent reviews (3 queries; the
summary is kept with the cached pages, `page_cache.remember`), for the pages of the modes (o2o/_place_reviews.html).
`review|review_mark`: the badge of the review's record kind."""

from __future__ import annotations

from django import template

from tradeloop.core import page_cache
from tradeloop.core.errors import NotFound
from tradeloop.reviews import records, selectors

register = template.Library()


@register.inclusion_tag("reviews/_target_block.html", takes_context=True)
def target_reviews(context, target_kind: str, target_id: int, limit: int = selectors.RECENT) -> dict:
    try:
        target_id = int(target_id)
        summary = page_cache.remember(
            f"reviews:summary:{target_kind}:{target_id}", lambda: selectors.target_summary(target_kind, target_id)
        )
    except (NotFound, TypeError, ValueError):
        return {"summary": None}
    recent = selectors.recent_for_target(target_kind, int(target_id), limit) if summary.count else []
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "summary": summary,
        "recent": recent,
        "request": request,
        "user": user,
        "voted": selectors.voted(user, recent),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def review_mark(review) -> str:
    return str(selectors.mark_of(review))


@register.simple_tag
def score_label(review, key: str) -> str:
    """The label of one of a review's sub-scores ("service" → Service / 服务)."""
    kind = records.target_kind(review.target_kind)
    return str(dict(kind.scores).get(key, key)) if kind else key


@register.filter
def percent(rate) -> str:
    """0.9523 → "95.2%" (one decimal, none when whole); empty for None."""
    if rate is None:
        return ""
    value = round(float(rate) * 100, 1)
    return f"{value:g}%"
