"""Payments: start a payment at a provider, hear its webhooks, refund, expire, take commission, pay sellers out.

The provider is behind `providers.base.PaymentProvider`; nothing here knows which one it is.
Higher layers learn what happened through `payments.signals` (sent inside the transaction that made the change).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Category
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotAuthenticated, ValidationFailed
from tradeloop.core.money import Money, check_currency
from tradeloop.core.transactions import one_transaction
from tradeloop.ledger import selectors as ledger_selectors
from tradeloop.ledger import services as ledger
from tradeloop.ledger.models import Account
from tradeloop.ledger.selectors import HALF_UNIT
from tradeloop.payments import holds, signals
from tradeloop.payments.models import CommissionRule, Payment, Payout, Refund, WebhookEvent
from tradeloop.payments.providers import default_provider_code, get_provider, payout_provider_code
from tradeloop.payments.providers.base import (
    PAYMENT_AUTHORIZED,
    PAYMENT_CAPTURED,
    PAYMENT_FAILED,
    PAYOUT_FAILED,
    PAYOUT_PAID,
    REFUND_FAILED,
    REFUND_SUCCEEDED,
    Outcome,
    WebhookMessage,
    WebhookRequest,
)

log = logging.getLogger(__name__)

OPEN_STATES = (Payment.State.CREATED, Payment.State.PENDING, Payment.State.AUTHORIZED)
MAX_RETURN_URL = 300


# --- commission --------------------------------------------------------------------------------------------------


def _ancestor_paths(category: Category) -> list[str]:
    """ "food/fruit/apples/" → ["food/", "food/fruit/", "food/fruit/apples/"]."""
    parts = category.path.strip("/").split("/")
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def commission_rate(*, seller: Organization, category: Category | None) -> Decimal:
    """The platform's take rate for a sale. Most specific wins: the category (deepest ancestor first; a rule for
    the category and this seller kind beats one for the category alone), then the seller kind, then the rule with
    neither, else `settings.TRADELOOP_DEFAULT_COMMISSION`. One query."""
    paths = _ancestor_paths(category) if category is not None and category.path else []
    candidates = CommissionRule.objects.filter(seller_kind__in=["", seller.kind]).select_related("category")
    best: tuple[tuple[int, int], Decimal] | None = None
    for rule in candidates:
        if rule.category_id is not None and rule.category.path not in paths:
            continue
        depth = rule.category.depth + 1 if rule.category_id else 0
        rank = (depth, 1 if rule.seller_kind else 0)
        if best is None or rank > best[0]:
            best = (rank, rule.rate)
    if best is not None:
        return best[1]
    return Decimal(str(getattr(settings, "TRADELOOP_DEFAULT_COMMISSION", "0.05")))


# --- starting a payment ------------------------------------------------------------------------------------------


def _clean_return_url(return_url: str) -> str:
    return_url = (return_url or "").strip()
    if len(return_url) > MAX_RETURN_URL:
        raise ValidationFailed(f"return_url is longer than {MAX_RETURN_URL} characters", field="return_url")
    if return_url and not return_url.startswith(("/", "http://", "https://")):
        raise ValidationFailed("return_url must be a path or an http(s) URL", field="return_url")
    return return_url


@one_transaction()
def start_payment(
    *,
    payer: User,
    amount: Money,
    purpose: str,
    return_url: str,
    expires_at: datetime | None,
    provider: str | None = None,
) -> tuple[Payment, str]:
    """Opens a payment at the provider; returns it with the URL to send the buyer to (the hosted payment page)."""
    if not getattr(payer, "is_authenticated", False):
        raise NotAuthenticated("sign in first")
    currency = check_currency(amount.currency)
    amount = amount.rounded()
    if amount.amount <= 0:
        raise ValidationFailed("a payment must be more than zero", field="amount")
    adapter = get_provider(provider or default_provider_code())
    payment = Payment(
        token=secrets.token_urlsafe(24),
        payer=payer,
        provider=adapter.code,
        purpose=(purpose or "")[:80],
        amount=amount.amount,
        currency=currency,
        return_url=_clean_return_url(return_url),
        expires_at=expires_at,
    )
    url = adapter.start(payment)  # keyed on the token (docs/payments.md): the row is written once, after it
    states.transition(payment, Payment.State.PENDING, actor=payer, reason=f"sent to {adapter.code}")
    return payment, url


# --- webhooks ----------------------------------------------------------------------------------------------------


def handle_webhook(*, provider: str, request: WebhookRequest) -> WebhookEvent:
    """Verifies and applies one provider event, once per event id: a replay returns the stored event, unchanged.

    The event row and its effects commit together, so an event whose processing failed is not remembered and
    the provider's retry is processed afresh.
    """
    adapter = get_provider(provider)
    message = adapter.parse_webhook(request)
    if not message.event_id:
        raise ValidationFailed("the event has no id", field="id")
    with transaction.atomic():
        event, created = WebhookEvent.objects.get_or_create(
            provider=adapter.code,
            event_id=message.event_id[:120],
            defaults={"kind": message.kind[:60], "payload": message.payload, "received_at": clock.now()},
        )
        if not created:
            return event
        APPLY.get(message.kind, _ignore)(adapter.code, message)
        event.processed_at = clock.now()
        event.save(update_fields=["processed_at"])
    return event


def _ignore(provider: str, message: WebhookMessage) -> None:
    log.info("ignored %s event %s from %s", message.kind, message.event_id, provider)


def _locked_payment(provider: str, token: str) -> Payment | None:
    return Payment.objects.select_for_update().filter(provider=provider, token=token).first()


def _on_captured(provider: str, message: WebhookMessage) -> None:
    payment = _locked_payment(provider, message.object_ref)
    if payment is None or payment.captured_amount > 0:  # unknown, or this capture was already heard of
        return
    if message.currency and message.currency != payment.currency:
        raise ValidationFailed(f"captured in {message.currency}, the payment is in {payment.currency}")
    payment.captured_amount = payment.amount if message.amount is None else message.amount
    payment.provider_ref = message.provider_ref or payment.provider_ref
    payment.save(update_fields=["captured_amount", "provider_ref"])
    ledger.record_payment_received(payment_id=payment.pk, amount=Money(payment.captured_amount, payment.currency))
    if payment.state not in OPEN_STATES:
        # The buyer paid after the payment had expired or failed: nothing was sold, so the money goes back.
        _refund_late_capture(payment)
        return
    states.transition(payment, Payment.State.CAPTURED, reason=f"{provider} event {message.event_id}")
    signals.payment_captured.send(sender=Payment, payment=payment)


def _on_authorized(provider: str, message: WebhookMessage) -> None:
    payment = _locked_payment(provider, message.object_ref)
    if payment is not None and payment.state in (Payment.State.CREATED, Payment.State.PENDING):
        states.transition(payment, Payment.State.AUTHORIZED, reason=f"{provider} event {message.event_id}")


def _on_failed(provider: str, message: WebhookMessage) -> None:
    payment = _locked_payment(provider, message.object_ref)
    if payment is None or payment.state not in (Payment.State.CREATED, Payment.State.PENDING):
        return
    _fail(payment, Payment.State.FAILED, message.reason or "declined")


def _fail(payment: Payment, to: str, reason: str) -> None:
    payment.failure_reason = reason[:200]
    payment.save(update_fields=["failure_reason"])
    states.transition(payment, to, reason=reason)
    signals.payment_failed.send(sender=Payment, payment=payment)


def _on_refund(provider: str, message: WebhookMessage) -> None:
    refund = Refund.objects.select_for_update().filter(ref=message.object_ref, payment__provider=provider).first()
    if refund is None or refund.state != Refund.State.PENDING:
        return
    if message.kind == REFUND_SUCCEEDED:
        _refund_succeeded(refund, message.provider_ref)
    else:
        _refund_failed(refund, message.reason or "refused by the provider")


def _on_payout(provider: str, message: WebhookMessage) -> None:
    if not message.object_ref.isdigit():
        return
    payout = Payout.objects.select_for_update().filter(pk=int(message.object_ref), provider=provider).first()
    if payout is None or payout.state != Payout.State.PENDING:
        return
    if message.kind == PAYOUT_PAID:
        _payout_paid(payout, message.provider_ref, clock.now())
    else:
        _payout_failed(payout, message.reason or "refused by the provider")


APPLY = {
    PAYMENT_CAPTURED: _on_captured,
    PAYMENT_AUTHORIZED: _on_authorized,
    PAYMENT_FAILED: _on_failed,
    REFUND_SUCCEEDED: _on_refund,
    REFUND_FAILED: _on_refund,
    PAYOUT_PAID: _on_payout,
    PAYOUT_FAILED: _on_payout,
}


# --- timeouts ----------------------------------------------------------------------------------------------------


def sweep_expired_payments(now: datetime) -> int:
    """Payments the buyer did not finish by `expires_at` expire (and `payment_failed` is sent). Idempotent."""
    due = Payment.objects.filter(state__in=OPEN_STATES, expires_at__lte=now).values_list("pk", flat=True)
    done = 0
    for payment_id in list(due):
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=payment_id)
            if payment.state not in OPEN_STATES or payment.expires_at > now:  # re-check under the lock
                continue
            if payment.state == Payment.State.AUTHORIZED:
                get_provider(payment.provider).void(payment)
            _fail(payment, Payment.State.EXPIRED, "the buyer did not pay in time")
            done += 1
    return done


# --- refunds -----------------------------------------------------------------------------------------------------


def refund(*, payment: Payment, amount: Money, ref: str, reason: str = "") -> Refund:
    """Gives `amount` of a captured payment back through its provider; idempotent per `ref`.

    Never more than is refundable: the amount is reserved on the payment by a guarded UPDATE under its row lock,
    and given back if the provider refuses. Returns the Refund: succeeded, pending (the provider answers by
    webhook), or failed.
    """
    return _refund(payment=payment, amount=amount, ref=ref, reason=reason, notify=True)


def _refund(*, payment: Payment, amount: Money, ref: str, reason: str, notify: bool) -> Refund:
    ref = (ref or "").strip()
    if not ref or len(ref) > 80:
        raise ValidationFailed("a refund needs a ref of 1 to 80 characters", field="ref")
    existing = Refund.objects.filter(ref=ref).first()
    if existing is not None:
        return _same_refund(existing, payment)
    if amount.currency != payment.currency:
        raise ValidationFailed(f"the payment is in {payment.currency}, not {amount.currency}", field="currency")
    amount = amount.rounded()
    if amount.amount <= 0:
        raise ValidationFailed("a refund must be more than zero", field="amount")
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        existing = Refund.objects.filter(ref=ref).first()  # a concurrent twin may have committed while we waited
        if existing is not None:
            return _same_refund(existing, payment)
        if locked.state != Payment.State.CAPTURED:
            raise Conflict("only a captured payment can be refunded", code="not_captured")
        reserved = Payment.objects.filter(
            pk=locked.pk, refunded_amount__lte=F("captured_amount") - amount.amount
        ).update(refunded_amount=F("refunded_amount") + amount.amount)
        if not reserved:
            left = Money(locked.refundable, locked.currency)
            raise Conflict(
                f"only {left} of this payment can still be refunded", code="refund_too_large", field="amount"
            )
        try:
            with transaction.atomic():
                created = Refund.objects.create(
                    payment=locked, ref=ref, amount=amount.amount, currency=amount.currency, reason=reason[:200]
                )
        except IntegrityError:
            raise Conflict("a refund with this ref is being made", code="refund_in_progress", field="ref") from None
        _post_refund(created)
        outcome = get_provider(locked.provider).refund(created)
        _apply_refund_outcome(created, outcome, notify=notify)
    payment.refresh_from_db(fields=["refunded_amount"])
    return created


def _post_refund(refund: Refund) -> None:
    """In the ledger as soon as the amount is reserved on the payment (reversed if the provider refuses)."""
    ledger.record_payment_refund(
        payment_id=refund.payment_id, refund_id=refund.pk, amount=Money(refund.amount, refund.currency)
    )


def _same_refund(existing: Refund, payment: Payment) -> Refund:
    if existing.payment_id != payment.pk:
        raise Conflict("this refund ref belongs to another payment", code="ref_taken", field="ref")
    return existing


def _apply_refund_outcome(refund: Refund, outcome: Outcome, *, notify: bool) -> None:
    if outcome.ok:
        _refund_succeeded(refund, outcome.provider_ref, notify=notify)
    elif outcome.pending:
        refund.provider_ref = outcome.provider_ref
        refund.save(update_fields=["provider_ref"])
    else:
        _refund_failed(refund, outcome.reason)


def _refund_succeeded(refund: Refund, provider_ref: str, *, notify: bool = True) -> None:
    refund.provider_ref = provider_ref or refund.provider_ref
    refund.save(update_fields=["provider_ref"])
    states.transition(refund, Refund.State.SUCCEEDED, reason=refund.reason)
    if notify:
        signals.refund_succeeded.send(sender=Refund, refund=refund)


def _refund_failed(refund: Refund, reason: str) -> None:
    Payment.objects.filter(pk=refund.payment_id).update(refunded_amount=F("refunded_amount") - refund.amount)
    ledger.record_refund_failed(
        payment_id=refund.payment_id, refund_id=refund.pk, amount=Money(refund.amount, refund.currency)
    )
    states.transition(refund, Refund.State.FAILED, reason=reason)


def _refund_late_capture(payment: Payment) -> None:
    # The payment is not CAPTURED (it expired), so reserve and refund directly rather than through `refund()`.
    Payment.objects.filter(pk=payment.pk).update(refunded_amount=F("captured_amount"))
    late = Refund.objects.create(
        payment=payment,
        ref=f"late:{payment.token}"[:80],
        amount=payment.captured_amount,
        currency=payment.currency,
        reason="paid after the payment had expired",
    )
    _post_refund(late)
    _apply_refund_outcome(late, get_provider(payment.provider).refund(late), notify=False)


# --- payouts -----------------------------------------------------------------------------------------------------


def payable_accounts(seller: Organization | None = None) -> list[Account]:
    """Sellers' `available` accounts with a positive balance (one query), with `balance_amount` annotated; sellers
    whose payouts are held (payments.holds: e.g. not verified yet) are left out, their balance waits."""
    accounts = Account.objects.filter(owner__isnull=False, code__contains=":available:").select_related("owner")
    if seller is not None:
        accounts = accounts.filter(owner=seller)
    due = list(ledger_selectors.with_balances(accounts).filter(balance_amount__gt=HALF_UNIT).order_by("pk"))
    held = holds.held_ids(a.owner_id for a in due)
    return [a for a in due if a.owner_id not in held]


def run_payouts(*, now: datetime, seller: Organization | None = None, requested_by: User | None = None) -> list[Payout]:
    """Pays each seller's available balance (> 0, per currency) through the payout provider. Exactly once:
    the account row is locked and the balance re-read under the lock, so a concurrent run finds nothing left."""
    paid = []
    for account in payable_accounts(seller):
        payout = _reserve_payout(account, now=now, requested_by=requested_by)
        if payout is not None:
            paid.append(_send_payout(payout, now=now))
    return paid


def request_payout(*, actor: User, seller: Organization) -> list[Payout]:
    """A member with finance.manage asks for the seller's available balance now."""
    require(actor, seller, "finance.manage")
    return run_payouts(now=clock.now(), seller=seller, requested_by=actor)


