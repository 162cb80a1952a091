"""b2b's source of unmet demand for the value ring (feedback.demand): RFQs open to a category that no supplier
quoted, still open or closed by their deadline. Direct RFQs to one supplier stay private and are not counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from tradeloop.b2b.models import Rfq
from tradeloop.core import clock
from tradeloop.feedback.demand import Unmet


def unquoted_rfqs(*, since: datetime, until: datetime, category_ids: set[int] | None) -> Iterator[Unmet]:
    qs = Rfq.objects.filter(
        supplier__isnull=True,
        quote_count=0,
        state__in=(Rfq.State.OPEN, Rfq.State.CLOSED),
        created_at__gte=since,
        created_at__lt=until,
    ).exclude(state=Rfq.State.CLOSED, deadline__gt=clock.now())  # closed by the buyer early is not "unquoted"
    if category_ids is not None:
        qs = qs.filter(category_id__in=category_ids)
    now = clock.now()
    for rfq in qs.select_related("buyer_org").only(
        "id", "title", "category_id", "created_at", "state", "deadline", "buyer_org__city"
    ):
        still_open = rfq.state == Rfq.State.OPEN and rfq.deadline > now
        yield Unmet(
            term=rfq.title,
            region=rfq.buyer_org.city,
            category_id=rfq.category_id,
            seen_at=rfq.created_at,
            url_name="b2b:console_rfq" if still_open else "",
            ref_id=rfq.pk,
        )


def register() -> None:
    from tradeloop.feedback import demand

    demand.register_source("b2b.rfq", unquoted_rfqs)
