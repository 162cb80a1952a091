"""crm listens to orders: each paid, confirmed, cancelled or refunded order refreshes its customer's summary row,
after the order's transaction commits (a CRM failure never undoes an order)."""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)

COUNTS = {"paid", "confirmed", "cancelled"}


def _refresh_on_commit(order) -> None:
    from tradeloop.crm import services

    key = services._key(order)

    def go() -> None:
        with transaction.atomic():
            services.refresh(*key)

    transaction.on_commit(go, robust=True)


def on_order_changed(sender, *, order, old, new, **kwargs) -> None:
    if new in COUNTS:
        _refresh_on_commit(order)


def on_order_refunded(sender, *, order, **kwargs) -> None:
    _refresh_on_commit(order)


def connect() -> None:
    from tradeloop.crm import services
    from tradeloop.orders import signals
    from tradeloop.promotions import eligibility

    signals.order_changed.connect(on_order_changed, dispatch_uid="crm.order_changed")
    signals.order_refunded.connect(on_order_refunded, dispatch_uid="crm.order_refunded")
    eligibility.register(services.AUDIENCE, services.may_use)
