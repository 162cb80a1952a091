"""Domain events → in-site notices (beside e-mails) and webhook deliveries. Connected in NotificationsConfig.ready().

The trade apps' signals (orders, fulfilment, aftersales, payments) and the negotiation engine's rows are read here;
the modes, which sit above notifications, hand their own events over through `on_transition` (an aggregate's state
change recorded by core.states) from their AppConfig.ready(), e.g. c2c's "dispute opened", o2o's "voucher redeemed".
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tradeloop.core.money import format_money
from tradeloop.notifications import webhooks
from tradeloop.notifications.services import notify_many
from tradeloop.notifications.tasks import tell_seller_of_new_order
from tradeloop.orders.models import Order

NEW_ORDER = _("New order %(number)s")
NEW_ORDER_BODY = _("%(buyer)s ordered for %(total)s. Open it to prepare the shipment.")
QUOTE_RECEIVED = _("You received a quote from %(seller)s")
QUOTE_RECEIVED_BODY = _("Version %(version)s: accept it, counter it or let it expire.")
OFFER_COUNTERED = _("Your offer was countered")
OFFER_COUNTERED_BODY = _("Version %(version)s waits for your answer.")


class _Money:
    """An amount shown in the language active when the notice is written (the recipient's)."""

    def __init__(self, amount, currency: str):
        self.amount, self.currency = amount, currency

    def __str__(self) -> str:
        return format_money(self.amount, self.currency, translation.get_language() or "en")


# (subject type, new state) → handlers(event, obj); a mode registers them from its AppConfig.ready()
TRANSITIONS: dict[tuple[str, str], list[Callable]] = {}


def on_transition(subject_type: str, new_state: str, handler: Callable) -> None:
    """Call handler(event, obj) whenever an aggregate of `subject_type` ("c2c.dispute") reaches `new_state`, inside
    the transaction of the change (obj is loaded fresh; use notify() / webhooks.emit())."""
    TRANSITIONS.setdefault((subject_type, new_state), []).append(handler)


def _path(url_name: str, *args) -> str:
    try:
        return reverse(url_name, args=args)
    except NoReverseMatch:
        return ""


def staff(org, capability: str = "orders.fulfil") -> list:
    """The organization's active members whose role grants `capability` (owners and admins grant all)."""
    if org is None:
        return []
    return [
        m.user
        for m in org.memberships.select_related("user", "role").order_by("pk")
        if m.role.grants(capability) and m.user.is_active
    ]


# --- orders ---------------------------------------------------------------------------------------------------------


def order_data(order: Order) -> dict:
    return {
        "order": {
            "id": order.pk,
            "number": order.number,
            "mode": order.mode,
            "state": order.state,
            "seller": order.seller_id,
            "buyer_organization": order.buyer_org_id,
            "total": str(order.total),
            "refunded_total": str(order.refunded_total),
            "currency": order.currency,
            "placed_at": order.placed_at.isoformat() if order.placed_at else None,
        }
    }


def _order_event(order: Order, event_type: str, ref: str | None = None) -> None:
    webhooks.emit(
        organizations=[order.seller_id, order.buyer_org_id],
        event_type=event_type,
        data=order_data(order),
        ref=ref or f"order:{order.pk}",
    )


ORDER_EVENT_ON = {Order.State.PAID: "order.paid", Order.State.COMPLETED: "order.completed"}


def tell_staff_of_new_order(order: Order) -> int:
    """The seller's staff who fulfil orders get a notice and an e-mail (from the worker: see on_order_changed)."""
    return notify_many(
        recipients=staff(order.seller),
        kind="new_order",
        ref=f"order:{order.pk}",
        title=NEW_ORDER,
        body=NEW_ORDER_BODY,
        params={
            "number": order.number,
            "buyer": order.buyer.display_name,
            "total": _Money(order.total, order.currency),
        },
        link=_path("orders:console_order", order.seller_id, order.pk),
        email=True,
    )


def on_order_changed(sender, *, order, old, new, **kwargs) -> None:
    if not old:  # just placed: the webhook's delivery commits with the order; the staff hear of it from the worker
        _order_event(order, "order.placed")
        order_id = order.pk
        transaction.on_commit(lambda: tell_seller_of_new_order.delay(order_id), robust=True)
    if new in ORDER_EVENT_ON:
        _order_event(order, ORDER_EVENT_ON[new])


def on_shipped(sender, *, shipment, **kwargs) -> None:
    data = order_data(shipment.order)
    data["shipment"] = {
        "id": shipment.pk,
        "carrier": getattr(shipment, "carrier", ""),
        "tracking_number": getattr(shipment, "tracking_number", ""),
    }
    webhooks.emit(
        organizations=[shipment.order.seller_id, shipment.order.buyer_org_id],
        event_type="order.shipped",
        data=data,
        ref=f"shipment:{shipment.pk}",
    )


def on_refund_succeeded(sender, *, refund, **kwargs) -> None:
    payment = refund.payment
    for order in Order.objects.filter(payment=payment).select_related("seller"):
        data = order_data(order)
        data["refund"] = {"id": refund.pk, "amount": str(refund.amount), "currency": getattr(refund, "currency", "")}
        webhooks.emit(
            organizations=[order.seller_id, order.buyer_org_id],
            event_type="order.refunded",
            data=data,
            ref=f"refund:{refund.pk}:order:{order.pk}",
        )


# --- negotiations (B2B quotes, C2C offers) -----------------------------------------------------------------------------


def _negotiation_data(negotiation, proposal=None) -> dict:
    data = {
        "negotiation": {
            "id": negotiation.pk,
            "kind": negotiation.kind,
            "state": negotiation.state,
            "seller": negotiation.seller_id,
            "buyer_organization": negotiation.buyer_org_id,
            "product": negotiation.product_id,
            "currency": negotiation.currency,
            "version": negotiation.current_version,
            "result": negotiation.result_ref,
        }
    }
    if proposal is not None:
        data["proposal"] = {
            "number": proposal.number,
            "author_side": proposal.author_side,
            "valid_until": proposal.valid_until.isoformat(),
        }
    return data


def _answer_link(negotiation, side: str) -> str:
    from tradeloop.notifications.negotiations import PAGES

    pages = PAGES.get(negotiation.kind)
    if pages is None:
        return ""
    url_name, args = pages.buyer if side == "buyer" else pages.seller
    try:
        return _path(url_name, *args(negotiation))
    except Exception:  # noqa: BLE001 - a page that cannot be named: the notice still says what happened
        return ""


def on_proposal_saved(sender, *, instance, created, **kwargs) -> None:
    if not created:
        return
    negotiation = instance.negotiation
    params = {"seller": negotiation.seller.name, "version": instance.number}
    ref = f"negotiation:{negotiation.pk}:v{instance.number}"
    if negotiation.kind == "quote" and instance.author_side == "seller":
        webhooks.emit(
            organizations=[negotiation.seller_id, negotiation.buyer_org_id],
            event_type="quote.received",
            data=_negotiation_data(negotiation, instance),
            ref=ref,
        )
        notify_many(
            recipients=[negotiation.buyer],
            kind="quote_received",
            ref=ref,
            title=QUOTE_RECEIVED,
            body=QUOTE_RECEIVED_BODY,
            params=params,
            link=_answer_link(negotiation, "buyer"),
            email=True,
        )
    elif negotiation.kind == "offer" and instance.number > 1:
        other = "seller" if instance.author_side == "buyer" else "buyer"
        webhooks.emit(
            organizations=[negotiation.seller_id, negotiation.buyer_org_id],
            event_type="offer.countered",
            data=_negotiation_data(negotiation, instance),
            ref=ref,
        )
        notify_many(
            recipients=[negotiation.buyer] if other == "buyer" else staff(negotiation.seller),
            kind="offer_countered",
            ref=ref,
            title=OFFER_COUNTERED,
            body=OFFER_COUNTERED_BODY,
            params=params,
            link=_answer_link(negotiation, other),
            email=True,
        )


def on_negotiation_accepted(event, negotiation) -> None:
    event_type = {"quote": "quote.accepted", "offer": "offer.accepted"}.get(negotiation.kind)
    if event_type:
        webhooks.emit(
            organizations=[negotiation.seller_id, negotiation.buyer_org_id],
            event_type=event_type,
            data=_negotiation_data(negotiation),
            ref=f"negotiation:{negotiation.pk}",
        )


# --- any aggregate's transition (core.states records an Event row) ------------------------------------------------------


def on_event_saved(sender, *, instance, created, **kwargs) -> None:
    if not created:
        return
    handlers = TRANSITIONS.get((instance.subject_type, instance.new))
    if not handlers:
        return
    from django.apps import apps

    model = apps.get_model(instance.subject_type)
    obj = model._default_manager.filter(pk=instance.subject_id).first()
    if obj is None:
        return
    for handler in handlers:
        handler(instance, obj)


def connect() -> None:
    from django.db.models.signals import post_save

    from tradeloop.core.models import Event
    from tradeloop.fulfilment import signals as fulfilment
    from tradeloop.negotiation.models import Proposal
    from tradeloop.orders import signals as orders
    from tradeloop.payments import signals as payments

    orders.order_changed.connect(on_order_changed, dispatch_uid="notifications.events.order_changed")
    fulfilment.shipped.connect(on_shipped, dispatch_uid="notifications.events.shipped")
    payments.refund_succeeded.connect(on_refund_succeeded, dispatch_uid="notifications.events.refund")
    post_save.connect(on_proposal_saved, sender=Proposal, dispatch_uid="notifications.events.proposal")
    post_save.connect(on_event_saved, sender=Event, dispatch_uid="notifications.events.transition")
    on_transition("negotiation.negotiation", "accepted", on_negotiation_accepted)
