"""sponsored listens to search (its slot provider) and to orders (attribution of paid orders to clicks)."""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def search_slot(query, result, request) -> list:
    """The sponsored items of one search results page; each shown item counts one impression."""
    from tradeloop.core import clock
    from tradeloop.sponsored import selectors, services

    now = clock.now()
    slots = selectors.for_search(query.q, organic=len(result.hits), now=now)
    services.count_impressions([(s.campaign_id, s.keyword_id) for s in slots], now)
    return slots


def on_order_changed(sender, *, order, old, new, **kwargs) -> None:
    if new != "paid":
        return

    def go() -> None:
        from tradeloop.sponsored import services

        services.attribute(order)

    transaction.on_commit(go, robust=True)


def connect() -> None:
    from tradeloop.orders import signals
    from tradeloop.search import slots

    slots.register("sponsored", search_slot)
    signals.order_changed.connect(on_order_changed, dispatch_uid="sponsored.order_changed")