def _reserve_payout(account: Account, *, now: datetime, requested_by: User | None) -> Payout | None:
    with transaction.atomic():
        ledger.lock_accounts([account])
        available = ledger_selectors.balance(account)
        if available.amount <= 0:
            return None
        payout = Payout.objects.create(
            seller=account.owner,
            amount=available.amount,
            currency=available.currency,
            provider=payout_provider_code(),
            requested_by=requested_by if getattr(requested_by, "pk", None) else None,
            created_at=now,
        )
        ledger.post(
            memo=f"payout to {account.owner.name}",
            ref=f"payout:{payout.pk}",
            legs=[(account, available), (ledger.platform_clearing(available.currency), -available)],
        )
        states.record(payout, new=Payout.State.PENDING, actor=requested_by, reason="payout reserved")
        return payout


def _send_payout(payout: Payout, *, now: datetime) -> Payout:
    """Calls the provider outside the reservation's transaction (a slow provider holds no lock)."""
    try:
        outcome = get_provider(payout.provider).payout(payout)
    except Exception as exc:  # noqa: BLE001 - a provider error must not lose the reserved payout
        log.exception("payout %s: provider error", payout.pk)
        outcome = Outcome.failed(f"provider error: {exc}")
    with transaction.atomic():
        payout = Payout.objects.select_for_update().select_related("seller").get(pk=payout.pk)
        if payout.state != Payout.State.PENDING:
            return payout
        if outcome.ok:
            _payout_paid(payout, outcome.provider_ref, now)
        elif outcome.pending:
            payout.provider_ref = outcome.provider_ref
            payout.save(update_fields=["provider_ref"])
        else:
            _payout_failed(payout, outcome.reason)
    return payout


def _payout_paid(payout: Payout, provider_ref: str, now: datetime) -> None:
    payout.provider_ref = provider_ref or payout.provider_ref
    payout.paid_at = now
    payout.save(update_fields=["provider_ref", "paid_at"])
    states.transition(payout, Payout.State.PAID, actor=payout.requested_by)
    signals.payout_paid.send(sender=Payout, payout=payout)


def _payout_failed(payout: Payout, reason: str) -> None:
    """The money stays the seller's: the reservation is reversed back to their available balance."""
    money = Money(payout.amount, payout.currency)
    ledger.post(
        memo=f"payout to {payout.seller.name} failed",
        ref=f"payout:{payout.pk}:reversed",
        legs=[
            (ledger.platform_clearing(payout.currency), money),
            (ledger.seller_available(payout.seller, payout.currency), -money),
        ],
    )
    states.transition(payout, Payout.State.FAILED, reason=reason)
