"""Demo: what the insight pages show from the first start. Chen Xiao and two neighbours bought fruit from Wang's
shop and got it; Chen Xiao reviewed the first fruit (Wang replied) and suggested Sunday delivery, which the
neighbours voted for and Wang planned; in the console Wang's regulars are tagged and make a segment."""

from __future__ import annotations

from decimal import Decimal

from tradeloop.accounts.models import Organization, User
from tradeloop.crm import services as crm
from tradeloop.demo.paying import pay_in_sandbox
from tradeloop.feedback import services as feedback
from tradeloop.feedback.models import Suggestion
from tradeloop.fulfilment import services as fulfilment
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order
from tradeloop.reviews import services as reviews

REVIEW = "很新鲜，第二天就到了，个头很大。Very fresh, big ones, here the next day."
REPLY = "谢谢陈小姐！每天清晨采摘。Thank you! We pick them every morning."
SUGGESTION = "周日也能送货吗？Could you deliver on Sundays too?"
PLANNED = "明年三月起周日也送货。Sunday delivery starts in March."


def _owner(org: Organization) -> User:
    return org.memberships.select_related("user").get(role__code="owner").user


def _delivered(shop: Organization, buyer: User, variants, n: int) -> Order:
    order = orders.place_order(
        actor=buyer,
        buyer=buyer,
        seller=shop,
        mode="b2c",
        currency=shop.currency,
        lines=[orders.LineIn(variant, 1 + n % 2, variant.price) for variant in variants],
        adjustments=[orders.AdjustmentIn("shipping", "Standard", Decimal("8.00"))],
        shipping_method="Standard",
        shipping_address={"name": buyer.display_name, "line1": f"{18 + n} Hanzhong Road", "city": "Nanjing"},
    )
    order = pay_in_sandbox(order, buyer)
    parcel = fulfilment.ship(
        actor=_owner(shop), order=order, lines=None, carrier="SF Express", tracking_number=f"SF13100{order.pk:05d}"
    )
    fulfilment.mark_delivered(actor=_owner(shop), shipment_id=parcel.pk)
    return order


def load(*, shop: Organization, buyer: User, neighbours: list[User]) -> None:
    if Suggestion.objects.filter(seller=shop).exists():
        return  # loaded before
    owner = _owner(shop)
    goods = [p.variants.filter(is_active=True).first() for p in shop.products.filter(status="published")[:3]]
    goods = [variant for variant in goods if variant is not None]
    bought = [_delivered(shop, person, goods[: 2 + n % 2], n) for n, person in enumerate([buyer, *neighbours])]
    review = reviews.write_review(
        actor=buyer, record_kind="order_line", record_id=bought[0].lines.first().pk, stars=5, text=REVIEW
    )
    reviews.reply(actor=owner, review_id=review.pk, text=REPLY)
    suggestion = feedback.suggest(actor=buyer, store_id=shop.pk, text=SUGGESTION)
    for person in neighbours:
        feedback.vote(actor=person, suggestion_id=suggestion.pk)
    feedback.set_status(actor=owner, suggestion_id=suggestion.pk, status="planned", reply=PLANNED)
    customers = [crm.refresh_for(order) for order in bought]  # the summaries follow on commit; the tags need them now
    crm.tag_customers(actor=owner, seller=shop, customer_ids=[c.pk for c in customers if c], tag="Nanjing regulars")
    crm.create_segment(actor=owner, seller=shop, name="Regulars · 回头客", rules=[{"kind": "min_orders", "value": 1}])
