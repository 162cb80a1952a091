"""Which storefront pages are cached for anonymous visitors and what makes them old (the mechanism:
tradeloop.core.page_cache).

Cached (`@cached_page`): home, /products/, /c/<slug>/, /p/<id>/<slug>/ (products and c2c listings), /store/<slug>/,
and the deal and place pages at their clean addresses (/local/deals/<id>/<name>/, /local/places/<id>/<name>/: a
place's page lives until the place next opens or closes, `page_cache.valid_until`); not the service pages (their
free slots change with every booking and with the clock).

Old on the next request after any write to the tables of catalog (products, variants and their stock and sold
counts, images, categories), pricing, promotions, reviews (and reputations), storefront (store designs), trust
(verifications), feedback (suggestions), c2c (listings, ratings, standings) and o2o (deals, places, services,
bookings), and to accounts' organizations (stores); also when a promotion starts or ends, a deal's sale opens or
closes or a c2c rating becomes visible (deadlines). Not watched: per-person or bookkeeping rows no page shows
(warehouse stock rows — Variant.stock carries what pages show —, reservations, redemptions, votes, watches, alerts,
escrows, disputes, vouchers, search logs).

Another app adds its model with `page_cache.register(Model)` (or calls `page_cache.invalidate()`), and a per-request
part of a page with `page_cache.register_hole("name", fn)` + `{% load page_holes %}{% page_hole "name" arg %}`.

Per-person holes filled here: `cart_count` (the header badge); the CSRF token is filled by the mechanism.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.http import HttpRequest

from tradeloop.accounts.models import Organization
from tradeloop.analytics import visits
from tradeloop.c2c import models as c2c
from tradeloop.checkout import selectors as checkout
from tradeloop.core import page_cache
from tradeloop.core.page_cache import (  # noqa: F401
    cached_page,
    invalidate,
    register,
    register_hole,
    register_vary,
    remember,
)
from tradeloop.feedback import models as feedback
from tradeloop.o2o import models as o2o
from tradeloop.promotions.models import Promotion, Redemption
from tradeloop.reviews import models as reviews

__all__ = [
    "cached_page",
    "invalidate",
    "register",
    "register_hole",
    "register_vary",
    "remember",
    "setup",
]


def _cart_count(request: HttpRequest, arg: str) -> str:
    if not hasattr(request, "_cart_count"):  # the same memo as checkout.context_processors.cart
        request._cart_count = checkout.cart_count(checkout.owner_of(request))
    return str(request._cart_count)


def _next_change(now: datetime) -> datetime | None:
    """The next moment a page changes without a write: one query over the timed rows."""
    timed = (
        (Promotion.objects.filter(is_active=True), "starts_at"),
        (Promotion.objects.filter(is_active=True), "ends_at"),
        (o2o.Deal.objects.all(), "sale_starts_at"),
        (o2o.Deal.objects.all(), "sale_ends_at"),
        (c2c.Rating.objects.all(), "visible_from"),
    )
    first, *rest = [
        qs.filter(**{f"{field}__gt": now}).order_by().annotate(moment=F(field)).values_list("moment")
        for qs, field in timed
    ]
    row = first.union(*rest, all=True).order_by("moment").first()
    return row[0] if row else None


def setup() -> None:
    """Called once from StorefrontConfig.ready()."""
    for label in ("catalog", "pricing", "storefront", "trust"):
        page_cache.watch_app(label)
    page_cache.watch_app("promotions", except_models=(Redemption,))
    page_cache.watch_app("reviews", except_models=(reviews.HelpfulVote, reviews.ReviewReport))
    page_cache.watch_app("feedback", except_models=(feedback.DemandSearch, feedback.OrderFeedback))
    page_cache.watch_app(
        "c2c",
        except_models=(c2c.Escrow, c2c.Dispute, c2c.DisputeMessage, c2c.DisputePhoto, c2c.Watch, c2c.SavedSearch)
        + (c2c.Alert,),
    )
    page_cache.watch_app(
        "o2o", except_models=(o2o.Voucher, o2o.FailedRedemption, o2o.ConsumerRequest, o2o.RequestAnswer)
    )
    register(Organization)
    register_hole("cart_count", _cart_count)
    page_cache.register_replay("visit", visits.record_visit)
    page_cache.register_deadline(_next_change)
    page_cache.install()
