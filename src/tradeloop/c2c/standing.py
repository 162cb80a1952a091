"""Seller levels: a private seller's standing, recomputed from its record.

    completed sales     its C2C orders that completed (escrow released or split)
    rating              the average stars of the *visible* ratings buyers gave it (double-blind ones wait)
    dispute rate        its paid C2C orders on which the buyer opened a dispute / its paid C2C orders
    late-shipment rate  its paid C2C orders shipped after `ship_by`, or cancelled unshipped after it / paid orders

The level, first rule that matches:

    NEW     fewer than NEW_BELOW_SALES (3) completed sales
    BELOW   dispute rate > BELOW_DISPUTE_RATE (10 %), or late > BELOW_LATE_RATE (20 %), or rating below
            BELOW_RATING (3.5) over at least BELOW_MIN_RATINGS (3) ratings
    TOP     at least TOP_SALES (20) sales, rating ≥ TOP_RATING (4.8), disputes ≤ TOP_DISPUTE_RATE (2 %) and
            late ≤ TOP_LATE_RATE (5 %)
    GOOD    everything else

`refresh(seller)` runs when one of the seller's escrow orders ships, completes or is cancelled (orders'
order_changed), when a rating is written (c2c.ratings), and nightly for everyone (`refresh_all_standings`: blind
ratings become visible with time alone). Idempotent: running it twice changes nothing but `refreshed_at`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q

from tradeloop.accounts.models import Organization
from tradeloop.c2c.models import Dispute, Rating, SellerStanding
from tradeloop.core import clock
from tradeloop.orders import signals as order_signals
from tradeloop.orders.models import Order

Level = SellerStanding.Level

NEW_BELOW_SALES = 3  # fewer completed sales than this: a new seller
BELOW_DISPUTE_RATE = Decimal("0.10")  # more disputes than this share of paid orders: below standard
BELOW_LATE_RATE = Decimal("0.20")  # more late shipments than this share of paid orders: below standard
BELOW_RATING = Decimal("3.5")  # an average under this …
BELOW_MIN_RATINGS = 3  # … over at least this many ratings: below standard
TOP_SALES = 20  # a top seller has completed at least this many sales,
TOP_RATING = Decimal("4.8")  # is rated at least this on average,
TOP_DISPUTE_RATE = Decimal("0.02")  # has disputes on at most this share of paid orders
TOP_LATE_RATE = Decimal("0.05")  # and ships late at most this share

RATE = Decimal("0.0001")
STARS = Decimal("0.01")


def level_for(*, sales: int, rating: Decimal, ratings: int, dispute_rate: Decimal, late_rate: Decimal) -> str:
    """The level for these figures (the rules in the module docstring)."""
    if sales < NEW_BELOW_SALES:
        return Level.NEW
    if (
        dispute_rate > BELOW_DISPUTE_RATE
        or late_rate > BELOW_LATE_RATE
        or (ratings >= BELOW_MIN_RATINGS and rating < BELOW_RATING)
    ):
        return Level.BELOW
    if sales >= TOP_SALES and rating >= TOP_RATING and dispute_rate <= TOP_DISPUTE_RATE and late_rate <= TOP_LATE_RATE:
        return Level.TOP
    return Level.GOOD


def _share(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) / Decimal(whole)).quantize(RATE, rounding=ROUND_HALF_UP)


def refresh(seller: Organization | int) -> SellerStanding:
    """Recompute the seller's standing from its record (5 queries)."""
    seller_id = seller if isinstance(seller, int) else seller.pk
    now = clock.now()
    orders = Order.objects.filter(seller_id=seller_id, mode=Order.Mode.C2C, held_in_escrow=True)
    figures = orders.aggregate(
        sales=Count("id", filter=Q(state=Order.State.COMPLETED)),
        paid=Count("id", filter=Q(paid_at__isnull=False)),
        late=Count(
            "id",
            filter=Q(paid_at__isnull=False, ship_by__isnull=False)
            & (
                Q(shipped_at__gt=F("ship_by"))
                | Q(state=Order.State.CANCELLED, shipped_at__isnull=True, cancelled_at__gte=F("ship_by"))
            ),
        ),
    )
    disputed = (
        Dispute.objects.filter(escrow__order__seller_id=seller_id, escrow__order__mode=Order.Mode.C2C)
        .values("escrow_id")
        .distinct()
        .count()
    )
    stars = Rating.objects.filter(ratee_org_id=seller_id, side=Rating.Side.BUYER, visible_from__lte=now).aggregate(
        avg=Avg("stars"), n=Count("id")
    )
    rating = Decimal(str(stars["avg"] or 0)).quantize(STARS, rounding=ROUND_HALF_UP)
    dispute_rate = min(_share(disputed, figures["paid"]), Decimal(1))
    late_rate = min(_share(figures["late"], figures["paid"]), Decimal(1))
    values = {
        "completed_sales": figures["sales"],
        "rating_avg": rating,
        "rating_count": stars["n"],
        "dispute_rate": dispute_rate,
        "late_shipment_rate": late_rate,
        "level": level_for(
            sales=figures["sales"], rating=rating, ratings=stars["n"], dispute_rate=dispute_rate, late_rate=late_rate
        ),
        "refreshed_at": now,
    }
    rows = SellerStanding.objects.filter(seller_id=seller_id)
    if not rows.update(**values):
        try:
            with transaction.atomic():
                return SellerStanding.objects.create(seller_id=seller_id, **values)
        except IntegrityError:  # refreshed at the same moment elsewhere: ours is as good
            rows.update(**values)
    return rows.get()


def refresh_all_standings() -> int:
    """Every private seller with a C2C order or a standing already: recomputed. The nightly sweep."""
    with_orders = Order.objects.filter(mode=Order.Mode.C2C, held_in_escrow=True).values_list("seller_id", flat=True)
    with_standing = SellerStanding.objects.values_list("seller_id", flat=True)
    ids = sorted(set(with_orders.distinct()) | set(with_standing))
    for seller_id in ids:
        refresh(seller_id)
    return len(ids)


def standing_of(seller: Organization | int) -> SellerStanding | None:
    seller_id = seller if isinstance(seller, int) else seller.pk
    return SellerStanding.objects.filter(seller_id=seller_id).first()


REFRESH_ON = (Order.State.SHIPPED, Order.State.COMPLETED, Order.State.CANCELLED)


def on_order_changed(sender, *, order: Order, old: str, new: str, **kwargs) -> None:
    if order.held_in_escrow and new in REFRESH_ON:
        refresh(order.seller_id)


def register() -> None:
    """Called from C2cConfig.ready()."""
    order_signals.order_changed.connect(on_order_changed, dispatch_uid="c2c.standing")
