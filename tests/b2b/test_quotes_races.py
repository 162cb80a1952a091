"""Two purchasers accepting the same quote version at once on PostgreSQL: one order, the other refused."""
# ruff: noqa: F811 - the fixtures imported from tests.b2b.quoting are arguments of the tests

from tests import factories
from tests.b2b.quoting import category, company, direct_rfq, purchaser, quote, sku, supplier  # noqa: F401
from tests.races import RACE_MARKS, race
from tradeloop.b2b import quotes
from tradeloop.orders.models import Order

pytestmark = RACE_MARKS


def test_two_concurrent_accepts_make_one_order(quote, purchaser, company):
    colleague = factories.member(company, "buyer")
    people = [purchaser, colleague]
    outcomes = race(lambda i: quotes.accept(actor=people[i], quote_id=quote.pk, version=1), racers=2)
    assert sorted(outcomes) == ["already_accepted", "ok"]
    assert Order.objects.filter(checkout_ref=f"quote:{quote.pk}").count() == 1
