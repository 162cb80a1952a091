"""Every reused read of buyer feedback, scoped to the actor, with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Max, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tradeloop.accounts.models import Organization
from tradeloop.catalog.models import Category, Product
from tradeloop.core import clock
from tradeloop.core.errors import ValidationFailed
from tradeloop.core.pagination import Page, keyset_page

from . import demand
from .models import DemandSearch, OrderFeedback, Suggestion, SuggestionVote
from .terms import normalise

PERIODS = (7, 30, 90)
MAX_ROWS = 200
COUNT_SECONDS = 600
SORTS = {"top": ("-vote_count", "-id"), "new": ("-created_at", "-id")}


# --- unmet demand ---------------------------------------------------------------------------------------------------


@dataclass
class DemandRow:
    term: str  # normalised: the key
    label: str  # as a buyer typed it
    region: str
    searches: int = 0
    rfqs: int = 0
    last_seen: datetime | None = None
    previous: int = 0
    link: str = ""
    refs: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.searches + self.rfqs

    @property
    def trend(self) -> str:
        """new (nothing in the period before), up, down or steady."""
        if not self.previous:
            return "new"
        if self.total > self.previous:
            return "up"
        return "down" if self.total < self.previous else "steady"


def seller_categories(seller: Organization) -> set[int] | None:
    """The categories whose demand a seller sees: those of its own products, with their parents and children
    (two queries). None when it has no categorised products: then it sees all."""
    paths = set(
        Product.objects.filter(seller=seller, category__isnull=False)
        .values_list("category__path", flat=True)
        .distinct()
    )
    if not paths:
        return None
    ancestors = {p[: i + 1] for p in paths for i, ch in enumerate(p) if ch == "/"}
    near = Q(path__in=ancestors)
    for path in paths:
        near |= Q(path__startswith=path)
    return set(Category.objects.filter(near).values_list("id", flat=True))


def period(days: int | str | None) -> int:
    try:
        days = int(days or 30)
    except (TypeError, ValueError):
        raise ValidationFailed("period must be 7, 30 or 90 days", field="days") from None
    if days not in PERIODS:
        raise ValidationFailed("period must be 7, 30 or 90 days", field="days")
    return days


def _searches(since: datetime, until: datetime, categories: set[int] | None):
    qs = DemandSearch.objects.filter(day__gte=timezone.localdate(since), day__lt=timezone.localdate(until))
    if categories is not None:
        qs = qs.filter(Q(category_key__in=categories) | Q(category_key=0))
    return qs.values("term", "region").annotate(n=Sum("searches"), seen=Max("last_seen"), label=Max("sample"))


def _link(url_name: str, org_id: int, ref_id: int | None) -> str:
    if not url_name or ref_id is None:
        return ""
    try:
        return reverse(url_name, args=[org_id, ref_id])
    except NoReverseMatch:
        return ""


def unmet_demand(seller: Organization, *, days: int = 30) -> list[DemandRow]:
    """What buyers looked for and could not find in the seller's categories over the last `days`, by normalised term
    and region: searches with few results and RFQs nobody quoted; with the period before for the trend."""
    days = period(days)
    categories = seller_categories(seller)
    now = clock.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    since, before = today - timedelta(days=days), today - timedelta(days=2 * days)
    rows: dict[tuple[str, str], DemandRow] = {}

    def row(term: str, region: str, label: str) -> DemandRow:
        return rows.setdefault((term, region), DemandRow(term=term, label=label or term, region=region))

    for got in _searches(since, today, categories).order_by("-n")[:MAX_ROWS]:
        r = row(got["term"], got["region"], got["label"])
        r.searches, r.last_seen = got["n"], got["seen"]
    for _name, item in demand.unmet(since=since, until=today, category_ids=categories):
        term = normalise(item.term)
        if not term:
            continue
        r = row(term, item.region, item.term)
        r.rfqs += 1
        if r.last_seen is None or item.seen_at > r.last_seen:
            r.last_seen = item.seen_at
            r.link = _link(item.url_name, seller.pk, item.ref_id) or r.link
        elif not r.link:
            r.link = _link(item.url_name, seller.pk, item.ref_id)
    for got in _searches(before, since, categories):
        if (got["term"], got["region"]) in rows:
            rows[(got["term"], got["region"])].previous += got["n"]
    for _name, item in demand.unmet(since=before, until=since, category_ids=categories):
        key = (normalise(item.term), item.region)
        if key in rows:
            rows[key].previous += 1
    ordered = sorted(rows.values(), key=lambda r: (-r.total, -(r.last_seen.timestamp() if r.last_seen else 0)))
    return ordered[:MAX_ROWS]


# --- suggestions ----------------------------------------------------------------------------------------------------


def with_parts(qs):
    return qs.select_related("author", "seller", "product")


def _mark_votes(items: list[Suggestion], viewer) -> None:
    mine: set[int] = set()
    if viewer is not None and getattr(viewer, "is_authenticated", False) and items:
        mine = set(
            SuggestionVote.objects.filter(voter=viewer, suggestion__in=[s.pk for s in items]).values_list(
                "suggestion_id", flat=True
            )
        )
    for s in items:
        s.voted = s.pk in mine
        s.own = viewer is not None and getattr(viewer, "pk", None) == s.author_id


def public_page(
    *,
    seller: Organization | None = None,
    product: Product | None = None,
    sort: str = "top",
    status: str = "",
    viewer=None,
    cursor: str | None = None,
    limit: int = 20,
) -> Page:
    """A store's suggestions (those about the store itself) or a product's, top voted or newest first."""
    if sort not in SORTS:
        raise ValidationFailed("sort must be top or new", field="sort")
    if status and status not in Suggestion.Status.values:
        raise ValidationFailed("unknown status", field="status")
    qs = Suggestion.objects.all()
    if product is not None:
        qs = qs.filter(product=product)
    elif seller is not None:
        qs = qs.filter(seller=seller, product__isnull=True)
    if status:
        qs = qs.filter(status=status)
    page = keyset_page(with_parts(qs), order=SORTS[sort], cursor=cursor, limit=limit)
    _mark_votes(page.items, viewer)
    return page


def seller_page(seller: Organization, *, status: str = "", cursor: str | None = None, limit: int = 20) -> Page:
    """The desk: every suggestion to the seller (store and products), top voted first."""
    if status and status not in Suggestion.Status.values:
        raise ValidationFailed("unknown status", field="status")
    qs = Suggestion.objects.filter(seller=seller)
    if status:
        qs = qs.filter(status=status)
    return keyset_page(with_parts(qs), order=SORTS["top"], cursor=cursor, limit=limit)


def count_key(*, seller_id: int | None = None, product_id: int | None = None) -> str:
    return f"feedback:count:product:{product_id}" if product_id else f"feedback:count:store:{seller_id}"


def block_count(*, seller: Organization | None = None, product: Product | None = None) -> int:
    """The count on a store's or product's page, from the cache (so the page keeps its query budget); a new
    suggestion forgets it (services.suggest)."""
    if product is not None:
        key = count_key(product_id=product.pk)
        return cache.get_or_set(key, lambda: Suggestion.objects.filter(product=product).count(), COUNT_SECONDS)
    key = count_key(seller_id=seller.pk)
    return cache.get_or_set(
        key, lambda: Suggestion.objects.filter(seller=seller, product__isnull=True).count(), COUNT_SECONDS
    )


def seller_order_feedback(seller: Organization, *, cursor: str | None = None, limit: int = 20) -> Page:
    qs = OrderFeedback.objects.filter(seller=seller).select_related("order", "author")
    return keyset_page(qs, order=("-created_at", "-id"), cursor=cursor, limit=limit)


def order_feedback_of(order) -> OrderFeedback | None:
    return OrderFeedback.objects.filter(order=order).first()
