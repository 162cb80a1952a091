"""Product reviews: the delivered order line is the record, the product the target (registered in ReviewsConfig.ready();
orders and catalog sit below reviews, so this lives here rather than in a mode).

order_line  a line of the buyer's own B2C or B2B order once the order is delivered (or completed after delivery): one
            review per line, about the line's product, written by the order's buyer
product     the target, without sub-scores; catalog.Product.rating_avg / rating_count follow its published reviews
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.catalog.models import Product
from tradeloop.orders.models import Order, OrderLine
from tradeloop.reviews import records
from tradeloop.reviews.models import Review

KIND = "order_line"
TARGET = "product"
MODES = (Order.Mode.B2C, Order.Mode.B2B)
DELIVERED = (Order.State.DELIVERED, Order.State.COMPLETED)


def reviewable_lines():
    """Every order line that lets its buyer review its product: a B2C or B2B order delivered."""
    return OrderLine.objects.filter(
        order__mode__in=MODES, order__state__in=DELIVERED, order__delivered_at__isnull=False
    ).select_related("order", "variant")


def _line_record(line: OrderLine) -> records.Record:
    order = line.order
    title = " · ".join(filter(None, (line.product_title, line.variant_name)))
    day = formats.date_format(timezone.localtime(order.delivered_at), "MONTH_DAY_FORMAT")
    return records.Record(
        kind=KIND,
        id=line.pk,
        author_id=order.buyer_id,
        seller_id=order.seller_id,
        target_kind=TARGET,
        target_id=line.variant.product_id,
        visited_at=order.delivered_at,
        label=gettext("%(title)s · order %(number)s, delivered %(day)s")
        % {"title": title, "number": order.number, "day": day},
    )


def resolve_line(record_id: int, user) -> records.Record | None:
    line = reviewable_lines().filter(pk=record_id, order__buyer=user).first()
    return _line_record(line) if line else None


def waiting_lines(user, limit: int) -> list[records.Record]:
    reviewed = Review.objects.filter(record_kind=KIND).values("record_id")
    found = (
        reviewable_lines()
        .filter(order__buyer=user)
        .exclude(pk__in=reviewed)
        .order_by("-order__delivered_at", "-id")[:limit]
    )
    return [_line_record(line) for line in found]


@dataclass(frozen=True)
class LineReview:
    """An order line the buyer may review (`review` None: "Write a review") or has reviewed."""

    line: OrderLine
    reviewable: bool
    review: Review | None = None


def order_lines(order: Order, user) -> list[LineReview]:
    """The lines of the user's order with what each offers: write, see one's review, or nothing yet (two queries)."""
    lines = list(order.lines.select_related("variant").order_by("id"))
    written = {
        r.record_id: r
        for r in Review.objects.filter(record_kind=KIND, record_id__in=[ln.pk for ln in lines], author=user)
    }
    open_ = order.buyer_id == user.pk and order.mode in MODES and order.state in DELIVERED and order.delivered_at
    return [LineReview(ln, bool(open_), written.get(ln.pk)) for ln in lines]


def _product_url(product: Product) -> str:
    try:
        return reverse("storefront:product", args=[product.pk, product.slug])
    except NoReverseMatch:
        return ""


def describe_products(product_ids: list[int]) -> dict[int, records.Target]:
    products = Product.objects.published().filter(pk__in=product_ids).only("title", "title_zh", "slug")
    return {p.pk: records.Target(title=p.display_title, url=_product_url(p)) for p in products}


def product_rating_changed(product_id: int, summary: records.Summary) -> None:
    Product.objects.filter(pk=product_id).update(rating_avg=summary.average, rating_count=summary.count)


def register() -> None:
    records.register_record_kind(KIND, resolve=resolve_line, waiting=waiting_lines, mark=_("Verified purchase"))
    records.register_target_kind(TARGET, scores=(), describe=describe_products, on_change=product_rating_changed)
