"""The demo's buyers pay on the sandbox gateway, its webhook handled in-process (no server needed)."""

from __future__ import annotations

from tradeloop.accounts.models import User
from tradeloop.checkout import services as checkout
from tradeloop.orders.models import Order
from tradeloop.payments.providers import sandbox


def pay_in_sandbox(order: Order, buyer: User) -> Order:
    placed = checkout.pay_placed_orders([order], buyer)
    payment = placed.checkout.payment
    sandbox.deliver_inline(
        sandbox.new_event(
            sandbox.PAYMENT_CAPTURED,
            payment=payment.token,
            amount=str(payment.amount),
            currency=payment.currency,
            provider_ref=payment.provider_ref,
        )
    )
    order.refresh_from_db()
    return order
