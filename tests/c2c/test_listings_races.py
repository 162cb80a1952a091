"""Several buyers pressing Buy now on one listing at once on PostgreSQL: exactly one order, the others out of stock."""

from __future__ import annotations

from tests.c2c.trading import listing
from tests.factories import UserFactory
from tests.races import RACE_MARKS, race
from tradeloop.c2c import listings
from tradeloop.checkout.models import Address
from tradeloop.orders.models import Order

pytestmark = RACE_MARKS


def test_concurrent_buy_now_makes_one_order():
    item = listing(price="300.00")
    buyers = [UserFactory() for _ in range(6)]
    for buyer in buyers:
        Address.objects.create(user=buyer, name="B", phone="1", line1="x", city="Wuxi")
    outcomes = race(lambda i: listings.buy_now(actor=buyers[i], listing_id=item.pk), racers=len(buyers))
    assert outcomes.count("ok") == 1 and set(outcomes) <= {"ok", "out_of_stock"}
    assert Order.objects.filter(checkout_ref=f"listing:{item.pk}").count() == 1
