"""After-sales endpoints: a buyer's returns on an order; the seller's returns desk, approve and reject."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Header, Query, Router, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import membership
from tradeloop.aftersales import selectors, services
from tradeloop.aftersales.models import ReturnLine, ReturnRequest
from tradeloop.core.api_schemas import (
    Amount,
    Id,
    InputSchema,
    LineQuantityIn,
    MoneyOut,
    PageOut,
    PageQuery,
    Text,
    errors,
    line_quantities,
)
from tradeloop.core.idempotency import replay_or_run
from tradeloop.orders import selectors as orders_selectors

router = Router(auth=SIGNED_IN, tags=["after-sales"])
seller_router = Router(auth=SIGNED_IN, tags=["seller"])

Kind = Literal[tuple(ReturnRequest.Kind.values)]  # type: ignore[valid-type]
StateFilter = Literal[tuple(ReturnRequest.State.values)]  # type: ignore[valid-type]
IDEMPOTENCY = Header(None, alias="Idempotency-Key")


class ReturnLineData(MoneyOut):
    line_id: int = Field(..., description="The order line's id")
    sku: str
    title: str
    quantity: int
    amount: Amount = Field(..., description="What this line refunds")


class ReturnData(MoneyOut):
    """A return as stored for an idempotent replay (plain values)."""

    id: int
    order_number: str
    kind: str = Field(..., description="return (goods come back) or refund_only")
    state: str = Field(..., description="requested, approved, rejected, refunded or cancelled (withdrawn)")
    reason: str
    refund_amount: Amount
    decision_note: str
    created_at: datetime
    decided_at: datetime | None
    lines: list[ReturnLineData]


class ReturnLineOut(ReturnLineData):
    @staticmethod
    def resolve_line_id(obj: ReturnLine) -> int:
        return obj.order_line_id

    @staticmethod
    def resolve_sku(obj: ReturnLine) -> str:
        return obj.order_line.sku

    @staticmethod
    def resolve_title(obj: ReturnLine) -> str:
        return obj.order_line.product_title

    @staticmethod
    def resolve_currency(obj: ReturnLine) -> str:
        return obj.request.currency


class ReturnOut(ReturnData):
    lines: list[ReturnLineOut]

    @staticmethod
    def resolve_order_number(obj: ReturnRequest) -> str:
        return obj.order.number

    @staticmethod
    def resolve_lines(obj: ReturnRequest) -> list[ReturnLine]:
        return list(obj.lines.all())


class ReturnIn(InputSchema):
    kind: Kind = ReturnRequest.Kind.RETURN
    reason: Text = Field("", max_length=services.MAX_REASON, description="Optional within the return window")
    lines: list[LineQuantityIn] = Field(..., min_length=1, max_length=500)


class SellerReturnQuery(PageQuery):
    organization: Id
    state: StateFilter | None = None


class ApproveIn(InputSchema):
    note: Text = Field("", max_length=services.MAX_REASON)


class RejectIn(InputSchema):
    reason: Text = Field(..., max_length=services.MAX_REASON, description="Told to the buyer")


def _reloaded(request_: ReturnRequest) -> ReturnRequest:
    return next(r for r in selectors.returns_of(request_.order) if r.pk == request_.pk)


def _as_body(request_: ReturnRequest) -> dict:
    return ReturnOut.from_orm(_reloaded(request_)).model_dump(mode="json")


@router.get(
    "orders/{number}/returns",
    response={200: list[ReturnOut], **errors(401, 404, 422)},
    summary="The returns of one of your orders",
)
def order_returns(request: HttpRequest, number: Text):
    order = orders_selectors.order_for_buyer(request.auth, number[:24])
    return selectors.order_returns(actor=request.auth, order=order)


@router.post(
    "orders/{number}/returns",
    response={201: ReturnOut, **errors(400, 401, 404, 409, 422)},
    summary="Ask to return lines of a delivered order within the return window (no reason needed)",
)
def request_return(request: HttpRequest, number: Text, payload: ReturnIn):
    order = orders_selectors.order_for_buyer(request.auth, number[:24])
    created = services.request_return(
        actor=request.auth, order=order, lines=line_quantities(payload.lines), kind=payload.kind, reason=payload.reason
    )
    return Status(201, _reloaded(created))


@seller_router.get(
    "returns",
    response={200: PageOut[ReturnOut], **errors(400, 401, 403, 404, 422)},
    summary="The organization's returns desk, newest first (needs orders.view)",
)
def seller_returns(request: HttpRequest, query: Query[SellerReturnQuery]):
    seller = membership(request.auth, query.organization).organization
    return selectors.seller_returns(
        actor=request.auth, seller=seller, state=query.state, cursor=query.cursor, limit=query.limit
    )


@seller_router.post(
    "returns/{return_id}/approve",
    response={200: ReturnData, **errors(400, 401, 403, 404, 409, 422)},
    summary="Approve: restock (for a return) and refund the buyer (needs support.reply or orders.fulfil; "
    "honours Idempotency-Key)",
)
def approve(
    request: HttpRequest, return_id: Id, payload: ApproveIn | None = None, idempotency_key: str | None = IDEMPOTENCY
):
    note = payload.note if payload else ""

    def run() -> tuple[int, dict]:
        return 200, _as_body(services.approve(actor=request.auth, return_id=return_id, note=note))

    status, body = replay_or_run(
        user=request.auth,
        scope=f"returns:{return_id}:approve",
        key=idempotency_key,
        request_data={"note": note},
        run=run,
    )
    return Status(status, body)


@seller_router.post(
    "returns/{return_id}/reject",
    response={200: ReturnOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Reject with a reason told to the buyer; no money moves (needs support.reply or orders.fulfil)",
)
def reject(request: HttpRequest, return_id: Id, payload: RejectIn):
    return _reloaded(services.reject(actor=request.auth, return_id=return_id, reason=payload.reason))
