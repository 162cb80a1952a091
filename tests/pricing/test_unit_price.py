"""What this actor pays for this variant, in this quantity, now: the list price, then the automatic promotions."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tradeloop.catalog import services as catalog
from tradeloop.core import clock
from tradeloop.core.errors import ValidationFailed
from tradeloop.core.money import Money
from tradeloop.pricing import selectors as pricing
from tradeloop.pricing.selectors import NotForSale

pytestmark = pytest.mark.django_db


def cny(amount) -> Money:
    return Money(Decimal(str(amount)), "CNY")


@pytest.fixture
def apples(merchant):
    return factories.published_product(merchant, title="Apples", price="20").variants.get()


def test_the_list_price_times_the_quantity(user, apples, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        quote = pricing.unit_price(actor=user, variant=apples, quantity=3, now=clock.now())
    assert (quote.unit_price, quote.subtotal, quote.discount, quote.total) == (cny(20), cny(60), cny(0), cny(60))
    assert (quote.price.source, quote.promotions, quote.per_unit) == ("list", (), cny(20))


def test_a_flash_sale_is_in_the_price_for_the_units_left_under_its_cap(user, merchant, apples):
    factories.promotion(
        merchant, name="Midnight", kind="fixed", value=5, scope="product", products=[apples.product], flash_stock_cap=2
    )
    quote = pricing.unit_price(actor=None, variant=apples, quantity=3, now=clock.now())
    assert (quote.subtotal, quote.discount, quote.total) == (cny(60), cny(10), cny(50))
    assert quote.promotions == ("Flash sale: Midnight",)
    assert quote.per_unit == cny("16.67")


def test_a_promotion_counts_only_while_it_runs(user, merchant, apples, clock):
    factories.promotion(merchant, value=10, ends_at=clock.now() + timedelta(hours=1))
    assert pricing.unit_price(actor=user, variant=apples, quantity=1, now=clock.now()).total == cny(18)
    clock.advance(hours=2)
    assert pricing.unit_price(actor=user, variant=apples, quantity=1, now=clock.now()).total == cny(20)


def test_what_is_not_for_sale_has_no_price(merchant, apples):
    catalog.unpublish(actor=merchant.owner, product=apples.product)
    with pytest.raises(NotForSale) as caught:
        pricing.unit_price(actor=None, variant=apples, quantity=1, now=clock.now())
    assert (caught.value.code, caught.value.field) == ("not_for_sale", "variant")


def test_an_inactive_variant_has_no_price(merchant, apples):
    apples.is_active = False
    apples.save(update_fields=["is_active"])
    with pytest.raises(NotForSale):
        pricing.unit_price(actor=None, variant=apples, quantity=1, now=clock.now())


@pytest.mark.parametrize("quantity", [0, -1, True, 1.5, "2", 10_001])
def test_a_quantity_is_a_whole_number_from_one(apples, quantity):
    with pytest.raises(ValidationFailed) as caught:
        pricing.unit_price(actor=None, variant=apples, quantity=quantity, now=clock.now())
    assert caught.value.field == "quantity"
