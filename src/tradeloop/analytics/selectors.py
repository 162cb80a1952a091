"""The dashboard's figures for a seller (or, for staff, the whole platform) over a period, with the previous period.

Past days are read from the daily rollups (O(days) rows); today, if in the period, is computed live from today's
orders only (through the (seller, state, placed_at) index). A fixed number of queries whatever the order count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.analytics import blocks as block_registry
from tradeloop.analytics import rollups
from tradeloop.analytics.errors import Code
from tradeloop.analytics.models import DailyProduct, DailySales
from tradeloop.core import clock
from tradeloop.core.errors import PermissionDenied, ValidationFailed
from tradeloop.core.money import Money

VIEW = "orders.view"
PRESETS = (7, 30, 90)
MAX_DAYS = 366
TOP_PRODUCTS = 10


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included
    preset: int | None = None  # 7, 30 or 90 when picked from the presets

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> Period:
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]


def _bad(message: str, field_name: str) -> ValidationFailed:
    return ValidationFailed(message, field=field_name, code=Code.BAD_PERIOD)


def parse_period(*, days: object = None, start: object = None, end: object = None, today: date | None = None) -> Period:
    """A preset (the last 7, 30 or 90 days up to today) or a custom from–to (dates, to included, at most a year)."""
    today = today or timezone.localdate(clock.now())
    if start or end:
        try:
            first = date.fromisoformat(str(start)) if start else None
            last = date.fromisoformat(str(end)) if end else today
        except ValueError as exc:
            raise _bad(gettext("Enter dates as YYYY-MM-DD."), "to" if start and _readable(start) else "from") from exc
        if first is None:
            raise _bad(gettext("Choose the first day of the period."), "from")
        if last < first:
            raise _bad(gettext("The end of the period is before its start."), "to")
        if (last - first).days + 1 > MAX_DAYS:
            raise _bad(gettext("Choose a period of at most a year."), "to")
        return Period(first, last)
    try:
        wanted = int(days) if days not in (None, "") else 30
    except (TypeError, ValueError) as exc:
        raise _bad(gettext("Choose 7, 30 or 90 days."), "days") from exc
    if wanted not in PRESETS:
        raise _bad(gettext("Choose 7, 30 or 90 days."), "days")
    return Period(today - timedelta(days=wanted - 1), today, preset=wanted)


def _readable(value: object) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


@dataclass
class Point:
    day: date
    orders: int = 0
    gmv: Decimal = Decimal(0)
    refunded: Decimal = Decimal(0)
    refunds: int = 0
    visits: int = 0
    visitors: int = 0
    units: int = 0
    new_customers: int = 0
    repeat_orders: int = 0


@dataclass
class Totals:
    currency: str
    orders: int = 0
    gmv: Decimal = Decimal(0)
    refunded: Decimal = Decimal(0)
    refunds: int = 0
    visits: int = 0
    visitors: int = 0
    units: int = 0
    new_customers: int = 0
    repeat_orders: int = 0
    by_mode: dict = field(default_factory=dict)

    def add(self, point: Point) -> None:
        for name in ("orders", "gmv", "refunded", "refunds", "visits", "visitors", "units"):
            setattr(self, name, getattr(self, name) + getattr(point, name))
        self.new_customers += point.new_customers
        self.repeat_orders += point.repeat_orders

    @property
    def aov(self) -> Decimal | None:
        return (self.gmv / self.orders) if self.orders else None

    @property
    def conversion(self) -> Decimal | None:
        """Orders out of visitors, in percent."""
        return _percent(self.orders, self.visitors)

    @property
    def repeat_rate(self) -> Decimal | None:
        """Orders from customers who had bought from the seller before, out of all orders, in percent."""
        return _percent(self.repeat_orders, self.orders)

    @property
    def refund_rate(self) -> Decimal | None:
        """Money refunded out of GMV, in percent."""
        return (self.refunded * 100 / self.gmv).quantize(Decimal("0.1")) if self.gmv else None

    def money(self, amount: Decimal | None) -> Money | None:
        return None if amount is None else Money(amount, self.currency).rounded()

    def value(self, key: str):
        return getattr(self, key)


METRICS = ("gmv", "orders", "aov", "conversion", "repeat_rate", "refunded", "visitors", "units")


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def delta(now, before) -> Decimal | None:
    """The change in percent from the previous period (None when there is nothing to compare with)."""
    if now is None or before is None or not before:
        return None
    return ((Decimal(now) - Decimal(before)) * 100 / Decimal(before)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class TopProduct:
    product_id: int
    title: str
    units: int
    revenue: Money


@dataclass
class Report:
    seller: Organization | None
    period: Period
    currency: str
    series: list[Point]
    totals: Totals
    previous: Totals | None
    top_products: list[TopProduct]
    blocks: list
    generated_at: object
    previous_series: list[Point] = field(default_factory=list)

    @property
    def deltas(self) -> dict[str, Decimal | None]:
        if self.previous is None:
            return {}
        return {key: delta(getattr(self.totals, key), getattr(self.previous, key)) for key in METRICS}


def check_access(actor: User, seller: Organization | None) -> None:
    if seller is None:
        if not (getattr(actor, "is_authenticated", False) and actor.is_staff):
            raise PermissionDenied(gettext("Only the operator's staff see the platform's figures."))
        return
    require(actor, seller, VIEW)


def report(*, actor: User, seller: Organization | None, period: Period, compare: bool = True) -> Report:
    """The seller's (None: the platform's) figures over `period`, with the previous period of the same length."""
    check_access(actor, seller)
    now = clock.now()
    today = timezone.localdate(now)
    currency = seller.currency if seller is not None else settings.TRADELOOP_DEFAULT_CURRENCY
    first = period.previous.start if compare else period.start
    points = {day: Point(day) for day in _days(first, period.end)}
    stored = DailySales.objects.filter(currency=currency, day__gte=first, day__lte=min(period.end, today))
    stored = stored.filter(seller=seller) if seller is not None else stored.filter(seller__isnull=True)
    by_mode: dict[date, dict] = {}
    for row in stored.exclude(day=today):
        point = points[row.day]
        for name in ("orders", "gmv", "refunded", "refunds", "visits", "visitors", "units", "new_customers"):
            setattr(point, name, getattr(row, name))
        point.repeat_orders = row.repeat_orders
        by_mode[row.day] = row.by_mode
    live_products: dict[int, rollups.ProductFigures] = {}
    if period.start <= today <= period.end:
        figures, products = rollups.compute_day(today, seller=seller, platform=seller is None)
        live = figures.get((seller.pk if seller is not None else None, currency))
        if live is not None:
            point = points[today]
            for name in ("orders", "gmv", "refunded", "refunds", "visits", "visitors", "units", "new_customers"):
                setattr(point, name, getattr(live, name))
            point.repeat_orders = live.repeat_orders
            by_mode[today] = live.by_mode
        live_products = products.get((seller.pk if seller is not None else None, currency), {})

    totals, previous = Totals(currency), Totals(currency) if compare else None
    for day, point in points.items():
        target = totals if day >= period.start else previous
        target.add(point)
        for mode, (orders, gmv) in by_mode.get(day, {}).items():
            count, amount = target.by_mode.get(mode, (0, Decimal(0)))
            target.by_mode[mode] = (count + orders, amount + Decimal(gmv))
    return Report(
        seller=seller,
        period=period,
        currency=currency,
        series=[points[day] for day in period.each_day()],
        totals=totals,
        previous=previous,
        top_products=_top_products(seller, currency, period, today, live_products),
        blocks=block_registry.blocks_for(seller, rollups.bounds(period.start)[0], rollups.bounds(period.end)[1]),
        generated_at=now,
        previous_series=[points[day] for day in period.previous.each_day()] if compare else [],
    )


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _top_products(seller, currency: str, period: Period, today: date, live: dict) -> list[TopProduct]:
    rows = DailyProduct.objects.filter(currency=currency, day__gte=period.start, day__lte=period.end).exclude(day=today)
    rows = rows.filter(seller=seller) if seller is not None else rows.filter(seller__isnull=True)
    summed: dict[int, list] = defaultdict(lambda: ["", 0, Decimal(0)])
    for product_id, title, units, revenue in (
        rows.values_list("product_id", "title").annotate(Sum("units"), Sum("revenue")).order_by("-revenue__sum")[:50]
    ):
        item = summed[product_id]
        item[0] = item[0] or title
        item[1] += units
        item[2] += revenue
    for product_id, figures in live.items():
        item = summed[product_id]
        item[0] = item[0] or figures.title
        item[1] += figures.units
        item[2] += figures.revenue
    ranked = sorted(summed.items(), key=lambda kv: (-kv[1][2], -kv[1][1], kv[0]))[:TOP_PRODUCTS]
    return [
        TopProduct(pid, title, units, Money(revenue, currency).rounded()) for pid, (title, units, revenue) in ranked
    ]
