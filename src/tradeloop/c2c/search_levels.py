"""A private seller's level in the one search box: c2c tells search (below it) each seller's standing, shown as a
facet and folded into ranking (search.ranking.trust_factor lifts top sellers, lowers below-standard ones)."""

from __future__ import annotations

from django.db.models.signals import post_save

from tradeloop.c2c.models import SellerStanding
from tradeloop.catalog.models import Product
from tradeloop.search import sources


def levels(seller_ids: list[int]) -> dict[int, sources.Standing]:
    rows = SellerStanding.objects.filter(seller_id__in=seller_ids).values_list("seller_id", "level")
    return {seller_id: sources.Standing(level=level) for seller_id, level in rows}


def _standing_saved(sender, instance: SellerStanding, created: bool, **kwargs) -> None:
    """A seller's level moved: its products' documents carry the new level (once the transaction commits)."""
    ids = Product.objects.filter(seller_id=instance.seller_id).values_list("pk", flat=True)
    sources.changed("product", list(ids))


def register() -> None:
    sources.register_standing(levels)
    post_save.connect(_standing_saved, sender=SellerStanding, dispatch_uid="search-standing-saved")
