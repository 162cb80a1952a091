"""A checkout's payment: starting it, and what its outcome does.

captured  → every order paid (stock committed, sale in the ledger), bought lines leave the cart
failed    → the checkout may be paid again (`retry_payment`) until its time runs out
time out  → `sweep_expired_checkouts`: the orders are cancelled, the checkout expires
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.checkout.addresses import require_signed_in
from tradeloop.checkout.models import CartItem, Checkout
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotFound
from tradeloop.core.money import Money
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order, OrderLine
from tradeloop.payments import services as payments


def start_payment(checkout: Checkout, placed: list[Order], buyer: User, return_url: str) -> str:
    payment, url = payments.start_payment(
        payer=buyer,
        amount=Money(checkout.total, checkout.currency),
        purpose=checkout.ref,
        return_url=return_url,
        expires_at=checkout.expires_at,
    )
    Checkout.objects.filter(pk=checkout.pk).update(payment=payment)
    Order.objects.filter(pk__in=[o.pk for o in placed]).update(payment=payment)
    checkout.payment = payment
    return url


# ---------- after the payment ----------


def _paid_by(checkout: Checkout, payment=None):
    """The orders this checkout's payment pays: its orders that took the payment, none of those placed on credit
    terms or held for approval (they are paid, if at all, later and apart)."""
    placed = Order.objects.filter(checkout_ref=checkout.ref)
    if payment is not None:
        return placed.filter(payment=payment)
    return placed.exclude(state__in=(Order.State.CONFIRMED, Order.State.AWAITING_APPROVAL))


def leave_cart(buyer, placed: list[Order]) -> None:
    """The placed orders' goods leave the buyer's cart."""
    bought = OrderLine.objects.filter(order__in=placed).values_list("variant_id", flat=True)
    CartItem.objects.filter(cart__user=buyer, variant_id__in=list(bought)).delete()


def checkout_paid(checkout: Checkout, actor: User | None) -> None:
    """Every order the checkout's payment pays takes it (`orders.take_payment`: paid; or, sold out or already
    cancelled, the money for it comes back); bought lines leave the cart."""
    placed = list(_paid_by(checkout, checkout.payment).select_for_update().order_by("id"))
    for order in placed:
        orders.take_payment(order=order, payment=checkout.payment, actor=actor)
    states.transition(checkout, Checkout.State.PAID, actor=actor, reason=gettext("payment received"))
    leave_cart(checkout.buyer_id, placed)


@transaction.atomic
def on_payment_captured(*, payment) -> Checkout | None:
    """payments.signals.payment_captured: the checkout this payment pays is paid (idempotent)."""
    checkout = Checkout.objects.select_for_update().filter(payment=payment).first()
    if checkout is None or checkout.state == Checkout.State.PAID:
        return checkout
    checkout.payment = payment
    if checkout.state == Checkout.State.EXPIRED:  # paid after its orders were cancelled: the money goes back
        # (a company's prepay order still waiting for payment is paid by it)
        late = (Order.State.CANCELLED, Order.State.PENDING_PAYMENT)
        for order in _paid_by(checkout, payment).filter(state__in=late).order_by("id"):
            orders.take_payment(order=order, payment=payment)
        return checkout
    checkout_paid(checkout, actor=None)
    return checkout


@transaction.atomic
def on_payment_failed(*, payment) -> Checkout | None:
    """payments.signals.payment_failed: the buyer may try again until the checkout's time runs out."""
    checkout = Checkout.objects.select_for_update().filter(payment=payment).first()
    if checkout is None or checkout.state != Checkout.State.AWAITING_PAYMENT:
        return checkout
    states.transition(checkout, Checkout.State.FAILED, reason=payment.failure_reason or gettext("payment failed"))
    return checkout


@transaction.atomic
def retry_payment(*, buyer: User, checkout_id: int, return_url: str | None = None) -> str:
    """Start a new payment for a checkout whose payment failed (declined); its stock is still held."""
    require_signed_in(buyer)
    checkout = Checkout.objects.select_for_update().filter(pk=checkout_id, buyer=buyer).first()
    if checkout is None:
        raise NotFound(gettext("Checkout not found."))
    if checkout.state != Checkout.State.FAILED or checkout.expires_at <= clock.now():
        raise Conflict(gettext("This checkout cannot be paid any more."), code="not_payable")
    placed = list(_paid_by(checkout, checkout.payment).filter(state=Order.State.PENDING_PAYMENT))
    if not placed:
        raise Conflict(gettext("This checkout cannot be paid any more."), code="not_payable")
    states.transition(checkout, Checkout.State.AWAITING_PAYMENT, actor=buyer, reason=gettext("trying again"))
    return start_payment(checkout, placed, buyer, return_url or f"/checkout/{checkout.pk}/done/")


def sweep_expired_checkouts(now: datetime | None = None) -> int:
    """Checkouts not paid in time expire (their orders are cancelled by orders.sweep_unpaid_orders). Idempotent."""
    now = now or clock.now()
    orders.sweep_unpaid_orders(now)
    done = 0
    due = Checkout.objects.filter(
        state__in=(Checkout.State.AWAITING_PAYMENT, Checkout.State.FAILED), expires_at__lte=now
    ).values_list("pk", flat=True)
    for checkout_id in list(due[:500]):
        with transaction.atomic():
            checkout = Checkout.objects.select_for_update().get(pk=checkout_id)
            if (
                checkout.state in (Checkout.State.AWAITING_PAYMENT, Checkout.State.FAILED)
                and checkout.expires_at <= now
            ):
                states.transition(checkout, Checkout.State.EXPIRED, reason=gettext("not paid in time"))
                done += 1
    return done
