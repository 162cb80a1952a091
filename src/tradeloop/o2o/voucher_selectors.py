"""Reads of a buyer's vouchers: by state, one voucher, its QR code. Fixed query counts."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.catalog.models import ProductImage
from tradeloop.core.errors import NotFound
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.o2o.models import Place, Voucher

State = Voucher.State
TABS = {
    "usable": (State.VALID, State.PENDING),
    "used": (State.REDEEMED,),
    "closed": (State.REFUNDED, State.EXPIRED),
}


def _base() -> QuerySet[Voucher]:
    return Voucher.objects.select_related("deal__product__seller", "order", "redeemed_place").prefetch_related(
        Prefetch("deal__places", Place.objects.filter(is_active=True).order_by("id")),
        Prefetch("deal__product__images", ProductImage.objects.order_by("position", "id")),
    )


def _mine(actor: User) -> QuerySet[Voucher]:
    if not getattr(actor, "is_authenticated", False):
        return Voucher.objects.none()
    return _base().filter(buyer=actor)


def my_vouchers(*, actor: User, tab: str = "usable", cursor: str | None = None, limit: int = 24) -> Page:
    states = TABS.get(tab, TABS["usable"])
    return keyset_page(_mine(actor).filter(state__in=states), order=("-created_at", "-id"), cursor=cursor, limit=limit)


def my_voucher(*, actor: User, voucher_id: int) -> Voucher:
    found = _mine(actor).filter(pk=voucher_id).first()
    if found is None:
        raise NotFound(gettext("voucher not found"), field="voucher")
    return found


def qr_svg(code: str, *, scale: int = 8) -> str:
    """The code as an inline SVG QR code (what the shop's camera scans)."""
    import segno  # only in a process that draws a voucher (11 MB)

    return segno.make(code, error="m").svg_inline(scale=scale, border=2, dark="#111", light="#fff")
