"""A buyer's vouchers in the API: the list (by tab), one voucher with its code and QR code (SVG), a refund."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.core.api_schemas import Amount, Id, MoneyOut, PageOut, PageQuery, errors
from tradeloop.o2o import voucher_selectors as selectors
from tradeloop.o2o import vouchers
from tradeloop.o2o.models import Voucher

router = Router(tags=["O2O"], auth=SIGNED_IN)
READ_ERRORS = errors(400, 401, 404, 422)
WRITE_ERRORS = errors(400, 401, 404, 409, 422)
VoucherStates = Literal["pending", "valid", "redeemed", "refunded", "expired"]


class VoucherQuery(PageQuery):
    tab: Literal["usable", "used", "closed"] = Field(
        "usable", description="usable (valid or pending), used (redeemed), closed (refunded or expired)"
    )


class VoucherPlaceOut(Schema):
    id: int
    name: str
    address: str


class VoucherOut(MoneyOut):
    id: int
    deal_id: int
    order_number: str
    title: str = Field(..., description="The deal's title in the request's language")
    state: VoucherStates
    code: str = Field(..., description="20 characters of base32 (96 random bits); show it in groups of four")
    code_grouped: str
    qr_svg: str = Field(..., description="The code as an inline SVG QR code")
    price: Amount
    valid_until: datetime
    usage_rules: str
    places: list[VoucherPlaceOut] = Field(..., description="Where it can be used")
    redeemed_at: datetime | None
    redeemed_place: VoucherPlaceOut | None
    refundable: bool = Field(..., description="`POST vouchers/{id}/refund` would be accepted")
    url: str


def _place(place) -> dict:
    return {"id": place.pk, "name": place.display_name, "address": place.localized("address")}


def voucher_out(request: HttpRequest, voucher: Voucher) -> dict:
    deal = voucher.deal
    return {
        "id": voucher.pk,
        "deal_id": deal.pk,
        "order_number": voucher.order.number,
        "title": deal.product.display_title,
        "state": voucher.state,
        "code": voucher.code,
        "code_grouped": vouchers.grouped(voucher.code),
        "qr_svg": selectors.qr_svg(voucher.code),
        "currency": voucher.currency,
        "price": voucher.price,
        "valid_until": voucher.valid_until,
        "usage_rules": deal.localized("usage_rules"),
        "places": [_place(place) for place in deal.places.all()],
        "redeemed_at": voucher.redeemed_at,
        "redeemed_place": _place(voucher.redeemed_place) if voucher.redeemed_place else None,
        "refundable": vouchers.refundable(voucher),
        "url": request.build_absolute_uri(reverse("o2o:voucher", args=[voucher.pk])),
    }


@router.get("vouchers", response={200: PageOut[VoucherOut], **READ_ERRORS}, summary="Your vouchers, newest first")
def my_vouchers(request: HttpRequest, query: Query[VoucherQuery]):
    page = selectors.my_vouchers(actor=request.auth, tab=query.tab, cursor=query.cursor, limit=query.limit)
    return {"items": [voucher_out(request, v) for v in page.items], "next_cursor": page.next_cursor}


@router.get("vouchers/{voucher_id}", response={200: VoucherOut, **READ_ERRORS}, summary="One of your vouchers")
def my_voucher(request: HttpRequest, voucher_id: Id):
    return voucher_out(request, selectors.my_voucher(actor=request.auth, voucher_id=voucher_id))


@router.post(
    "vouchers/{voucher_id}/refund",
    response={200: VoucherOut, **WRITE_ERRORS},
    summary="Refund an unused voucher: exactly its price comes back (when its deal allows it)",
    description="409 `voucher_not_refundable` (used, refunded, expired, or the deal does not allow it).",
)
def refund_voucher(request: HttpRequest, voucher_id: Id):
    vouchers.refund(actor=request.auth, voucher_id=voucher_id)
    return voucher_out(request, selectors.my_voucher(actor=request.auth, voucher_id=voucher_id))
