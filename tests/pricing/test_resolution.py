"""What this actor pays for this variant, in this quantity, now: contract price list → public quantity tier → list
price, then promotions (the precedence rule of pricing.selectors' docstring), as one table."""

from decimal import Decimal

import pytest

from tests import factories
from tradeloop.core import clock
from tradeloop.core.money import Money
from tradeloop.pricing import selectors as prices
from tradeloop.pricing import services as pricing
from tradeloop.pricing.models import PriceList

pytestmark = pytest.mark.django_db


def cny(amount) -> Money:
    return Money(Decimal(str(amount)), "CNY")


def _change_list(trade, name, **changes):
    price_list = trade[name]
    PriceList.objects.filter(pk=price_list.pk).update(**changes)


SETUPS = {
    "none": lambda trade: None,
    "acme list expired": lambda trade: _change_list(trade, "contract", valid_until=trade["now"] - trade["day"]),
    "acme list not yet valid": lambda trade: _change_list(trade, "contract", valid_from=trade["now"] + trade["day"]),
    "acme list valid now": lambda trade: _change_list(
        trade, "contract", valid_from=trade["now"] - trade["day"], valid_until=trade["now"] + trade["day"]
    ),
    "acme list switched off": lambda trade: _change_list(trade, "contract", is_active=False),
    "acme also gets beta's cheaper list, lower priority": lambda trade: pricing.set_buyers(
        actor=trade["supplier"].owner,
        seller=trade["supplier"],
        price_list_id=trade["beta_list"].pk,
        buyers=[trade["beta"].pk, trade["acme"].pk],
    ),
    "acme also gets beta's list, at a higher priority": lambda trade: (
        pricing.set_buyers(
            actor=trade["supplier"].owner,
            seller=trade["supplier"],
            price_list_id=trade["beta_list"].pk,
            buyers=[trade["acme"].pk],
        ),
        _change_list(trade, "beta_list", priority=20),
    ),
}

# (who, quantity, setup) → (source, unit price)
TABLE = [
    ("guest", 1, "none", "list", "10.00"),
    ("guest", 99, "none", "list", "10.00"),
    ("guest", 100, "none", "tier", "9.00"),
    ("guest", 499, "none", "tier", "9.00"),
    ("guest", 500, "none", "tier", "8.00"),
    ("consumer", 1, "none", "list", "10.00"),
    ("consumer", 500, "none", "tier", "8.00"),
    ("seller of another store", 100, "none", "tier", "9.00"),
    ("acme purchaser", 1, "none", "contract", "9.50"),
    ("acme purchaser", 150, "none", "contract", "9.50"),  # the contract overrides the public 9.00 tier
    ("acme purchaser", 200, "none", "contract", "8.50"),  # the list's own tier
    ("acme purchaser", 600, "none", "contract", "8.50"),  # … still over the public 8.00 tier
    ("beta purchaser", 1, "none", "contract", "7.00"),  # another company's list, not Acme's
    ("acme purchaser", 1, "acme list expired", "list", "10.00"),
    ("acme purchaser", 100, "acme list expired", "tier", "9.00"),
    ("acme purchaser", 1, "acme list not yet valid", "list", "10.00"),
    ("acme purchaser", 1, "acme list valid now", "contract", "9.50"),
    ("acme purchaser", 1, "acme list switched off", "list", "10.00"),
    ("acme purchaser", 1, "acme also gets beta's cheaper list, lower priority", "contract", "9.50"),
    ("acme purchaser", 1, "acme also gets beta's list, at a higher priority", "contract", "7.00"),
]


def _actor(trade, who):
    return {
        "guest": None,
        "consumer": trade["consumer"],
        "seller of another store": trade["other"].owner,
        "acme purchaser": trade["purchaser"],
        "beta purchaser": trade["beta"].owner,
    }[who]


@pytest.mark.parametrize(("who", "quantity", "setup", "source", "unit"), TABLE)
def test_price_resolution(trade, who, quantity, setup, source, unit):
    SETUPS[setup](trade)
    price = prices.unit_prices(actor=_actor(trade, who), asks=[prices.Ask(trade["adc"], quantity)], now=clock.now())[0]
    assert (price.source, price.unit, price.subtotal) == (source, cny(unit), cny(unit) * quantity)


def test_the_validity_window_follows_the_clock(trade, clock):
    _change_list(trade, "contract", valid_until=clock.now() + trade["day"])
    ask = [prices.Ask(trade["adc"], 1)]
    assert prices.unit_prices(actor=trade["purchaser"], asks=ask, now=clock.now())[0].source == "contract"
    clock.advance(days=1)
    assert prices.unit_prices(actor=trade["purchaser"], asks=ask, now=clock.now())[0].source == "list"


def test_promotions_stay_on_top_of_the_contract_price(trade):
    factories.promotion(trade["supplier"], value=10)
    quote = prices.unit_price(actor=trade["purchaser"], variant=trade["adc"], quantity=10, now=clock.now())
    assert (quote.price.source, quote.subtotal, quote.total) == ("contract", cny(95), cny("85.50"))


def test_a_list_in_another_currency_does_not_price_the_variant(trade):
    price_list = trade["contract"]
    PriceList.objects.filter(pk=price_list.pk).update(currency="USD")
    price = prices.unit_prices(actor=trade["purchaser"], asks=[prices.Ask(trade["adc"], 1)], now=clock.now())[0]
    assert price.source == "list"


def test_a_basket_of_many_lines_costs_two_queries(trade, django_assert_max_num_queries):
    supplier = trade["supplier"]
    variants = [factories.published_product(supplier, title=f"Part {i}", price="5").variants.get() for i in range(30)]
    pricing.set_entries(
        actor=supplier.owner,
        seller=supplier,
        price_list_id=trade["contract"].pk,
        entries=[pricing.EntryInput(variant_id=v.pk, unit_price=Decimal("4")) for v in variants]
        + [pricing.EntryInput(variant_id=trade["adc"].pk, unit_price=Decimal("9.5"))],
    )
    for v in variants:
        pricing.set_tiers(actor=supplier.owner, seller=supplier, variant_id=v.pk, tiers=[pricing.TierInput(10, "4.5")])
    asks = [prices.Ask(v, 20) for v in variants] + [prices.Ask(trade["adc"], 100)]
    with django_assert_max_num_queries(2):
        found = prices.unit_prices(actor=trade["purchaser"], asks=asks, now=clock.now())
    assert {p.source for p in found} == {"contract"}
    with django_assert_max_num_queries(1):  # a guest: the tiers only
        found = prices.unit_prices(actor=None, asks=asks, now=clock.now())
    assert [p.unit for p in found] == [cny("4.50")] * 30 + [cny(9)]
