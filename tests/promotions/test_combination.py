"""The combination rules of docs/promotions.md, one test (or a few) per rule."""

import pytest

from tests import factories
from tests.promotions.conftest import cny, line

pytestmark = pytest.mark.django_db


# Rule 1: at most one store coupon per seller order, plus at most one platform coupon.


def test_rule1_two_store_coupons_the_better_one_is_used(quote, merchant, apples):
    small = factories.promotion(merchant, code="FIVE", kind="fixed", value=5, stackable=True)
    big = factories.promotion(merchant, code="TEN", kind="fixed", value=10, stackable=True)
    b = quote([line(apples)], codes=["FIVE", "TEN"])
    assert b.discount_total == cny(10)
    assert b.applied == [big.pk] and small.pk not in b.applied
    assert [(p.code, p.reason) for p in b.problems] == [("FIVE", "one_coupon_only")]


def test_rule1_a_store_coupon_and_a_platform_coupon_both_apply_when_stackable(quote, merchant, apples):
    factories.promotion(merchant, code="STORE", kind="fixed", value=10, stackable=True)
    factories.promotion(None, code="PLATFORM", kind="fixed", value=5, stackable=True)
    b = quote([line(apples)], codes=["STORE", "PLATFORM"])
    assert b.discount_total == cny(15)
    assert [a.label for a in b.adjustments] == ["Coupon STORE: STORE", "Coupon PLATFORM: PLATFORM"]


def test_rule1_two_platform_coupons_only_one_applies(quote, apples):
    factories.promotion(None, code="P1", kind="fixed", value=3, stackable=True)
    factories.promotion(None, code="P2", kind="fixed", value=4, stackable=True)
    b = quote([line(apples)], codes=["P1", "P2"])
    assert b.discount_total == cny(4)
    assert [p.code for p in b.problems] == ["P1"]


# Rule 2: automatic promotions first; the best non-stackable one per line wins, stackable ones add on.


def test_rule2_best_non_stackable_automatic_promotion_wins_per_line(quote, merchant, apples, pears):
    factories.promotion(merchant, name="All 10%", value=10)
    factories.promotion(merchant, name="Pears 30%", value=30, scope="product", products=[pears])
    b = quote([line(apples), line(pears)])
    assert [r.discount for r in b.lines] == [cny(10), cny(15)]
    assert sorted((a.label, a.amount) for a in b.adjustments) == [("All 10%", cny(-10)), ("Pears 30%", cny(-15))]


def test_rule2_stackable_automatic_promotions_add_on_what_is_left(quote, merchant, apples):
    factories.promotion(merchant, name="10%", value=10)
    factories.promotion(merchant, name="Extra 10%", value=10, stackable=True)
    b = quote([line(apples)])
    assert b.discount_total == cny(19)  # 10 off 100, then 10% of the 90 left


# Rule 3: a coupon comes after automatic promotions; it combines only if both sides are stackable, else the
# buyer gets the better of the two.


def test_rule3_stackable_coupon_on_top_of_stackable_automatic(quote, merchant, apples):
    factories.promotion(merchant, name="Auto 10%", value=10, stackable=True)
    factories.promotion(merchant, code="C20", kind="fixed", value=20, stackable=True)
    b = quote([line(apples)], codes=["C20"])
    assert b.discount_total == cny(30)


def test_rule3_non_stackable_coupon_worse_than_automatic_is_not_used(quote, merchant, apples):
    factories.promotion(merchant, name="Auto 30%", value=30)
    factories.promotion(merchant, code="C20", kind="fixed", value=20)
    b = quote([line(apples)], codes=["C20"])
    assert b.discount_total == cny(30)
    assert b.problems[0].reason == "not_better"
    assert b.errors == ["Coupon C20 does not combine with Auto 30%, which saves you more."]


def test_rule3_non_stackable_coupon_better_than_automatic_replaces_it(quote, merchant, apples, pears):
    auto = factories.promotion(merchant, name="Apples 10%", value=10, scope="product", products=[apples])
    coupon = factories.promotion(merchant, code="C40", kind="fixed", value=40, scope="product", products=[apples])
    pear_deal = factories.promotion(merchant, name="Pears 20%", value=20, scope="product", products=[pears])
    b = quote([line(apples), line(pears)], codes=["C40"])
    assert [r.discount for r in b.lines] == [cny(40), cny(10)]  # the pears keep their own promotion
    assert auto.pk not in b.applied and {coupon.pk, pear_deal.pk} == set(b.applied)


