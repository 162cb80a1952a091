"""Demo: a month of page visits for every seller's published goods and store page, then the analytics rollups, so
each demo seller's Analytics page has figures and drawn charts from the first start."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tradeloop.accounts.models import Organization
from tradeloop.analytics import rollups
from tradeloop.analytics.models import VisitCount
from tradeloop.catalog.models import Product
from tradeloop.core import clock

DAYS = 30


def load(sellers: list[Organization]) -> None:
    """Visits per day with a weekly rhythm (weekends busier), the same every time; existing rows are kept."""
    today = timezone.localdate(clock.now())
    rows = []
    for seller in sellers:
        products = list(
            Product.objects.filter(seller=seller, status="published").order_by("pk").values_list("pk", flat=True)[:8]
        )
        for back in range(1, DAYS + 1):
            day = today - timedelta(days=back)
            weekend = day.weekday() >= 5
            base = 18 + (seller.pk * 7 + back * 5) % 23 + (12 if weekend else 0)
            rows.append(
                VisitCount(
                    day=day, kind="store", object_id=seller.pk, seller=seller, views=base, visitors=base * 2 // 3
                )
            )
            for rank, product_id in enumerate(products):
                views = max(base // (rank + 1) + (product_id + back) % 9, 1)
                rows.append(
                    VisitCount(
                        day=day,
                        kind="product",
                        object_id=product_id,
                        seller=seller,
                        views=views,
                        visitors=max(views * 3 // 5, 1),
                    )
                )
    VisitCount.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    rollups.sweep_rollups(clock.now())
