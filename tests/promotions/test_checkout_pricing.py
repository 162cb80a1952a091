"""Pricing all the seller orders of one checkout: a platform coupon is used once, each error is told once."""

import pytest

from tests import factories
from tests.promotions.conftest import cny, line
from tradeloop.core import clock
from tradeloop.promotions import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_baskets(merchant, apples):
    other = factories.seller_with_owner()
    bread = factories.published_product(other, title="Bread", price="30")
    return other, [
        services.SellerBasket(merchant, [line(apples)], cny(0)),
        services.SellerBasket(other, [line(bread)], cny(0)),
    ]


def test_platform_coupon_goes_to_the_order_where_it_saves_most(user, two_baskets):
    factories.promotion(None, code="PLAT10", value=10, per_customer_limit=1)
    first, second = services.price_checkout(buyer=user, baskets=two_baskets[1], codes=["PLAT10"], now=clock.now())
    assert first.discount_total == cny(10) and second.discount_total == cny(0)
    assert first.errors == second.errors == []
    services.redeem(breakdown=first, buyer=user, order_ref="order:1")
    services.redeem(breakdown=second, buyer=user, order_ref="order:2")  # no second use: the limit of 1 holds


def test_store_coupons_go_to_their_own_store(user, merchant, two_baskets):
    other, baskets = two_baskets
    factories.promotion(merchant, code="MINE", kind="fixed", value=5)
    factories.promotion(other, code="YOURS", kind="fixed", value=3)
    first, second = services.price_checkout(buyer=user, baskets=baskets, codes=["MINE", "YOURS"], now=clock.now())
    assert (first.discount_total, second.discount_total) == (cny(5), cny(3))
    assert first.errors == second.errors == []


def test_an_unknown_code_is_reported_once(user, two_baskets):
    first, second = services.price_checkout(buyer=user, baskets=two_baskets[1], codes=["NOPE"], now=clock.now())
    assert first.errors == ["There is no coupon NOPE."] and second.errors == []


def test_a_code_of_a_store_not_in_the_checkout_is_reported(user, two_baskets):
    factories.promotion(factories.seller_with_owner(), code="ELSEWHERE", kind="fixed", value=3)
    first, second = services.price_checkout(buyer=user, baskets=two_baskets[1], codes=["ELSEWHERE"], now=clock.now())
    assert first.errors == ["Coupon ELSEWHERE is for another store."] and second.errors == []
