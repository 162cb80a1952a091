"""A seller's reputation across the modes, precomputed into one row (reviews.Reputation) per seller.

    ratings        product reviews and place reviews (this app), C2C ratings (c2c registers a source from its
                   AppConfig.ready(): c2c sits above reviews), combined as the count-weighted mean
    positive       the share of 4–5 star reviews among the product and place reviews
    response time  the median first reply of the seller in conversations started in the last 30 days
    disputes       returns asked (aftersales) and disputes opened (c2c's source) on the seller's orders paid in the
                   last PERIOD_DAYS days, over those orders
    on time        of the seller's orders with a ship-by time in the period that shipped or are overdue: the share
                   shipped by that time

`refresh(seller)` recomputes one row with a fixed number of queries (whatever the seller's size); pages read the row
(`for_seller`) and refresh it only when it is missing or older than STALE; `sweep_reputations(now)` (a periodic task)
refreshes the sellers whose rows are stale. Running either twice changes nothing but `refreshed_at`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q
from django.utils.functional import Promise

from tradeloop.accounts.models import Organization
from tradeloop.aftersales.models import ReturnRequest
from tradeloop.conversations.selectors import response_time
from tradeloop.core import clock
from tradeloop.orders.models import Order
from tradeloop.reviews.models import Reputation, Review

PERIOD_DAYS = 180
STALE = timedelta(hours=6)
SWEEP_BATCH = 500
RATE = Decimal("0.0001")
STARS = Decimal("0.01")
PAID_STATES = ("paid", "confirmed", "partially_shipped", "shipped", "delivered", "completed")


@dataclass(frozen=True)
class ModeFigures:
    """What a mode above reviews tells about one seller: its own ratings and the disputes opened since `since`."""

    rating_avg: Decimal
    rating_count: int
    disputes: int = 0


@dataclass(frozen=True)
class Source:
    name: str
    label: str | Promise
    figures: Callable[[int, datetime], ModeFigures | None]


_sources: dict[str, Source] = {}


def register_source(name: str, *, label: str | Promise, figures: Callable[[int, datetime], ModeFigures | None]) -> None:
    """A mode adds its figures of a seller (c2c: its ratings and disputes), from its AppConfig.ready()."""
    _sources[name] = Source(name=name, label=label, figures=figures)


def sources() -> list[Source]:
    return list(_sources.values())


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(RATE, rounding=ROUND_HALF_UP) if whole else None


def _stars(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(STARS, rounding=ROUND_HALF_UP)


def compute(seller: Organization, now: datetime) -> dict:
    """The reputation's fields (5 queries, plus one per registered source)."""
    since = now - timedelta(days=PERIOD_DAYS)
    by_kind = {
        row["target_kind"]: row
        for row in Review.objects.filter(seller=seller, state=Review.State.PUBLISHED)
        .values("target_kind")
        .order_by()
        .annotate(avg=Avg("stars"), count=Count("id"), positive=Count("id", filter=Q(stars__gte=4)))
    }
    parts = {kind: {"avg": str(_stars(row["avg"])), "count": row["count"]} for kind, row in by_kind.items()}
    weighted = sum(Decimal(str(row["avg"])) * row["count"] for row in by_kind.values())
    count = sum(row["count"] for row in by_kind.values())
    positive = sum(row["positive"] for row in by_kind.values())
    reviewed = count
    disputes = 0
    for source in _sources.values():
        found = source.figures(seller.pk, since)
        if found is None:
            continue
        if found.rating_count:
            parts[source.name] = {"avg": str(_stars(found.rating_avg)), "count": found.rating_count}
            weighted += Decimal(found.rating_avg) * found.rating_count
            count += found.rating_count
        disputes += found.disputes
    replies = response_time(seller=seller, now=now)
    paid = Order.objects.filter(seller=seller, state__in=PAID_STATES).exclude(mode=Order.Mode.O2O)
    paid = paid.filter(Q(paid_at__gte=since) | Q(paid_at__isnull=True, confirmed_at__gte=since))
    orders = paid.count()
    disputes += (
        ReturnRequest.objects.filter(order__seller=seller, created_at__gte=since).values("order").distinct().count()
    )
    shipping = (
        Order.objects.filter(seller=seller, ship_by__isnull=False, ship_by__gte=since)
        .exclude(mode=Order.Mode.O2O)
        .filter(Q(shipped_at__isnull=False) | Q(ship_by__lt=now, state__in=("paid", "confirmed", "partially_shipped")))
        .aggregate(n=Count("id"), on_time=Count("id", filter=Q(shipped_at__lte=F("ship_by"))))
    )
    return {
        "rating_avg": _stars(weighted / count) if count else Decimal("0.00"),
        "rating_count": count,
        "sources": parts,
        "positive_rate": _share(positive, reviewed),
        "response_median_seconds": replies.median_seconds,
        "conversations_answered": replies.answered,
        "orders_counted": orders,
        "disputes": disputes,
        "dispute_rate": _share(min(disputes, orders), orders) if orders else None,
        "shipped_counted": shipping["n"],
        "shipped_on_time": shipping["on_time"],
        "on_time_rate": _share(shipping["on_time"], shipping["n"]),
        "refreshed_at": now,
    }


def refresh(seller: Organization | int, now: datetime | None = None) -> Reputation:
    """Recompute the seller's reputation row (created on first use)."""
    if not isinstance(seller, Organization):
        seller = Organization.objects.get(pk=seller)
    fields = compute(seller, now or clock.now())
    updated = Reputation.objects.filter(seller=seller).update(**fields)
    if not updated:
        try:
            with transaction.atomic():
                return Reputation.objects.create(seller=seller, **fields)
        except IntegrityError:  # another process created it meanwhile
            Reputation.objects.filter(seller=seller).update(**fields)
    return Reputation.objects.get(seller=seller)


def for_seller(seller: Organization, now: datetime | None = None) -> Reputation:
    """The seller's reputation as pages show it: the stored row, refreshed only when missing or stale (1 query)."""
    now = now or clock.now()
    found = Reputation.objects.filter(seller=seller).first()
    if found is None or found.refreshed_at < now - STALE:
        found = refresh(seller, now)
    return found


def sweep_reputations(now: datetime) -> int:
    """Refresh the stale rows, and create those of sellers with reviews or orders but no row yet."""
    stale = list(
        Reputation.objects.filter(refreshed_at__lt=now - STALE)
        .order_by("refreshed_at")
        .values_list("seller_id", flat=True)[:SWEEP_BATCH]
    )
    missing = list(
        Organization.objects.filter(Q(reviews__isnull=False) | Q(sales__isnull=False), reputation__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()[: max(0, SWEEP_BATCH - len(stale))]
    )
    for seller_id in [*stale, *missing]:
        refresh(seller_id, now)
    return len(stale) + len(missing)
