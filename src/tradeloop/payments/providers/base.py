"""The payment-provider interface. A real provider (Stripe, Alipay, WeChat Pay) is ONE adapter class implementing it.

The platform speaks to a provider in our own words (Payment, Refund, Payout) and hears back through
`parse_webhook`, which verifies the provider's signature and translates its event into a `WebhookMessage`.
Everything else (state changes, dedupe, ledger, signals) is done once, in `payments.services`, for every provider.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Protocol

from tradeloop.core.errors import DomainError

if TYPE_CHECKING:
    from tradeloop.payments.models import Payment, Payout, Refund

PAYMENT_CAPTURED = "payment.captured"
PAYMENT_AUTHORIZED = "payment.authorized"
PAYMENT_FAILED = "payment.failed"
REFUND_SUCCEEDED = "refund.succeeded"
REFUND_FAILED = "refund.failed"
PAYOUT_PAID = "payout.paid"
PAYOUT_FAILED = "payout.failed"


class BadSignature(DomainError):
    """The webhook is not signed by the provider (or its body was changed on the way)."""

    status = 400
    code = "bad_signature"


class WebhookRequest(Protocol):
    """What an adapter reads from an incoming webhook: a Django HttpRequest has both."""

    body: bytes
    headers: dict


@dataclass(frozen=True)
class WebhookMessage:
    """A provider's event, translated. `object_ref` is what we gave the provider to name the object:

    the payment's token (payment.*), the refund's ref (refund.*), or the payout's id (payout.*).
    """

    event_id: str
    kind: str
    object_ref: str
    amount: Decimal | None = None
    currency: str = ""
    provider_ref: str = ""
    reason: str = ""
    payload: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """A provider's answer to a call. `pending`: it accepted the request and will report the result by webhook."""

    ok: bool
    provider_ref: str = ""
    reason: str = ""
    pending: bool = False

    @classmethod
    def succeeded(cls, provider_ref: str = "") -> Outcome:
        return cls(ok=True, provider_ref=provider_ref)

    @classmethod
    def failed(cls, reason: str) -> Outcome:
        return cls(ok=False, reason=reason)

    @classmethod
    def later(cls, provider_ref: str = "") -> Outcome:
        return cls(ok=False, pending=True, provider_ref=provider_ref)


class PaymentProvider(ABC):
    """One payment provider. Subclass it, set `code`, implement the methods, and `@register` the class."""

    code: ClassVar[str]
    name: ClassVar[str]
    signature_header: ClassVar[str] = ""

    @abstractmethod
    def start(self, payment: Payment) -> str:
        """Open a hosted payment for `payment` (set `payment.provider_ref` if the provider gives one) and return
        the URL to send the buyer to. The provider later reports the result by webhook."""

    def capture(self, payment: Payment) -> Outcome:
        """Capture an authorized payment (providers that authorize first). Hosted pages usually capture at once."""
        return Outcome.succeeded(payment.provider_ref)

    def void(self, payment: Payment) -> Outcome:
        """Release an authorization that will not be captured."""
        return Outcome.succeeded(payment.provider_ref)

    @abstractmethod
    def refund(self, refund: Refund) -> Outcome:
        """Give `refund.amount` of `refund.payment` back to the buyer. Pass `refund.ref` as the provider's
        idempotency key / out_refund_no, so a retried call never refunds twice."""

    @abstractmethod
    def payout(self, payout: Payout) -> Outcome:
        """Send `payout.amount` to the seller's bank account or wallet. Pass `payout.pk` as the idempotency key."""

    @abstractmethod
    def parse_webhook(self, request: WebhookRequest) -> WebhookMessage:
        """Verify the signature (raise `BadSignature`) and translate the provider's event."""
