"""The demo's C2C marketplace, written through the services (idempotent: what exists is kept).

Li Na and Zhou Ming sell second-hand things from Nanjing. Chen Xiao (the consumer) has: an open offer thread on
Li Na's camera (she offered, Li Na countered: Chen Xiao's turn); a lens bought and shipped, its money in escrow
with the auto-confirm clock running; a folding bike shipped with a dispute open ("not as described"); Python
books received, confirmed and rated both ways. The Three-Body set expired (Li Na can renew it).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tradeloop.accounts.models import Organization, User
from tradeloop.c2c import disputes, escrow, listings, offers, ratings
from tradeloop.c2c.models import DeliverySpeed, Dispute, Listing, Rating
from tradeloop.catalog.models import Product
from tradeloop.checkout import addresses
from tradeloop.checkout.models import Address
from tradeloop.core import clock
from tradeloop.demo.paying import pay_in_sandbox
from tradeloop.fulfilment import services as fulfilment
from tradeloop.negotiation.models import Negotiation
from tradeloop.orders.models import Order

PICKUP_ONLY = {"ZM-BIKE"}  # "Pick up in Xianlin"
POSTED = {"LN-3BODY", "ZM-PYBOOKS"}  # books go by ordinary post


def _listing_rows(seller: Organization) -> None:
    """Every listing product the content loader made gets its C2C side: where, how it travels, how long it runs."""
    city = seller.city or "Nanjing"
    for product in seller.products.filter(kind=Product.Kind.LISTING).prefetch_related("variants"):
        sku = product.variants.all()[0].sku
        if sku in PICKUP_ONLY:
            travel = {"ships": False, "local_pickup": True, "delivery_speed": DeliverySpeed.VIRTUAL}
        else:
            speed = DeliverySpeed.POST if sku in POSTED else DeliverySpeed.EXPRESS
            travel = {"ships": True, "shipping_fee": Decimal("12.00"), "delivery_speed": speed}
        Listing.objects.get_or_create(
            product=product,
            defaults={"city": city, "expires_at": clock.now() + listings.listing_days(), **travel},
        )


def _owner(org: Organization) -> User:
    return org.memberships.select_related("user").get(role__code="owner").user


def _listing(sku: str) -> Listing:
    return Listing.objects.select_related("product__seller").get(product__variants__sku=sku)


def _address(buyer: User) -> None:
    if not Address.objects.filter(user=buyer).exists():
        addresses.save_address(
            actor=buyer,
            data={
                "name": "Chen Xiao (陈晓)",
                "phone": "+86 138 0000 0000",
                "line1": "21 Hankou Road, Gulou District (南京市鼓楼区汉口路21号)",
                "city": "Nanjing",
                "region": "Jiangsu",
                "postcode": "210008",
                "is_default": True,
            },
        )


def _bought(buyer: User, sku: str) -> Order:
    """Chen Xiao buys the item now and pays on the sandbox gateway (its webhook handled in-process)."""
    item = _listing(sku)
    existing = Order.objects.filter(buyer=buyer, lines__variant__product=item.product).first()
    if existing is not None:
        return existing
    return pay_in_sandbox(listings.buy_now(actor=buyer, listing_id=item.pk), buyer)


def _shipped(order: Order, carrier: str, tracking: str) -> Order:
    if order.state == Order.State.PAID:
        fulfilment.ship(actor=_owner(order.seller), order=order, lines=None, carrier=carrier, tracking_number=tracking)
        order.refresh_from_db()
    return order


def _offer_thread(buyer: User) -> None:
    camera = _listing("LN-XT3")
    if Negotiation.objects.filter(kind=Negotiation.Kind.OFFER, product=camera.product, buyer=buyer).exists():
        return
    offer = offers.make_offer(actor=buyer, listing_id=camera.pk, amount="4600.00", note="能包邮吗？Free shipping?")
    offers.counter(
        actor=offers.seller_agent(camera),
        offer_id=offer.pk,
        version=1,
        amount="4900.00",
        note="4900 包顺丰。4,900 with SF Express included.",
    )


def _disputed(buyer: User) -> None:
    order = _shipped(_bought(buyer, "ZM-FOLD"), "YTO Express", "YT7700112233")
    if not Dispute.objects.filter(escrow__order=order).exists():
        disputes.open_dispute(
            actor=buyer,
            order_id=order.pk,
            reason=Dispute.Reason.NOT_AS_DESCRIBED,
            description="The frame has a crack near the hinge that the listing did not show. 车架铰链处有裂纹，描述里没有提到。",
        )


def _completed_and_rated(buyer: User) -> None:
    order = _shipped(_bought(buyer, "ZM-PYBOOKS"), "China Post", "CP990011223344")
    if order.state == Order.State.SHIPPED:
        escrow.confirm_receipt(actor=buyer, order_id=order.pk)
    if not Rating.objects.filter(order=order).exists():
        ratings.rate(
            actor=buyer,
            order_id=order.pk,
            stars=5,
            text="Books exactly as described, well packed. 和描述一致，包装很好。",
            as_described=5,
            communication=5,
            shipping=4,
        )
        ratings.rate(actor=_owner(order.seller), order_id=order.pk, stars=5, text="Quick payment, thanks! 付款爽快。")


def _expired(sku: str) -> None:
    item = _listing(sku)
    if item.state == Listing.State.ACTIVE:
        Listing.objects.filter(pk=item.pk).update(expires_at=clock.now() - timedelta(minutes=1))
        listings.sweep_expired_listings(clock.now())


def load(*, sellers: list[Organization], buyer: User) -> None:
    for seller in sellers:
        _listing_rows(seller)
    _address(buyer)
    _offer_thread(buyer)
    _shipped(_bought(buyer, "LN-EF50"), "SF Express", "SF1300224455")
    _disputed(buyer)
    _completed_and_rated(buyer)
    _expired("LN-3BODY")