def test_rule3_stackable_coupon_does_not_stack_on_a_non_stackable_automatic(quote, merchant, apples):
    factories.promotion(merchant, name="Auto 10%", value=10)
    factories.promotion(merchant, code="C5", kind="fixed", value=5, stackable=True)
    b = quote([line(apples)], codes=["C5"])
    assert b.discount_total == cny(10)


def test_rule3_a_better_platform_coupon_displaces_a_non_stackable_store_coupon(quote, merchant, apples):
    factories.promotion(merchant, code="STORE", kind="fixed", value=10)
    factories.promotion(None, code="PLATFORM", kind="fixed", value=25)
    b = quote([line(apples)], codes=["STORE", "PLATFORM"])
    assert b.discount_total == cny(25)
    assert [(p.code, p.reason) for p in b.problems] == [("STORE", "not_better")]


# Rule 4: free shipping combines with everything.


def test_rule4_free_shipping_combines_with_non_stackable_discounts_and_coupons(quote, merchant, apples):
    factories.promotion(merchant, name="Auto 10%", value=10)
    factories.promotion(merchant, code="SHIP", kind="free_shipping")
    factories.promotion(merchant, code="C20", kind="fixed", value=20)
    b = quote([line(apples)], codes=["SHIP", "C20"], shipping="15")
    assert b.discount_total == cny(35)  # coupon 20 beats the 10%, shipping 15 waived
    assert b.total == cny(80)
    assert b.errors == []


def test_rule4_shipping_is_waived_once_automatic_first(quote, merchant, apples):
    auto = factories.promotion(merchant, kind="free_shipping")
    coupon = factories.promotion(merchant, code="SHIP", kind="free_shipping")
    b = quote([line(apples)], codes=["SHIP"], shipping="15")
    assert b.discount_total == cny(15)
    assert auto.pk in b.applied and coupon.pk not in b.applied  # the buyer keeps the coupon for another day


# Rule 5: never below zero.


def test_rule5_discounts_never_take_a_line_or_the_order_below_zero(quote, merchant, apples, pears):
    factories.promotion(merchant, name="Auto 90%", value=90, stackable=True)
    factories.promotion(merchant, code="HUGE", kind="fixed", value=1000, stackable=True)
    factories.promotion(None, code="MORE", kind="fixed", value=1000, stackable=True)
    b = quote([line(apples), line(pears)], codes=["HUGE", "MORE"], shipping="6")
    assert [r.total for r in b.lines] == [cny(0), cny(0)]
    assert b.discount_total == cny(150)
    assert b.total == cny(6)


def test_rule5_percentages_above_100_are_capped(quote, merchant, apples):
    factories.promotion(merchant, value=150)
    assert quote([line(apples)]).total == cny(0)


# Rule 6: minimum spend is measured after automatic discounts.


def test_rule6_coupon_minimum_spend_is_measured_after_automatic_discounts(quote, merchant, apples):
    factories.promotion(merchant, name="Auto 10%", value=10, stackable=True)
    factories.promotion(merchant, code="OVER100", kind="fixed", value=5, min_spend=100, stackable=True)
    b = quote([line(apples)], codes=["OVER100"])  # 100 - 10 = 90 < 100
    assert b.discount_total == cny(10)
    assert b.problems[0].reason == "min_spend"
    assert quote([line(apples, 2)], codes=["OVER100"]).discount_total == cny(25)


def test_rule6_free_shipping_minimum_spend_is_measured_after_automatic_discounts(quote, merchant, apples):
    factories.promotion(merchant, name="Auto 10%", value=10)
    factories.promotion(merchant, name="Free over 100", kind="free_shipping", min_spend=100)
    assert quote([line(apples)], shipping="10").discount_total == cny(10)  # goods 90: shipping charged
    assert quote([line(apples, 2)], shipping="10").discount_total == cny(30)


def test_rule6_automatic_minimum_spend_is_measured_on_list_price(quote, merchant, apples):
    factories.promotion(merchant, name="Over 100", kind="fixed", value=10, min_spend=100)
    assert quote([line(apples)]).discount_total == cny(10)
