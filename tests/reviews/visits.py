"""Builders for review tests: the integrity records (a voucher, a booking) in a chosen state, written as rows.

The deal and booking flows have their own services and tests; here only the record's state matters, so it is set
directly on rows built with tests/o2o/local.py.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from tests import factories
from tests.o2o import local
from tradeloop.core import clock
from tradeloop.o2o.models import Booking, Place, Voucher
from tradeloop.orders import services as orders


def _order_for(deal, buyer):
    variant = deal.product.variants.get()
    return orders.place_order(
        actor=buyer,
        buyer=buyer,
        seller=deal.product.seller,
        mode="o2o",
        currency=variant.currency,
        lines=[orders.LineIn(variant, 1, variant.price)],
        adjustments=[],
        commission_rate=0,
        shipping_method="",
        shipping_address={},
    )


def voucher(buyer=None, *, at: Place | None = None, state: str = Voucher.State.REDEEMED, deal=None) -> Voucher:
    """A voucher of a deal valid at `at`, bought by `buyer` (an order placed, not paid: no money moves here), in
    `state`; a redeemed one was redeemed an hour ago at `at`."""
    at = at or local.place()
    deal = deal or local.deal(at)
    buyer = buyer or factories.UserFactory()
    order = _order_for(deal, buyer)
    now = clock.now()
    redeemed = state == Voucher.State.REDEEMED
    return Voucher.objects.create(
        deal=deal,
        order=order,
        line=order.lines.get(),
        buyer=buyer,
        code=secrets.token_hex(10),
        state=state,
        price=deal.product.variants.get().price,
        currency="CNY",
        valid_until=now + timedelta(days=90),
        redeemed_at=now - timedelta(hours=1) if redeemed else None,
        redeemed_place=at if redeemed else None,
    )


def booking(consumer=None, *, at: Place | None = None, state: str = Booking.State.COMPLETED) -> Booking:
    """A booking of a service at `at` for `consumer`, yesterday 10:00–11:00, in `state`."""
    at = at or local.place()
    service = local.service(at)
    consumer = consumer or factories.UserFactory()
    starts = clock.now().replace(hour=2, minute=0, second=0, microsecond=0) - timedelta(days=1)
    return Booking.objects.create(
        service=service,
        staff=service.staff.get(),
        place=at,
        consumer=consumer,
        state=state,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        price=service.product.variants.get().price,
        currency="CNY",
    )
