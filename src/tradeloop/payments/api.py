"""Money endpoints: a payment's status, the providers' webhook, and payouts."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Header, Query, Router, Schema, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import membership
from tradeloop.core.api_schemas import Amount, Id, InputSchema, MoneyOut, PageOut, PageQuery, Text, errors
from tradeloop.core.idempotency import replay_or_run
from tradeloop.payments import holds, selectors, services
from tradeloop.payments.models import Payment, Payout, Refund

router = Router(auth=SIGNED_IN, tags=["money"])


class RefundOut(MoneyOut):
    ref: str
    amount: Amount
    state: str
    created_at: datetime


class PaymentOut(MoneyOut):
    token: str
    state: str = Field(..., description="created, pending, authorized, captured, failed, voided or expired")
    provider: str
    purpose: str
    amount: Amount
    captured_amount: Amount
    refunded_amount: Amount
    failure_reason: str
    created_at: datetime
    expires_at: datetime | None
    refunds: list[RefundOut]

    @staticmethod
    def resolve_refunds(obj: Payment) -> list[Refund]:
        return list(obj.refunds.all())


class WebhookQuery(Schema):
    provider: Text = Field(..., max_length=30, examples=["sandbox"])


class WebhookOut(Schema):
    event_id: str
    kind: str
    received_at: datetime


class PayoutRow(MoneyOut):
    id: int
    organization_id: int
    amount: Amount
    state: str = Field(..., description="pending, paid or failed")
    provider_ref: str
    created_at: datetime
    paid_at: datetime | None


class PayoutOut(PayoutRow):
    """A payout read from the database."""

    @staticmethod
    def resolve_organization_id(obj: Payout) -> int:
        return obj.seller_id


class PayoutQuery(PageQuery):
    organization: Id | None = Field(None, description="Only this organization's payouts")


class PayoutRequestIn(InputSchema):
    organization: Id = Field(..., description="The selling organization to pay out (needs finance.manage)")


class PayoutsOut(Schema):
    payouts: list[PayoutRow]
    held: bool = Field(False, description="The organization's payouts are held (e.g. not verified yet): none was made")
    hold_reasons: list[str] = Field(default_factory=list, description="Why, in the caller's language")


# Before payments/{token}: the first matching path decides, and a token could be spelled "webhook".
@router.post(
    "payments/webhook",
    auth=None,
    url_name="payments_webhook",
    response={200: WebhookOut, **errors(400, 422)},
    summary="Providers report payments, refunds and payouts here (signed; deduplicated by event id)",
)
def webhook(request: HttpRequest, query: Query[WebhookQuery]):
    return services.handle_webhook(provider=query.provider, request=request)


@router.get(
    "payments/{token}",
    response={200: PaymentOut, **errors(401, 404)},
    summary="A payment's status (its payer only)",
)
def payment(request: HttpRequest, token: Text):
    return selectors.payment_for_payer(request.auth, token)


@router.get(
    "payouts",
    response={200: PageOut[PayoutOut], **errors(400, 401, 403, 404, 422)},
    summary="Payouts: an organization's (finance.view), or everyone's for operators",
)
def payouts(request: HttpRequest, query: Query[PayoutQuery]):
    seller = membership(request.auth, query.organization).organization if query.organization else None
    return selectors.payouts_page(actor=request.auth, seller=seller, cursor=query.cursor, limit=query.limit)


@router.post(
    "payouts",
    response={200: PayoutsOut, 201: PayoutsOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Pay out the organization's available balance now (honours Idempotency-Key)",
)
def request_payout(
    request: HttpRequest, payload: PayoutRequestIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
):
    def run() -> tuple[int, dict]:
        seller = membership(request.auth, payload.organization).organization
        paid = services.request_payout(actor=request.auth, seller=seller)
        reasons = [str(h.reason) for h in holds.reasons(seller)]
        body = {
            "payouts": [PayoutOut.from_orm(p).model_dump(mode="json") for p in paid],
            "held": bool(reasons),
            "hold_reasons": reasons,
        }
        return (201 if paid else 200), body

    status, body = replay_or_run(
        user=request.auth, scope="payouts", key=idempotency_key, request_data=payload.dict(), run=run
    )
    return Status(status, body)
