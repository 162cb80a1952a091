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


def offered_c2c_order(*, countered: bool, buyer=None):
    """A listing sold through an offer: the buyer offers 80 % of the asking price; the seller accepts, or counters
    at 90 % and the buyer accepts that; the order the offer placed is paid."""
    from tradeloop.c2c import offers
    from tradeloop.checkout.models import Address
    from tradeloop.orders.models import Order

    item = listing()
    buyer = buyer or factories.UserFactory()
    Address.objects.get_or_create(user=buyer, defaults={"name": "Mei", "line1": "1 Road", "city": "Hangzhou"})
    asking = offers.asking_price(item)
    offer = offers.make_offer(actor=buyer, listing_id=item.pk, amount=asking * Decimal("0.8"))
    seller = offers.seller_agent(item)
    if countered:
        offers.counter(actor=seller, offer_id=offer.pk, version=1, amount=asking * Decimal("0.9"))
        offers.accept(actor=buyer, offer_id=offer.pk, version=2)
    else:
        offers.accept(actor=seller, offer_id=offer.pk, version=1)
    return factories.pay_placed(Order.objects.get(checkout_ref=f"offer:{offer.pk}"))


def shipped_c2c_order(**kwargs):
    order = paid_c2c_order(**kwargs)
    fulfilment.ship(
        actor=order.seller.owner, order=order, lines=None, carrier="SF Express", tracking_number=f"SF{order.pk:08d}"
    )
    order.refresh_from_db()
    return order


def commission_of(order) -> Decimal:
    return (order.total * order.commission_rate).quantize(Decimal("0.01"))
