from celery import shared_task

from tradeloop.core import clock
from tradeloop.orders.services import sweep_completed_orders, sweep_unpaid_orders


@shared_task
def cancel_unpaid_orders() -> int:
    """Orders not paid within TRADELOOP_PAYMENT_TIMEOUT_MINUTES are cancelled; stock and coupons come back."""
    return sweep_unpaid_orders(clock.now())


@shared_task
def complete_orders() -> int:
    """Delivered orders whose return window has passed complete; the seller's money becomes payable."""
    return sweep_completed_orders(clock.now())
