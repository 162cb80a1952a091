"""Which changes send which e-mail. Connected in NotificationsConfig.ready(); each queues a job on commit."""

from __future__ import annotations

from tradeloop.notifications.services import queue_order_email
from tradeloop.orders.models import Order

BUYER_EMAIL_ON = {  # order state reached → e-mail kind
    Order.State.AWAITING_APPROVAL: "held",
    Order.State.PENDING_PAYMENT: "placed",
    Order.State.CONFIRMED: "confirmed",
    Order.State.PAID: "paid",
    Order.State.DELIVERED: "delivered",
    Order.State.CANCELLED: "cancelled",
}


def on_order_changed(sender, *, order, old, new, **kwargs) -> None:
    if old == Order.State.AWAITING_APPROVAL:  # approved, rejected or not decided in time: one e-mail says which
        queue_order_email(order, "approval_decided")
        return
    if new == Order.State.AWAITING_APPROVAL:
        queue_order_email(order, "approval_requested")
    kind = BUYER_EMAIL_ON.get(new)
    if kind == "placed" and old:
        return  # "placed" is only for a new order (an approved prepay order: the approval notice says it)
    if kind:
        queue_order_email(order, kind)


def on_shipped(sender, *, shipment, **kwargs) -> None:
    queue_order_email(shipment.order, "shipped", f"shipment:{shipment.pk}")


def on_ship_deadline_near(sender, *, order, **kwargs) -> None:
    queue_order_email(order, "ship_reminder")


def on_return_refunded(sender, *, return_request, **kwargs) -> None:
    queue_order_email(return_request.order, "refunded", f"return:{return_request.pk}")


def on_return_rejected(sender, *, return_request, **kwargs) -> None:
    queue_order_email(return_request.order, "return_rejected", f"return:{return_request.pk}")


def on_signed_in(sender, *, request, user, **kwargs) -> None:
    """Count the unread notices at sign-in, so the pages that follow show the header's badge without a query."""
    from tradeloop.notifications.selectors import unread_count
    from tradeloop.notifications.services import forget_unread

    forget_unread(user.pk)
    unread_count(user)


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(on_signed_in, dispatch_uid="notifications.signed_in")
    from tradeloop.aftersales import signals as aftersales
    from tradeloop.fulfilment import signals as fulfilment
    from tradeloop.orders import signals as orders

    orders.order_changed.connect(on_order_changed, dispatch_uid="notifications.order_changed")
    fulfilment.shipped.connect(on_shipped, dispatch_uid="notifications.shipped")
    fulfilment.ship_deadline_near.connect(on_ship_deadline_near, dispatch_uid="notifications.ship_deadline_near")
    aftersales.return_refunded.connect(on_return_refunded, dispatch_uid="notifications.return_refunded")
    aftersales.return_rejected.connect(on_return_rejected, dispatch_uid="notifications.return_rejected")

    from tradeloop.notifications import negotiations

    negotiations.connect()  # a proposal's reminder a day before it expires
