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


def slot_api(request, slot) -> dict:
    """A sponsored item as search's API shows it (`SlotItemOut`)."""
    from decimal import Decimal

    from django.urls import reverse
    from django.utils.translation import gettext

    from tradeloop.core.api_schemas import media_url

    doc = slot.doc
    return {
        "label": gettext("Sponsored"),
        "kind": doc.kind,
        "id": doc.object_id,
        "title": slot.title,
        "url": request.build_absolute_uri(doc.url) if doc.url else "",
        "click_url": request.build_absolute_uri(reverse("sponsored:click", args=[slot.token])),
        "cover": media_url(request, doc.cover),
        "price": Decimal(doc.price).quantize(Decimal("0.01")) if doc.price is not None else None,
        "currency": doc.currency,
        "rating": Decimal(doc.rating).quantize(Decimal("0.01")),
        "rating_count": doc.rating_count,
        "seller_id": doc.seller_id,
        "seller_name": doc.seller_name,
    }


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

    slots.register("sponsored", search_slot, template="sponsored/_slot.html", api=slot_api)
    _forget_promoted_categories_on_change()
    signals.order_changed.connect(on_order_changed, dispatch_uid="sponsored.order_changed")


def _forget_promoted_categories_on_change() -> None:
    from django.core.cache import cache
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from tradeloop.sponsored.models import Campaign
    from tradeloop.sponsored.selectors import CATEGORY_PATHS_KEY

    def forget(**_kwargs) -> None:
        transaction.on_commit(lambda: cache.delete(CATEGORY_PATHS_KEY))
        cache.delete(CATEGORY_PATHS_KEY)

    for signal in (post_save, post_delete):
        signal.connect(forget, sender=Campaign, weak=False, dispatch_uid=f"sponsored.categories.{signal}")
    m2m_changed.connect(forget, sender=Campaign.categories.through, weak=False, dispatch_uid="sponsored.categories.m2m")
