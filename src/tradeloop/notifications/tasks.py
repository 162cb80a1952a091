from smtplib import SMTPException

from celery import shared_task

from tradeloop.notifications.services import _send_once, order_email
from tradeloop.orders.models import Order


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_kwargs={"max_retries": 8})
def send_order_email(order_id: int, kind: str, ref: str | None = None) -> int:
    """Idempotent (EmailLog): a retry or a duplicate delivery of this job sends nothing twice."""
    order = Order.objects.select_related("buyer", "seller").filter(pk=order_id).first()
    if order is None:
        return 0
    return order_email(order=order, kind=kind, ref=ref)


@shared_task
def tell_seller_of_new_order(order_id: int) -> int:
    """A new order's notices to the seller's staff, after its placing committed (once each: a retry adds none)."""
    from tradeloop.notifications.events import tell_staff_of_new_order

    order = Order.objects.select_related("seller", "buyer").filter(pk=order_id).first()
    return 0 if order is None else tell_staff_of_new_order(order)


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_kwargs={"max_retries": 8})
def send_notice_email(*, kind: str, ref: str, to: str, subject: str, text: str, html: str) -> bool:
    """The e-mail beside an in-site notice (notify(email=True)); once per (kind, ref, to)."""
    return _send_once(kind=kind, ref=ref, to=to, subject=subject, text=text, html=html, twin=False)


@shared_task
def deliver_webhook(delivery_id: int) -> bool:
    """First try of a webhook delivery, right after the event commits; retries come from retry_webhooks."""
    from tradeloop.core import clock
    from tradeloop.notifications.webhooks import attempt

    return attempt(delivery_id, clock.now()) is not None


@shared_task
def retry_webhooks() -> int:
    from tradeloop.core import clock
    from tradeloop.notifications.webhooks import sweep_webhook_retries

    return sweep_webhook_retries(clock.now())
