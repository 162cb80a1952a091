"""The B2B block of the analytics dashboard: the inquiry funnel of the period (received → quoted → won), as in
b2b.funnel (an inquiry counts in the period it arrived), registered into analytics.blocks from B2bConfig.ready()."""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from tradeloop.analytics.blocks import Block, Figure, Step, register_block
from tradeloop.b2b.funnel import LOST, State, _percent
from tradeloop.b2b.models import Rfq, RfqQuote
from tradeloop.b2b.rfq_selectors import supplier_scope
from tradeloop.catalog.models import Category

PREFIXES_SECONDS = 600


def _prefixes(seller) -> set[str]:
    """The category paths at and above the seller's published goods (as rfq_selectors.category_prefixes), read from
    the distinct categories (not every product) and kept 10 minutes, so the dashboard does not grow with the catalog."""
    key = f"analytics:b2b-prefixes:{seller.pk}"
    found = cache.get(key)
    if found is None:
        paths = (
            Category.objects.filter(products__seller=seller, products__status="published")
            .values_list("path", flat=True)
            .order_by()
            .distinct()
        )
        found = set()
        for path in paths:
            parts = path.strip("/").split("/")
            found.update("/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
        cache.set(key, found, PREFIXES_SECONDS)
    return found


def figures(seller, start: datetime, end: datetime) -> Block:
    """Two queries (three when the seller's categories are not cached)."""
    rfqs = Rfq.objects.filter(created_at__gte=start, created_at__lt=end)
    quotes = RfqQuote.objects.filter(rfq__created_at__gte=start, rfq__created_at__lt=end)
    if seller is not None:
        rfqs = rfqs.filter(supplier_scope(seller, _prefixes(seller))).exclude(buyer_org=seller)
        quotes = quotes.filter(supplier=seller)
    received = rfqs.values("pk").distinct().count()
    decided = quotes.aggregate(
        quoted=Count("pk"),
        won=Count("pk", filter=Q(negotiation__state=State.ACCEPTED)),
        lost=Count("pk", filter=Q(negotiation__state__in=LOST)),
        expired=Count("pk", filter=Q(negotiation__state=State.EXPIRED)),
    )
    settled = decided["won"] + decided["lost"] + decided["expired"]
    return Block(
        key="b2b",
        title=_("Inquiries (B2B)"),
        funnel=[
            Step("received", _("Inquiries received"), received),
            Step("quoted", _("Quoted"), decided["quoted"]),
            Step("won", _("Won"), decided["won"]),
        ],
        figures=[
            Figure("conversion", _("Won out of received"), _percent(decided["won"], received), "percent"),
            Figure("win_rate", _("Won out of decided"), _percent(decided["won"], settled), "percent"),
            Figure("lost", _("Lost or expired"), decided["lost"] + decided["expired"]),
        ],
    )


def register() -> None:
    register_block("b2b", title=_("Inquiries (B2B)"), kinds=("merchant", "supplier"), compute=figures)
