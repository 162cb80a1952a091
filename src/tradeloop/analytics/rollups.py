"""The daily sales rollups: one row per seller, day and currency (and the platform's, without a seller), so the
dashboard reads O(days) rows however many orders there are.

`compute_day(day)` derives a local day's figures from the orders placed that day (counted once paid, or confirmed
on payment terms), the refunds made that day and the flushed visits; `refresh_day` replaces that day's rows with
them (running it twice gives the same rows); `sweep_rollups(now)`, run by the beat, refreshes the last
REFRESH_DAYS days up to yesterday (an order placed late and paid the next day, a refund days later), and on its
first run every day back to the first order or visit (at most MAX_BACKFILL_DAYS). Today is computed live by the dashboard.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone

from tradeloop.accounts.models import Organization
from tradeloop.analytics.models import DailyProduct, DailySales, VisitCount
from tradeloop.core import clock
from tradeloop.orders.models import Order, OrderLine
from tradeloop.payments.models import Refund

REFRESH_DAYS = 7
MAX_BACKFILL_DAYS = 400
TOP_PER_DAY = 20
# every state an order can be in once paid or confirmed (an index prefix with the seller: see Order.order_desk)
# (cancelled after payment counts too: it was sold that day, and its refund counts on the refund's day)
UNCOUNTED = (Order.State.AWAITING_APPROVAL, Order.State.PENDING_PAYMENT)
COUNTED_STATES = [state for state in Order.State.values if state not in UNCOUNTED]
COUNTED = Q(paid_at__isnull=False) | Q(confirmed_at__isnull=False)


@dataclass
class DayFigures:
    orders: int = 0
    gmv: Decimal = Decimal(0)
    units: int = 0
    new_customers: int = 0
    repeat_orders: int = 0
    refunds: int = 0
    refunded: Decimal = Decimal(0)
    visits: int = 0
    visitors: int = 0
    by_mode: dict = field(default_factory=dict)

    def add_order(self, *, mode: str, total: Decimal, returning: bool) -> None:
        self.orders += 1
        self.gmv += total
        if returning:
            self.repeat_orders += 1
        else:
            self.new_customers += 1
        orders, gmv = self.by_mode.get(mode, [0, "0"])
        self.by_mode[mode] = [orders + 1, str(Decimal(gmv) + total)]


@dataclass
class ProductFigures:
    title: str
    units: int = 0
    revenue: Decimal = Decimal(0)


def bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def compute_day(day: date, *, seller: Organization | None = None, platform: bool = True):
    """The day's figures: ({(seller_id | None, currency): DayFigures}, {(seller_id | None, currency): {product_id:
    ProductFigures}}). `seller`: only that seller's (through the (seller, state, placed_at) index); `platform`:
    also the everyone-together figures under seller None. Five queries."""
    start, end = bounds(day)
    orders = Order.objects.filter(COUNTED, placed_at__gte=start, placed_at__lt=end)
    if seller is not None:
        orders = orders.filter(seller=seller, state__in=COUNTED_STATES)
    before = Order.objects.filter(
        COUNTED, seller=OuterRef("seller"), buyer=OuterRef("buyer"), placed_at__lt=OuterRef("placed_at")
    )
    rows = orders.annotate(returning=Exists(before)).values_list(
        "pk", "seller_id", "currency", "mode", "total", "returning"
    )
    figures: dict[tuple[int | None, str], DayFigures] = defaultdict(DayFigures)
    order_ids = []
    for pk, seller_id, currency, mode, total, returning in rows:
        order_ids.append(pk)
        scopes = [(seller_id, currency)] + ([(None, currency)] if platform else [])
        for scope in scopes:
            figures[scope].add_order(mode=mode, total=total, returning=returning)

    products: dict[tuple[int | None, str], dict[int, ProductFigures]] = defaultdict(dict)
    if order_ids:
        lines = (
            OrderLine.objects.filter(order__in=orders)
            .values_list("order__seller_id", "order__currency", "variant__product_id")
            .annotate(units=Sum("quantity"), revenue=Sum("line_total"))
            .order_by()
        )
        titles = dict(
            OrderLine.objects.filter(order__in=orders).values_list("variant__product_id", "product_title").order_by()
        )
        for seller_id, currency, product_id, units, revenue in lines:
            scopes = [(seller_id, currency)] + ([(None, currency)] if platform else [])
            for scope in scopes:
                figures[scope].units += units
                item = products[scope].setdefault(product_id, ProductFigures(titles.get(product_id, "")))
                item.units += units
                item.revenue += revenue

    refunds = Refund.objects.filter(state=Refund.State.SUCCEEDED, created_at__gte=start, created_at__lt=end)
    refunded = [(ref, amount, currency) for ref, amount, currency in refunds.values_list("ref", "amount", "currency")]
    refunded_orders = {_order_of(ref) for ref, _, _ in refunded} - {None}
    sellers_of = dict(Order.objects.filter(pk__in=refunded_orders).values_list("pk", "seller_id")) if refunded else {}
    for ref, amount, currency in refunded:
        seller_id = sellers_of.get(_order_of(ref))
        if seller_id is None or (seller is not None and seller_id != seller.pk):
            continue
        for scope in [(seller_id, currency)] + ([(None, currency)] if platform else []):
            figures[scope].refunds += 1
            figures[scope].refunded += amount

    visits = VisitCount.objects.filter(day=day, seller__isnull=False)
    if seller is not None:
        visits = visits.filter(seller=seller)
    counted = list(
        visits.values_list("seller_id", "seller__currency").annotate(Sum("views"), Sum("visitors")).order_by()
    )
    site_currency = settings.TRADELOOP_DEFAULT_CURRENCY
    for seller_id, currency, views, visitors in counted:
        for scope in [(seller_id, currency)] + ([(None, site_currency)] if platform else []):
            figures[scope].visits += views
            figures[scope].visitors += visitors
    return dict(figures), dict(products)


def _order_of(ref: str) -> int | None:
    """The order of a refund: orders.services.refund names it order:<id>:<cause>."""
    parts = ref.split(":")
    return int(parts[1]) if len(parts) > 2 and parts[0] == "order" and parts[1].isdigit() else None


def top(products: dict[int, ProductFigures], limit: int = TOP_PER_DAY) -> list[tuple[int, ProductFigures]]:
    return sorted(products.items(), key=lambda item: (-item[1].revenue, -item[1].units, item[0]))[:limit]


@transaction.atomic
def refresh_day(day: date, *, now: datetime | None = None) -> int:
    """Replace the day's rollup rows with freshly computed ones (idempotent); the number of sales rows."""
    now = now or clock.now()
    figures, products = compute_day(day)
    figures.setdefault((None, settings.TRADELOOP_DEFAULT_CURRENCY), DayFigures())  # marks the day as rolled up
    DailySales.objects.filter(day=day).delete()
    DailyProduct.objects.filter(day=day).delete()
    DailySales.objects.bulk_create(
        [
            DailySales(
                day=day,
                seller_id=seller_id,
                currency=currency,
                orders=f.orders,
                gmv=f.gmv,
                units=f.units,
                new_customers=f.new_customers,
                repeat_orders=f.repeat_orders,
                refunds=f.refunds,
                refunded=f.refunded,
                visits=f.visits,
                visitors=f.visitors,
                by_mode=f.by_mode,
                computed_at=now,
            )
            for (seller_id, currency), f in figures.items()
        ],
        batch_size=500,
    )
    DailyProduct.objects.bulk_create(
        [
            DailyProduct(
                day=day,
                seller_id=seller_id,
                currency=currency,
                product_id=product_id,
                title=item.title[:200],
                units=item.units,
                revenue=item.revenue,
            )
            for (seller_id, currency), items in products.items()
            for product_id, item in top(items)
        ],
        batch_size=500,
    )
    return len(figures)


def sweep_rollups(now: datetime) -> int:
    """Refresh the recent days (and, the first time, the history) up to yesterday; the number of days refreshed."""
    yesterday = timezone.localdate(now) - timedelta(days=1)
    first_order = Order.objects.order_by("placed_at").values_list("placed_at", flat=True).first()
    first_visit = VisitCount.objects.order_by("day").values_list("day", flat=True).first()
    firsts = [d for d in (first_order and timezone.localdate(first_order), first_visit) if d is not None]
    if not firsts:
        return 0
    start = max(min(firsts), yesterday - timedelta(days=MAX_BACKFILL_DAYS))
    latest = DailySales.objects.order_by("-day").values_list("day", flat=True).first()
    if latest is not None:
        start = max(start, min(latest + timedelta(days=1), yesterday) - timedelta(days=REFRESH_DAYS - 1))
    day, done = start, 0
    while day <= yesterday:
        refresh_day(day, now=now)
        day += timedelta(days=1)
        done += 1
    return done
