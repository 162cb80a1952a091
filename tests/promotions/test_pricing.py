"""What each kind of promotion takes off, what it covers, and the errors a buyer sees for codes that do not apply."""

from datetime import timedelta

import pytest

from tests import factories
from tests.promotions.conftest import cny, line
from tradeloop.catalog import services as catalog
from tradeloop.promotions.models import Promotion

pytestmark = pytest.mark.django_db


def test_percentage_off_the_whole_order_is_labelled_and_spread_over_lines(quote, merchant, apples, pears):
    promo = factories.promotion(merchant, name="Spring 10%", value=10)
    b = quote([line(apples, 2), line(pears, 1)], shipping="8")
    assert (b.subtotal, b.discount_total, b.shipping_total, b.total) == (cny(250), cny(25), cny(8), cny(233))
    assert [r.discount for r in b.lines] == [cny(20), cny(5)]
    assert [(a.label, a.amount, a.line_index, a.promotion_id) for a in b.adjustments] == [
        ("Spring 10%", cny(-25), None, promo.pk)
    ]
    assert b.applied == [promo.pk] and b.errors == []


def test_fixed_amount_is_taken_once_and_split_in_proportion_to_the_lines(quote, merchant, apples, pears):
    factories.promotion(merchant, kind="fixed", value=10)
    b = quote([line(apples, 1), line(pears, 1)])
    assert b.discount_total == cny(10)
    assert [r.discount for r in b.lines] == [cny("6.67"), cny("3.33")]  # sums exactly to the amount off


def test_buy_two_get_one_makes_the_cheapest_units_free(quote, merchant, apples, pears):
    factories.promotion(merchant, name="3 for 2", kind="bxgy", buy_quantity=2, get_quantity=1, value=0)
    b = quote([line(apples, 2), line(pears, 1)])
    assert b.discount_total == cny(50)  # the pear
    assert [r.discount for r in b.lines] == [cny(0), cny(50)]
    assert quote([line(apples, 2)]).discount_total == cny(0)  # two units: nothing free yet
    assert quote([line(apples, 6)]).discount_total == cny(200)


def test_free_shipping_waives_the_shipping_charge(quote, merchant, apples):
    promo = factories.promotion(merchant, name="Ships free", kind="free_shipping", value=0)
    b = quote([line(apples)], shipping="12")
    assert (b.shipping_total, b.discount_total, b.total) == (cny(12), cny(12), cny(100))
    assert b.adjustments[-1].label == "Free shipping: Ships free" and b.adjustments[-1].line_index is None
    assert b.applied == [promo.pk]
    assert quote([line(apples)], shipping="0").applied == []  # nothing to waive, nothing used


def test_category_scope_covers_subcategories(quote, merchant):
    fruit = catalog.create_category(name="Fruit", slug="fruit")
    citrus = catalog.create_category(name="Citrus", slug="citrus", parent=fruit)
    tools = catalog.create_category(name="Tools", slug="tools")
    orange = factories.published_product(merchant, title="Orange", price="10", category=citrus)
    saw = factories.published_product(merchant, title="Saw", price="40", category=tools)
    factories.promotion(merchant, name="Fruit 50%", value=50, scope="category", categories=[fruit])
    b = quote([line(orange, 2), line(saw)])
    assert [r.discount for r in b.lines] == [cny(10), cny(0)]
    assert [(a.label, a.line_index) for a in b.adjustments] == [("Fruit 50%", 0)]


def test_product_scope_only_touches_those_products(quote, merchant, apples, pears):
    factories.promotion(merchant, value=20, scope="product", products=[pears])
    b = quote([line(apples), line(pears)])
    assert [r.discount for r in b.lines] == [cny(0), cny(10)]


def test_another_sellers_promotions_do_not_apply(quote, apples):
    factories.promotion(factories.seller_with_owner(), value=50)
    factories.promotion(factories.seller_with_owner(), code="THEIRS", value=50)
    b = quote([line(apples)], codes=["THEIRS"])
    assert b.discount_total == cny(0)
    assert [p.reason for p in b.problems] == ["other_store"]
    assert b.errors == []  # it belongs to that seller's order of the checkout


def test_platform_promotions_apply_to_every_seller(quote, apples):
    factories.promotion(None, name="Platform day", value=5)
    assert quote([line(apples)]).discount_total == cny(5)


def test_codes_are_case_insensitive(quote, merchant, apples):
    factories.promotion(merchant, code="SAVE5", kind="fixed", value=5)
    assert quote([line(apples)], codes=[" save5 "]).discount_total == cny(5)


def test_unknown_code_gets_a_clear_error(quote, apples):
    b = quote([line(apples)], codes=["NOPE"])
    assert b.errors == ["There is no coupon NOPE."]
    assert b.problems[0].reason == "unknown"


