"""Baskets are priced in one place: pricing's unit prices, then promotions' engine; checkout and the cart ask it."""

from decimal import Decimal

import pytest

from tests import factories
from tests.checkout.conftest import fill_cart
from tests.promotions.conftest import line
from tradeloop.checkout import selectors as cart_selectors
from tradeloop.checkout import services as checkout
from tradeloop.checkout.cart import CartOwner
from tradeloop.core import clock
from tradeloop.core.money import Money
from tradeloop.orders.models import OrderLine
from tradeloop.pricing import selectors as prices
from tradeloop.pricing import services as pricing
from tradeloop.promotions import services as promotions

pytestmark = pytest.mark.django_db


def cny(amount) -> Money:
    return Money(Decimal(str(amount)), "CNY")


class TenPercentFromFive:
    """A quantity tier, as B2B price lists will add them: 10% off the list price from 5 units."""

    name = "tier"

    def prices(self, *, actor, asks, now):
        return {i: ask.variant.price * Decimal("0.9") for i, ask in enumerate(asks) if ask.quantity >= 5}


@pytest.fixture
def tiers(monkeypatch):
    monkeypatch.setattr(prices, "SOURCES", (TenPercentFromFive(), prices.ListPrice()))


@pytest.fixture
def goods(merchant):
    other = factories.seller_with_owner(name="Bakery")
    return {
        "other": other,
        "apples": factories.published_product(merchant, title="Apples", price="100"),
        "pears": factories.published_product(merchant, title="Pears", price="50"),
        "bread": factories.published_product(other, title="Bread", price="30"),
    }


def test_a_checkout_is_priced_as_promotions_priced_it_before(user, merchant, goods):
    factories.promotion(merchant, value=10)
    factories.promotion(merchant, code="FIVE", kind="fixed", value=5, stackable=True)
    factories.promotion(None, code="PLAT3", kind="fixed", value=3)
    factories.promotion(goods["other"], kind="free_shipping", min_spend=50)
    codes, now = ["FIVE", "PLAT3"], clock.now()
    asks = [
        prices.Ask(goods["apples"].variants.get(), 2),
        prices.Ask(goods["pears"].variants.get(), 1),
        prices.Ask(goods["bread"].variants.get(), 3),
    ]
    baskets = pricing.baskets(actor=user, asks=asks, now=now)
    for basket, shipping in zip(baskets, (cny(10), cny(8)), strict=True):
        basket.shipping = shipping
    priced = pricing.price_checkout(actor=user, baskets=baskets, codes=codes, now=now)

    before = promotions.price_checkout(
        buyer=user,
        baskets=[
            promotions.SellerBasket(merchant, [line(goods["apples"], 2), line(goods["pears"])], cny(10)),
            promotions.SellerBasket(goods["other"], [line(goods["bread"], 3)], cny(8)),
        ],
        codes=codes,
        now=now,
    )
    assert [b.seller for b in baskets] == [merchant, goods["other"]]
    assert [p.breakdown for p in priced.baskets] == before
    assert priced.total == before[0].total + before[1].total
    assert [item.total for item in priced.baskets[0].items] == [r.total for r in before[0].lines]


def test_one_seller_basket(user, merchant, goods):
    factories.promotion(merchant, code="FIVE", kind="fixed", value=5)
    basket = pricing.baskets(actor=user, asks=[prices.Ask(goods["pears"].variants.get(), 2)], now=clock.now())[0]
    priced = pricing.price_basket(actor=user, basket=basket, codes=["FIVE"], now=clock.now())
    assert (basket.subtotal, priced.total, priced.breakdown.shipping_total) == (cny(100), cny(95), cny(0))


def test_the_checkout_quote_is_pricings_total(buyer, shop):
    factories.promotion(shop["tea_house"], value=10)
    fill_cart(buyer, [(shop["tea"], 2), (shop["apples"], 3)])
    quote = checkout.quote_checkout(buyer=buyer)

    asks = [prices.Ask(shop["tea"], 2), prices.Ask(shop["apples"], 3)]
    baskets = pricing.baskets(actor=buyer, asks=asks, now=clock.now())
    for basket, part in zip(baskets, quote.parts, strict=True):
        basket.shipping = part.breakdown.shipping_total
    assert quote.total == pricing.price_checkout(actor=buyer, baskets=baskets, now=clock.now()).total
    assert quote.total == cny("158.40") + cny(12) + cny("37.50") + cny(8)  # 176 − 10 %, apples under 100: shipped


def test_a_new_price_source_reaches_the_cart_the_quote_and_the_order_unchanged(tiers, buyer, address, shop):
    fill_cart(buyer, [(shop["tea"], 5), (shop["apples"], 1)])

    cart = cart_selectors.cart_view(CartOwner(user=buyer))
    assert [(line.unit_price, line.line_total) for line in cart.lines] == [
        (Decimal("12.50"), Decimal("12.50")),
        (Decimal("79.2"), Decimal("396.0")),
    ]
    quote = checkout.quote_checkout(buyer=buyer)
    assert [rows for part in quote.parts for rows in part.rows][0][1] == Decimal("396.0")
    assert quote.total == cny(396) + cny(12) + cny("12.50") + cny(8)

    checkout.place(buyer=buyer, address_id=address.pk, shipping_choices={}, coupon_codes=[], key="tier-1")
    tea = OrderLine.objects.get(variant=shop["tea"])
    assert (tea.unit_price, tea.line_total) == (Decimal("79.2"), Decimal("396"))
