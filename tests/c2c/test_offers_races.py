"""Several sellers' sessions accepting different offers on one listing at once on PostgreSQL: exactly one order, the
other offers declined."""

from __future__ import annotations

from decimal import Decimal

from tests.c2c.trading import listing
from tests.factories import UserFactory
from tests.races import RACE_MARKS, race
from tradeloop.c2c import offers
from tradeloop.negotiation.models import Negotiation
from tradeloop.orders.models import Order

pytestmark = RACE_MARKS


def test_concurrent_accepts_of_different_offers_make_one_order():
    item = listing(price="300.00")
    seller = item.product.seller.owner
    made = [offers.make_offer(actor=UserFactory(), listing_id=item.pk, amount=Decimal(200 + n)) for n in range(6)]
    outcomes = race(lambda i: offers.accept(actor=seller, offer_id=made[i].pk, version=1), racers=len(made))
    assert outcomes.count("ok") == 1 and set(outcomes) <= {"ok", "closed", "out_of_stock"}
    assert Order.objects.filter(checkout_ref__startswith="offer:").count() == 1
    states = sorted(Negotiation.objects.filter(kind="offer").values_list("state", flat=True))
    assert states == ["accepted"] + ["declined"] * 5


def test_concurrent_offers_at_the_auto_accept_amount_make_one_order():
    item = listing(price="300.00", auto_accept_at=Decimal("250.00"))
    buyers = [UserFactory() for _ in range(6)]
    outcomes = race(
        lambda i: offers.make_offer(actor=buyers[i], listing_id=item.pk, amount=Decimal("260")), racers=len(buyers)
    )
    assert outcomes == ["ok"] * len(buyers)
    assert Order.objects.filter(checkout_ref__startswith="offer:").count() == 1
    states = sorted(Negotiation.objects.filter(kind="offer").values_list("state", flat=True))
    assert states.count("accepted") == 1  # the later ones wait for the seller: the item is reserved
