"""Escrow endpoints: the buyer confirms receipt or extends the time to confirm; buyer and seller read the escrow.

`orders/{order_id}` is the order's id (`id` in `GET orders`); another person's order answers 404."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.c2c import dispute_selectors as selectors
from tradeloop.c2c import escrow as escrows
from tradeloop.core.api_schemas import Amount, Id, MoneyOut, errors

router = Router(auth=SIGNED_IN, tags=["C2C"])
READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)


class EscrowDisputeRef(MoneyOut):
    id: int
    state: str
    reason: str
    outcome: str
    refund_amount: Amount | None
    opened_at: datetime


class EscrowOut(MoneyOut):
    order_id: int
    order_number: str
    order_state: str
    state: str = Field(..., description="held, disputed, released, refunded, split; `unpaid` before payment")
    amount: Amount = Field(..., description="What was paid into escrow")
    held: Amount = Field(..., description="What escrow still holds for the order (from the ledger)")
    confirm_by: datetime | None = Field(..., description="Receipt is auto-confirmed then (null: not shipped, paused)")
    extended: bool = Field(..., description="The buyer's one extension was used")
    disputes: list[EscrowDisputeRef]


def _out(request: HttpRequest, order_id: int) -> dict:
    order, escrow, found = selectors.escrow_of(request.auth, order_id)
    return {
        "currency": order.currency,
        "order_id": order.pk,
        "order_number": order.number,
        "order_state": order.state,
        "state": escrow.state if escrow else "unpaid",
        "amount": escrow.amount if escrow else order.total,
        "held": escrows.held_amount(order).amount,
        "confirm_by": escrow.confirm_by if escrow else None,
        "extended": escrow.extended if escrow else False,
        "disputes": [
            {
                "currency": order.currency,
                "id": d.pk,
                "state": d.state,
                "reason": d.reason,
                "outcome": d.outcome,
                "refund_amount": d.refund_amount,
                "opened_at": d.opened_at,
            }
            for d in found
        ],
    }


@router.get(
    "orders/{order_id}/escrow",
    response={200: EscrowOut, **READ_ERRORS},
    summary="The escrow of a C2C order (its buyer or seller): state, money held, auto-confirm time, disputes",
)
def get_escrow(request: HttpRequest, order_id: Id):
    return _out(request, order_id)


@router.post(
    "orders/{order_id}/confirm-receipt",
    response={200: EscrowOut, **WRITE_ERRORS},
    summary="The buyer has the goods: escrow is released to the seller minus commission",
)
def confirm_receipt(request: HttpRequest, order_id: Id):
    escrows.confirm_receipt(actor=request.auth, order_id=order_id)
    return _out(request, order_id)


@router.post(
    "orders/{order_id}/extend-receipt",
    response={200: EscrowOut, **WRITE_ERRORS},
    summary="The buyer adds 3 days to the time to confirm receipt (once per order)",
)
def extend_receipt(request: HttpRequest, order_id: Id):
    escrows.extend(actor=request.auth, order_id=order_id)
    return _out(request, order_id)
