"""Helpers for C2C tests: a private seller's listing, a paid escrow order on it, shipped."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tests import factories
from tradeloop.c2c.models import Listing
from tradeloop.core import clock
from tradeloop.fulfilment import services as fulfilment


def listing(*, seller=None, price: str = "300.00", title: str = "Kindle Paperwhite", **fields) -> Listing:
    """A published listing (a catalog product of kind listing, stock 1) with its Listing row."""
    seller = seller or factories.seller_with_owner(kind="personal")
    product = factories.published_product(seller=seller, title=title, price=price, stock=1, kind="listing")
    fields.setdefault("city", "Hangzhou")
    fields.setdefault("expires_at", clock.now() + timedelta(days=120))
    return Listing.objects.create(product=product, **fields)


def paid_c2c_order(*, item: Listing | None = None, buyer=None, shipping: str = "0", commission_rate: str = "0.05"):
    item = item or listing()
    return factories.paid_order(
        seller=item.product.seller,
        buyer=buyer,
        items=[(item.product.variants.get(), 1)],
        shipping=shipping,
        commission_rate=commission_rate,
        mode="c2c",
    )


def shipped_c2c_order(**kwargs):
    order = paid_c2c_order(**kwargs)
    fulfilment.ship(
        actor=order.seller.owner, order=order, lines=None, carrier="SF Express", tracking_number=f"SF{order.pk:08d}"
    )
    order.refresh_from_db()
    return order


def commission_of(order) -> Decimal:
    return (order.total * order.commission_rate).quantize(Decimal("0.01"))