def test_time_window(quote, merchant, apples, clock):
    start = clock.now() + timedelta(days=1)
    factories.promotion(
        merchant, code="LATER", kind="fixed", value=20, starts_at=start, ends_at=start + timedelta(days=2)
    )
    factories.promotion(merchant, name="Weekend", value=10, starts_at=start, ends_at=start + timedelta(days=2))
    b = quote([line(apples)], codes=["LATER"])
    assert b.discount_total == cny(0) and b.problems[0].reason == "not_started"
    assert "can be used from" in b.errors[0]
    clock.advance(days=1, seconds=1)
    b = quote([line(apples)], codes=["LATER"])
    assert b.discount_total == cny(20)  # the coupon beats the weekend 10%, now running too (rule 3)
    assert [a.label for a in b.adjustments] == ["Coupon LATER: LATER"]
    clock.advance(days=2)
    b = quote([line(apples)], codes=["LATER"])
    assert b.discount_total == cny(0) and b.problems[0].reason == "expired" and b.applied == []


def test_used_up_and_switched_off_codes(quote, merchant, apples):
    factories.promotion(merchant, code="GONE", kind="fixed", value=5, usage_limit=3, used_count=3)
    factories.promotion(merchant, code="OFF", kind="fixed", value=5, is_active=False)
    b = quote([line(apples)], codes=["GONE", "OFF"])
    assert [p.reason for p in b.problems] == ["exhausted", "inactive"]
    assert b.errors == ["Coupon GONE has been used up.", "Coupon OFF is no longer available."]


def test_automatic_promotion_used_up_simply_stops(quote, merchant, apples):
    factories.promotion(merchant, value=10, usage_limit=1, used_count=1)
    b = quote([line(apples)])
    assert b.discount_total == cny(0) and b.errors == []


def test_minimum_spend_error_names_the_amount(quote, merchant, apples, pears):
    factories.promotion(merchant, code="BIG", kind="fixed", value=20, min_spend=200)
    b = quote([line(apples)], codes=["BIG"])
    assert b.discount_total == cny(0)
    assert b.problems[0].reason == "min_spend"
    assert "minimum spend of CN¥200.00" in b.errors[0]
    assert quote([line(apples, 2)], codes=["BIG"]).discount_total == cny(20)


def test_minimum_spend_counts_only_covered_goods(quote, merchant, apples, pears):
    factories.promotion(merchant, code="PEARS", kind="fixed", value=5, min_spend=100, scope="product", products=[pears])
    assert quote([line(apples, 5), line(pears)], codes=["PEARS"]).discount_total == cny(0)
    assert quote([line(apples), line(pears, 2)], codes=["PEARS"]).discount_total == cny(5)


def test_per_customer_limit(quote, merchant, apples, user):
    promo = factories.promotion(merchant, code="ONCE", kind="fixed", value=5, per_customer_limit=1)
    promo.redemptions.create(user=user, order_ref="earlier", amount=5)
    b = quote([line(apples)], codes=["ONCE"])
    assert b.problems[0].reason == "customer_limit" and b.discount_total == cny(0)
    assert quote([line(apples)], codes=["ONCE"], buyer=factories.UserFactory()).discount_total == cny(5)


def test_flash_sale_discounts_only_the_units_left_under_its_cap(quote, merchant, apples, pears):
    promo = factories.promotion(
        merchant,
        name="Midnight",
        kind="fixed",
        value=30,
        scope="product",
        products=[apples],
        flash_stock_cap=5,
        flash_sold=3,
    )
    b = quote([line(apples, 4), line(pears)])
    assert b.discount_total == cny(60)  # 2 units left × ¥30
    assert [(a.label, a.line_index) for a in b.adjustments] == [("Flash sale: Midnight", 0)]
    assert [(u.promotion_id, u.units) for u in b.uses] == [(promo.pk, 2)]
    Promotion.objects.filter(pk=promo.pk).update(flash_sold=5)
    assert quote([line(apples, 4)]).discount_total == cny(0)


def test_percentage_flash_sale_is_per_unit(quote, merchant, apples):
    factories.promotion(merchant, kind="percent", value=50, flash_stock_cap=1)
    assert quote([line(apples, 3)]).discount_total == cny(50)


def test_rounding_goes_to_the_currencys_minor_unit(quote, merchant):
    cheap = factories.published_product(merchant, price="0.99")
    factories.promotion(merchant, value=15)
    b = quote([line(cheap, 1)])
    assert b.discount_total == cny("0.15")  # 0.1485 rounded half up


def test_empty_order_prices_to_zero(quote, merchant):
    factories.promotion(merchant, kind="free_shipping")
    b = quote([], shipping="5")
    assert b.total == cny(5) and b.discount_total == cny(0)
