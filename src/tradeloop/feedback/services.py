"""Every write of the feedback app: one function per use case."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tradeloop.catalog.models import Category
from tradeloop.core import clock

from .models import DemandSearch
from .terms import normalise


def note_search(*, text: str, region: str, results: int, category_id: int | None = None) -> None:
    """Count one search that returned few (or no) results into today's row for its normalised term and region.

    One guarded UPDATE … searches = searches + 1; when there is no row yet, an INSERT; when another process inserted
    it in between (IntegrityError on the unique key), the UPDATE again. Never raises for a blank term."""
    term = normalise(text)
    if not term:
        return
    now = clock.now()
    day = timezone.localdate(now)
    region = (region or "").strip()[:80]
    key = int(category_id or 0)
    results = max(int(results or 0), 0)
    match = DemandSearch.objects.filter(term=term, region=region, category_key=key, day=day)
    changes = {"searches": F("searches") + 1, "last_results": results, "last_seen": now}
    if match.update(**changes):
        return
    if category_id and not Category.objects.filter(pk=category_id).exists():
        category_id, key = None, 0  # an unknown category must not fail the searcher's transaction at commit
        match = DemandSearch.objects.filter(term=term, region=region, category_key=0, day=day)
        if match.update(**changes):
            return
    try:
        with transaction.atomic():
            DemandSearch.objects.create(
                term=term,
                region=region,
                category_id=category_id or None,
                category_key=key,
                day=day,
                searches=1,
                last_results=results,
                sample=" ".join((text or "").split())[:120],
                last_seen=now,
            )
    except IntegrityError:
        match.update(**changes)
