"""A seller's reputation on a fixed scenario: product reviews and C2C ratings combined, the positive share, the median
first reply, returns over paid orders, on-time shipping; precomputed (a sweep refreshes stale rows, idempotent)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.reviews.test_product_reviews import delivered, review
from tradeloop.aftersales.models import ReturnRequest
from tradeloop.c2c.models import SellerStanding
from tradeloop.conversations.models import Conversation
from tradeloop.core import clock as core_clock
from tradeloop.orders.models import Order
from tradeloop.reviews import reputation
from tradeloop.reviews.models import Reputation

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    seller = factories.seller_with_owner(name="Hangzhou Tea House")
    product = factories.published_product(seller, title="Longjing tea", stock=50)
    first, second = delivered(product), delivered(product)  # shipped at once: on time
    review(first, stars=5)
    review(second, stars=3)
    late = factories.paid_order(seller=seller, items=[(product.variants.get(), 1)])
    Order.objects.filter(pk=late.pk).update(ship_by=core_clock.now() - timedelta(hours=1))  # overdue, unshipped
    ReturnRequest.objects.create(order=second.order, buyer=second.order.buyer, reason="broken tin", currency="CNY")
    SellerStanding.objects.create(seller=seller, rating_avg=Decimal("5.00"), rating_count=2)  # its C2C ratings
    buyer = factories.UserFactory()
    for seconds in (600, 1800, 7200):
        Conversation.objects.create(
            kind="presales", buyer=buyer, seller=seller, subject="?", first_response_seconds=seconds
        )
    return seller


def test_the_figures_of_a_fixed_scenario(scenario):
    found = reputation.refresh(scenario)
    assert (found.rating_avg, found.rating_count) == (Decimal("4.50"), 4)  # (5 + 3 + 2 × 5) / 4
    assert found.sources == {"product": {"avg": "4.00", "count": 2}, "c2c": {"avg": "5.00", "count": 2}}
    assert found.positive_rate == Decimal("0.5000")  # one of the two product reviews has 4–5 stars
    assert (found.response_median_seconds, found.conversations_answered) == (1800, 3)
    assert (found.orders_counted, found.disputes, found.dispute_rate) == (3, 1, Decimal("0.3333"))
    assert (found.shipped_counted, found.shipped_on_time, found.on_time_rate) == (3, 2, Decimal("0.6667"))


def test_pages_read_the_stored_row_and_the_sweep_refreshes_stale_ones(scenario, clock, django_assert_max_num_queries):
    reputation.refresh(scenario)
    with django_assert_max_num_queries(1):
        reputation.for_seller(scenario)
    review(delivered(scenario.products.get()), stars=1)
    assert reputation.for_seller(scenario).rating_count == 4  # not yet: the row is fresh
    assert reputation.sweep_reputations(core_clock.now()) == 0
    clock.advance(hours=7)
    assert reputation.sweep_reputations(core_clock.now()) == 1
    assert Reputation.objects.get(seller=scenario).rating_count == 5
    assert reputation.sweep_reputations(core_clock.now()) == 0  # twice: nothing more to do


def test_the_sweep_creates_the_rows_of_sellers_with_sales(clock):
    order = factories.paid_order()
    assert reputation.sweep_reputations(core_clock.now()) >= 1
    assert Reputation.objects.get(seller=order.seller).orders_counted == 1


def test_a_seller_without_anything_has_empty_figures():
    seller = factories.seller_with_owner()
    found = reputation.refresh(seller)
    assert (found.rating_count, found.dispute_rate, found.on_time_rate, found.response_median_seconds) == (
        0,
        None,
        None,
        None,
    )
