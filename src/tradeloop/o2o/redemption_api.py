"""Redemption in the API, for a local business's staff (orders.fulfil): preview a code (`confirm: false`), redeem
it (`confirm: true`, also `seller/vouchers/redeem`), undo a redemption within the hour, the redemption log."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.core.api_schemas import Amount, Id, InputSchema, MoneyOut, PageOut, PageQuery, Text, errors
from tradeloop.o2o import redemption
from tradeloop.o2o import redemption_selectors as selectors
from tradeloop.o2o.models import Voucher

seller_router = Router(tags=["O2O"], auth=SIGNED_IN)
READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422, 429)


class RedemptionIn(InputSchema):
    place_id: Id = Field(..., description="The place where the customer is (one of your places)")
    code: Text = Field(..., min_length=1, max_length=64, description="As typed or scanned; spaces and dashes ignored")
    confirm: bool = Field(True, description="false: only preview what the voucher is for")


class RedeemIn(InputSchema):
    place_id: Id
    code: Text = Field(..., min_length=1, max_length=64)


class RedemptionOut(MoneyOut):
    voucher_id: int
    deal_id: int
    title: str
    buyer_first_name: str
    state: str = Field(..., description="The voucher's state: redeemed once confirmed")
    price: Amount
    valid_until: datetime
    valid_here: bool
    redeemable: bool = Field(..., description="Confirming would redeem it")
    problem: str = Field(..., description="Why it cannot be redeemed (empty when it can)")
    problem_code: str = Field(..., description="voucher_used, voucher_not_redeemable, not_valid_here, or empty")
    redeemed_at: datetime | None
    place_id: int | None = Field(..., description="Where it is checked or redeemed (null after an undo)")
    undo_until: datetime | None = Field(..., description="Until then `…/undo` takes the redemption back")


class RedemptionQuery(PageQuery):
    organization: Id = Field(..., description="Your local business")
    place: Id | None = Field(None, description="Only redemptions at this place")


def _out(
    voucher: Voucher, *, place_id: int | None, valid_here: bool, problem: str = "", problem_code: str = ""
) -> dict:
    return {
        "voucher_id": voucher.pk,
        "deal_id": voucher.deal_id,
        "title": voucher.deal.product.display_title,
        "buyer_first_name": redemption.first_name(voucher.buyer),
        "state": voucher.state,
        "currency": voucher.currency,
        "price": voucher.price,
        "valid_until": voucher.valid_until,
        "valid_here": valid_here,
        "redeemable": not problem and voucher.state == Voucher.State.VALID,
        "problem": problem,
        "problem_code": problem_code,
        "redeemed_at": voucher.redeemed_at,
        "place_id": place_id,
        "undo_until": voucher.redeemed_at + redemption.undo_window() if redemption.undoable(voucher) else None,
    }


def _redeemed(request: HttpRequest, place_id: int, code: str) -> dict:
    voucher = redemption.redeem(actor=request.auth, place_id=place_id, code=code)
    voucher = Voucher.objects.select_related("deal__product", "buyer").get(pk=voucher.pk)
    return _out(voucher, place_id=place_id, valid_here=True)


REDEEM_DESCRIPTION = (
    "404 `not_found` for a code that is not one of your vouchers (another business's code alike); 409 "
    "`voucher_used`, `voucher_not_redeemable` (waiting for the tipping point, refunded, expired), `not_valid_here`; "
    "429 `too_many_wrong_codes` after 10 wrong codes by you at this place within 15 minutes."
)


@seller_router.post(
    "redemptions",
    response={200: RedemptionOut, 201: RedemptionOut, **WRITE_ERRORS},
    summary="Preview (`confirm: false`, 200) or redeem (201) a voucher at one of your places (orders.fulfil)",
    description=REDEEM_DESCRIPTION,
)
def redeem_or_preview(request: HttpRequest, payload: RedemptionIn):
    if not payload.confirm:
        seen = redemption.preview(actor=request.auth, place_id=payload.place_id, code=payload.code)
        return Status(
            200,
            _out(
                seen.voucher,
                place_id=payload.place_id,
                valid_here=seen.valid_here,
                problem=seen.problem,
                problem_code=seen.problem_code,
            ),
        )
    return Status(201, _redeemed(request, payload.place_id, payload.code))


@seller_router.post(
    "vouchers/redeem",
    response={201: RedemptionOut, **WRITE_ERRORS},
    summary="Redeem a voucher (the same as `seller/redemptions` with `confirm: true`)",
    description=REDEEM_DESCRIPTION,
)
def redeem_voucher(request: HttpRequest, payload: RedeemIn):
    return Status(201, _redeemed(request, payload.place_id, payload.code))


@seller_router.post(
    "redemptions/{voucher_id}/undo",
    response={200: RedemptionOut, **WRITE_ERRORS},
    summary="Take a mistaken redemption back within 60 minutes: the voucher is valid again",
    description="409 `not_redeemed`, `undo_window_over`.",
)
def undo_redemption(request: HttpRequest, voucher_id: Id):
    voucher = redemption.undo(actor=request.auth, voucher_id=voucher_id)
    voucher = Voucher.objects.select_related("deal__product", "buyer").get(pk=voucher.pk)
    return _out(voucher, place_id=None, valid_here=True)


class RedemptionLogOut(MoneyOut):
    voucher_id: int
    deal_id: int
    title: str
    buyer_first_name: str
    price: Amount
    place_id: int
    place_name: str
    redeemed_at: datetime
    redeemed_by: str
    undo_until: datetime | None


@seller_router.get(
    "redemptions",
    response={200: PageOut[RedemptionLogOut], **READ_ERRORS},
    summary="Vouchers redeemed at your places, latest first (orders.fulfil)",
)
def redemption_log(request: HttpRequest, query: Query[RedemptionQuery]):
    page = selectors.redemptions(
        actor=request.auth,
        organization_id=query.organization,
        place_id=query.place,
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"items": [_log_out(v) for v in page.items], "next_cursor": page.next_cursor}


def _log_out(voucher: Voucher) -> dict:
    return {
        "voucher_id": voucher.pk,
        "deal_id": voucher.deal_id,
        "title": voucher.deal.product.display_title,
        "buyer_first_name": redemption.first_name(voucher.buyer),
        "currency": voucher.currency,
        "price": voucher.price,
        "place_id": voucher.redeemed_place_id,
        "place_name": voucher.redeemed_place.display_name,
        "redeemed_at": voucher.redeemed_at,
        "redeemed_by": getattr(voucher.redeemed_by, "display_name", "") or "",
        "undo_until": voucher.redeemed_at + redemption.undo_window() if redemption.undoable(voucher) else None,
    }
