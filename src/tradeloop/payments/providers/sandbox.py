"""The built-in sandbox gateway. It behaves like a real hosted one, so the whole flow can be tried without a contract:

1. `start()` returns the URL of its hosted payment page (`/pay/sandbox/<token>/`, served by this app).
2. The buyer presses "Pay" or "Decline" there (or walks away: the payment times out) and is sent back to
   the payment's `return_url`.
3. The gateway reports the result by an asynchronous webhook, signed with HMAC-SHA256 in `X-Sandbox-Signature`,
   POSTed by the Celery task `deliver_sandbox_webhook` to `TRADELOOP_BASE_URL`/api/v1/payments/webhook?provider=sandbox
   (retried until it is accepted). With `CELERY_TASK_ALWAYS_EAGER` (tests, a quick demo) the signed event is handed
   to `payments.services.handle_webhook` in-process instead: the signature check and the dedupe still apply.

Refunds and payouts succeed at once, and are also reported by webhook (a no-op when it arrives).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse

from tradeloop.core import clock
from tradeloop.core.errors import ValidationFailed
from tradeloop.payments.providers import register
from tradeloop.payments.providers.base import (
    PAYMENT_CAPTURED,
    PAYMENT_FAILED,
    PAYOUT_PAID,
    REFUND_SUCCEEDED,
    BadSignature,
    Outcome,
    PaymentProvider,
    WebhookMessage,
    WebhookRequest,
)

CODE = "sandbox"
SIGNATURE_HEADER = "X-Sandbox-Signature"
OBJECT_KEYS = {"payment": "payment", "refund": "refund", "payout": "payout"}
DECISION_SECONDS = 24 * 3600
DECLINE_REASON = "card declined (sandbox)"


def secret() -> bytes:
    configured = getattr(settings, "TRADELOOP_SANDBOX_SECRET", "")
    if configured:
        return configured.encode()
    return hashlib.sha256(f"tradeloop-sandbox:{settings.SECRET_KEY}".encode()).hexdigest().encode()


def sign(body: bytes) -> str:
    return hmac.new(secret(), body, hashlib.sha256).hexdigest()


def encode(event: dict) -> bytes:
    return json.dumps(event, cls=DjangoJSONEncoder, separators=(",", ":"), sort_keys=True).encode()


def base_url() -> str:
    return getattr(settings, "TRADELOOP_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def webhook_url() -> str:
    return f"{base_url()}{reverse('api:payments_webhook')}?provider={CODE}"


def new_event(kind: str, **data) -> dict:
    return {"id": f"evt_{secrets.token_hex(12)}", "type": kind, "created": clock.now().isoformat(), "data": data}


@dataclass
class SignedBody:
    """A webhook delivered in-process: the same bytes and header a real HTTP delivery would carry."""

    body: bytes
    headers: dict = field(default_factory=dict)

    @classmethod
    def of(cls, event: dict) -> SignedBody:
        body = encode(event)
        return cls(body=body, headers={SIGNATURE_HEADER: sign(body)})


def delivers_inline() -> bool:
    """Eager Celery (tests, a quick demo) has no worker to POST from: hand the event over in-process."""
    mode = getattr(settings, "TRADELOOP_SANDBOX_WEBHOOK_DELIVERY", "")
    if mode:
        return mode == "inline"
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False))


def deliver_inline(event: dict) -> None:
    from tradeloop.payments.services import handle_webhook  # the gateway calls us back, as it would over HTTP

    handle_webhook(provider=CODE, request=SignedBody.of(event))


def dispatch(event: dict) -> None:
    if delivers_inline():
        deliver_inline(event)
    else:
        from tradeloop.payments.tasks import deliver_sandbox_webhook

        deliver_sandbox_webhook.delay(event)


def send(event: dict) -> None:
    """Deliver the event once the current transaction has committed (the receiver must see what it refers to)."""
    transaction.on_commit(lambda: dispatch(event))


# --- the hosted page's actions -----------------------------------------------------------------------------------


def claim_decision(token: str, decision: str) -> bool:
    """The gateway takes one decision per payment; a second click (or a second tab) changes nothing."""
    return cache.add(f"sandbox:decision:{token}", decision, DECISION_SECONDS)


def decided(token: str) -> str | None:
    return cache.get(f"sandbox:decision:{token}")


def pay(payment) -> None:
    if claim_decision(payment.token, "pay"):
        send(
            new_event(
                PAYMENT_CAPTURED,
                payment=payment.token,
                amount=str(payment.amount),
                currency=payment.currency,
                provider_ref=payment.provider_ref,
            )
        )


def decline(payment, reason: str = DECLINE_REASON) -> None:
    if claim_decision(payment.token, "decline"):
        send(new_event(PAYMENT_FAILED, payment=payment.token, reason=reason, provider_ref=payment.provider_ref))


# --- the adapter -------------------------------------------------------------------------------------------------


def _amount(data: dict) -> Decimal | None:
    if data.get("amount") in (None, ""):
        return None
    try:
        return Decimal(str(data["amount"]))
    except InvalidOperation as exc:
        raise ValidationFailed("the event's amount is not a number", field="amount") from exc


@register
class SandboxProvider(PaymentProvider):
    code = CODE
    name = "Sandbox"
    signature_header = SIGNATURE_HEADER

    def start(self, payment) -> str:
        payment.provider_ref = f"sbx_pay_{secrets.token_hex(8)}"
        return reverse("payments:sandbox_page", args=[payment.token])

    def refund(self, refund) -> Outcome:
        provider_ref = f"sbx_re_{secrets.token_hex(8)}"
        send(
            new_event(
                REFUND_SUCCEEDED,
                refund=refund.ref,
                payment=refund.payment.token,
                amount=str(refund.amount),
                currency=refund.currency,
                provider_ref=provider_ref,
            )
        )
        return Outcome.succeeded(provider_ref)

    def payout(self, payout) -> Outcome:
        provider_ref = f"sbx_po_{secrets.token_hex(8)}"
        send(
            new_event(
                PAYOUT_PAID,
                payout=str(payout.pk),
                amount=str(payout.amount),
                currency=payout.currency,
                provider_ref=provider_ref,
            )
        )
        return Outcome.succeeded(provider_ref)

    def parse_webhook(self, request: WebhookRequest) -> WebhookMessage:
        given = request.headers.get(SIGNATURE_HEADER) or ""
        if not hmac.compare_digest(given.encode(), sign(request.body).encode()):
            raise BadSignature(f"the {SIGNATURE_HEADER} header does not match the body")
        try:
            event = json.loads(request.body)
            kind, data = str(event["type"]), dict(event["data"])
            event_id = str(event["id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValidationFailed("the event is not valid JSON with id, type and data", field="body") from exc
        subject = OBJECT_KEYS.get(kind.split(".", 1)[0], "")
        return WebhookMessage(
            event_id=event_id,
            kind=kind,
            object_ref=str(data.get(subject, "")),
            amount=_amount(data),
            currency=str(data.get("currency", "")),
            provider_ref=str(data.get("provider_ref", "")),
            reason=str(data.get("reason", ""))[:200],
            payload=event,
        )
