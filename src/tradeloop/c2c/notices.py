"""c2c's events for notifications (an in-site notice with its e-mail) and organization webhooks.

Registered from C2cConfig.ready(): a dispute opened tells the seller, who must answer it by its deadline."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

DISPUTE_OPENED = _("A buyer opened a dispute on order %(number)s")
DISPUTE_OPENED_BODY = _("Answer it by %(when)s, or the platform decides without your side.")


def on_dispute_opened(event, dispute) -> None:
    from django.utils import timezone

    from tradeloop.notifications import webhooks
    from tradeloop.notifications.events import order_data, staff
    from tradeloop.notifications.services import notify_many

    order = dispute.escrow.order
    data = order_data(order)
    data["dispute"] = {
        "id": dispute.pk,
        "reason": dispute.reason,
        "state": dispute.state,
        "answer_by": dispute.answer_by.isoformat(),
    }
    webhooks.emit(organizations=[order.seller_id], event_type="dispute.opened", data=data, ref=f"dispute:{dispute.pk}")
    notify_many(
        recipients=staff(order.seller, "orders.fulfil"),
        kind="dispute_opened",
        ref=f"dispute:{dispute.pk}",
        title=DISPUTE_OPENED,
        body=DISPUTE_OPENED_BODY,
        params={"number": order.number, "when": timezone.localtime(dispute.answer_by).strftime("%Y-%m-%d %H:%M")},
        link=reverse("c2c:dispute", args=[dispute.pk]),
        email=True,
    )


def register() -> None:
    from tradeloop.notifications.events import on_transition

    on_transition("c2c.dispute", "awaiting_seller", on_dispute_opened)
