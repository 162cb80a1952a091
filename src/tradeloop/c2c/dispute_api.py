"""Dispute endpoints for the buyer and the seller of a C2C order. Operators resolve in the back office.

Another person's dispute answers 404; a step the actor's side may not take answers 403; a step the dispute's state
does not allow answers 409 `dispute_closed`."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.c2c import dispute_selectors as selectors
from tradeloop.c2c import disputes
from tradeloop.c2c.models import Dispute
from tradeloop.core.api_schemas import Amount, Id, InputSchema, MoneyOut, PageOut, PageQuery, Text, errors

router = Router(auth=SIGNED_IN, tags=["C2C"])
READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)
OPTIONAL_TEXT = Form("", description="The message (optional with photos)")
Reason = Literal["not_received", "not_as_described", "counterfeit"]


class DisputePhotoOut(Schema):
    id: int
    url: str = Field(..., description="Fetch with the same credentials (the photo is private)")


class DisputeMessageOut(Schema):
    id: int
    side: str = Field(..., description="buyer, seller or platform")
    text: str
    created_at: datetime
    photos: list[DisputePhotoOut]


class DisputeOut(MoneyOut):
    id: int
    order_id: int
    order_number: str
    my_side: str = Field(..., description="buyer or seller: the caller's side")
    reason: str
    description: str
    state: str = Field(..., description="awaiting_seller, answered, escalated, returning, resolved, withdrawn")
    answer_by: datetime
    opened_at: datetime
    outcome: str = Field(..., description="full_refund, partial_refund, release, return_then_refund; empty if open")
    refund_amount: Amount | None
    resolved_at: datetime | None
    return_carrier: str
    return_tracking: str
    return_due: datetime | None = Field(..., description="Return-then-refund: refunded by then unless confirmed")
    messages: list[DisputeMessageOut] | None = Field(None, description="The thread (one dispute only)")


class DisputeIn(InputSchema):
    order_id: Id
    reason: Reason
    description: Text = Field(..., min_length=1, max_length=disputes.MAX_TEXT)


class DisputeMessageIn(InputSchema):
    text: Text = Field(..., min_length=1, max_length=disputes.MAX_TEXT)


class DisputeReturnIn(InputSchema):
    carrier: Text = Field(..., min_length=1, max_length=60)
    tracking_number: Text = Field(..., min_length=1, max_length=60)


class DisputeListQuery(PageQuery):
    role: Literal["buyer", "seller"] | None = Field(None, description="Only as buyer or only as seller")


def _out(request: HttpRequest, dispute: Dispute, side: str, *, thread: bool = False) -> dict:
    order = dispute.escrow.order
    out = {
        "currency": order.currency,
        "id": dispute.pk,
        "order_id": order.pk,
        "order_number": order.number,
        "my_side": side,
        "reason": dispute.reason,
        "description": dispute.description,
        "state": dispute.state,
        "answer_by": dispute.answer_by,
        "opened_at": dispute.opened_at,
        "outcome": dispute.outcome,
        "refund_amount": dispute.refund_amount,
        "resolved_at": dispute.resolved_at,
        "return_carrier": dispute.return_carrier,
        "return_tracking": dispute.return_tracking,
        "return_due": dispute.return_due,
    }
    if thread:
        out["messages"] = [
            {
                "id": m.pk,
                "side": m.side,
                "text": m.text,
                "created_at": m.created_at,
                "photos": [
                    {
                        "id": p.pk,
                        "url": request.build_absolute_uri(reverse("c2c:dispute_photo", args=[dispute.pk, p.pk])),
                    }
                    for p in m.photos.all()
                ],
            }
            for m in dispute.messages.all()
        ]
    return out


def _one(request: HttpRequest, dispute_id: int) -> dict:
    dispute, side = selectors.dispute_for(request.auth, dispute_id)
    return _out(request, dispute, side, thread=True)


@router.get("disputes", response={200: PageOut[DisputeOut], **READ_ERRORS}, summary="My disputes, newest first")
def list_disputes(request: HttpRequest, query: Query[DisputeListQuery]):
    as_seller = None if query.role is None else query.role == "seller"
    page = selectors.disputes_page(request.auth, as_seller=as_seller, cursor=query.cursor, limit=query.limit)
    sellers = set(disputes.seller_org_ids(request.auth))
    items = [
        _out(request, d, "buyer" if d.escrow.order.buyer_id == request.auth.pk else "seller")
        for d in page.items
        if d.escrow.order.buyer_id == request.auth.pk or d.escrow.order.seller_id in sellers
    ]
    return {"items": items, "next_cursor": page.next_cursor}


@router.post(
    "disputes",
    response={201: DisputeOut, **WRITE_ERRORS},
    summary="The buyer opens a dispute on a shipped C2C order (pauses the auto-confirmation)",
)
def open_dispute(request: HttpRequest, payload: DisputeIn):
    dispute = disputes.open_dispute(
        actor=request.auth, order_id=payload.order_id, reason=payload.reason, description=payload.description
    )
    return 201, _one(request, dispute.pk)


@router.get("disputes/{dispute_id}", response={200: DisputeOut, **READ_ERRORS}, summary="One dispute, with its thread")
def get_dispute(request: HttpRequest, dispute_id: Id):
    return _one(request, dispute_id)


@router.post(
    "disputes/{dispute_id}/messages",
    response={201: DisputeOut, **WRITE_ERRORS},
    summary="Write on the dispute (buyer or seller); the seller's first message answers it",
)
def post_message(request: HttpRequest, dispute_id: Id, payload: DisputeMessageIn):
    disputes.add_message(actor=request.auth, dispute_id=dispute_id, text=payload.text)
    return 201, _one(request, dispute_id)


@router.post(
    "disputes/{dispute_id}/photos",
    response={201: DisputeOut, **WRITE_ERRORS},
    summary="A message with photos (multipart: `text`, `photos`: up to 5 JPEG, PNG or WebP files, 5 MB each)",
)
def post_photos(
    request: HttpRequest,
    dispute_id: Id,
    photos: File[list[UploadedFile]],
    text: Text = OPTIONAL_TEXT,
):
    disputes.add_message(actor=request.auth, dispute_id=dispute_id, text=text or gettext("Photos"), photos=list(photos))
    return 201, _one(request, dispute_id)


def _step(name: str, summary: str, service):
    @router.post(f"disputes/{{dispute_id}}/{name}", response={200: DisputeOut, **WRITE_ERRORS}, summary=summary)
    def step(request: HttpRequest, dispute_id: Id):
        service(actor=request.auth, dispute_id=dispute_id)
        return _one(request, dispute_id)

    step.__name__ = f"dispute_{name.replace('-', '_')}"
    return step


escalate = _step("escalate", "The buyer asks the platform to decide", disputes.escalate)
withdraw = _step(
    "withdraw", "The buyer withdraws the dispute: the auto-confirmation clock runs again", disputes.withdraw
)
refund = _step("refund", "The seller agrees to refund the buyer in full", disputes.seller_refunds)
return_received = _step(
    "return-received",
    "Return-then-refund: the seller has the item back, the buyer is refunded",
    disputes.return_received,
)


@router.post(
    "disputes/{dispute_id}/return",
    response={200: DisputeOut, **WRITE_ERRORS},
    summary="Return-then-refund: the buyer sent the item back (carrier and tracking)",
)
def submit_return(request: HttpRequest, dispute_id: Id, payload: DisputeReturnIn):
    disputes.submit_return(
        actor=request.auth, dispute_id=dispute_id, carrier=payload.carrier, tracking_number=payload.tracking_number
    )
    return _one(request, dispute_id)
