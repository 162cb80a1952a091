"""C2C's figures for the sellers' reputation pages (reviews.reputation), registered from C2cConfig.ready(): the
buyers' visible ratings of the seller (its standing) and the disputes opened on its orders."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from tradeloop.c2c.models import Dispute, SellerStanding
from tradeloop.reviews.reputation import ModeFigures, register_source


def figures(seller_id: int, since: datetime) -> ModeFigures | None:
    standing = SellerStanding.objects.filter(seller_id=seller_id).only("rating_avg", "rating_count").first()
    disputes = Dispute.objects.filter(escrow__order__seller_id=seller_id, opened_at__gte=since).count()
    if standing is None and not disputes:
        return None
    return ModeFigures(
        rating_avg=standing.rating_avg if standing else 0,
        rating_count=standing.rating_count if standing else 0,
        disputes=disputes,
    )


def register() -> None:
    register_source("c2c", label=_("Second-hand sales"), figures=figures)
