"""Reads of redemptions: the places a staff member may redeem at, and the redemption log per place."""

from __future__ import annotations

from django.db.models import QuerySet

from tradeloop.accounts.models import User
from tradeloop.accounts.selectors import require
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.o2o.models import Place, Voucher
from tradeloop.o2o.redemption import CAPABILITY


def redeeming_places(*, actor: User, organization_id: int) -> list[Place]:
    require(actor, organization_id, CAPABILITY)
    return list(Place.objects.filter(seller_id=organization_id, is_active=True).order_by("id"))


def _log(organization_id: int) -> QuerySet[Voucher]:
    return Voucher.objects.filter(
        state=Voucher.State.REDEEMED, redeemed_place__seller_id=organization_id
    ).select_related("deal__product", "buyer", "redeemed_place", "redeemed_by")


def redemptions(
    *, actor: User, organization_id: int, place_id: int | None = None, cursor: str | None = None, limit: int = 50
) -> Page:
    """Vouchers redeemed at the organization's places (orders.fulfil), latest first; one query a page."""
    require(actor, organization_id, CAPABILITY)
    qs = _log(organization_id)
    if place_id:
        qs = qs.filter(redeemed_place_id=place_id)
    return keyset_page(qs, order=("-redeemed_at", "-id"), cursor=cursor, limit=limit)
