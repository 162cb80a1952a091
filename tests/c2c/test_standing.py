"""Seller levels: computed from completed sales, visible ratings, dispute and late-shipment rates; refreshed as the
record changes and nightly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests import factories
from tests.c2c.trading import listing, paid_c2c_order, shipped_c2c_order
from tradeloop.c2c import disputes, escrow, ratings, standing, tasks
from tradeloop.c2c.models import SellerStanding
from tradeloop.c2c.standing import level_for
from tradeloop.fulfilment import services as fulfilment

pytestmark = pytest.mark.django_db
D = Decimal
Level = SellerStanding.Level


def figures(**overrides):
    base = {"sales": 10, "rating": D("4.5"), "ratings": 5, "dispute_rate": D("0"), "late_rate": D("0")}
    return {**base, **overrides}


# --- the thresholds ------------------------------------------------------------------------------------------


def test_fewer_than_three_sales_is_new():
    assert level_for(**figures(sales=2, dispute_rate=D("0.5"))) == Level.NEW
    assert level_for(**figures(sales=3)) == Level.GOOD


def test_dispute_rate_above_ten_percent_is_below_standard():
    assert level_for(**figures(dispute_rate=D("0.10"))) == Level.GOOD
    assert level_for(**figures(dispute_rate=D("0.1001"))) == Level.BELOW


def test_late_rate_above_twenty_percent_is_below_standard():
    assert level_for(**figures(late_rate=D("0.20"))) == Level.GOOD
    assert level_for(**figures(late_rate=D("0.2001"))) == Level.BELOW


def test_a_low_rating_counts_only_with_three_ratings():
    assert level_for(**figures(rating=D("3.49"), ratings=3)) == Level.BELOW
    assert level_for(**figures(rating=D("3.5"), ratings=3)) == Level.GOOD
    assert level_for(**figures(rating=D("1"), ratings=2)) == Level.GOOD


def test_top_seller_at_the_thresholds():
    top = figures(sales=20, rating=D("4.8"), dispute_rate=D("0.02"), late_rate=D("0.05"))
    assert level_for(**top) == Level.TOP
    assert level_for(**{**top, "sales": 19}) == Level.GOOD
    assert level_for(**{**top, "rating": D("4.79")}) == Level.GOOD
    assert level_for(**{**top, "dispute_rate": D("0.0201")}) == Level.GOOD
    assert level_for(**{**top, "late_rate": D("0.0501")}) == Level.GOOD


# --- from the record --------------------------------------------------------------------------------------------


def completed(seller, **kwargs):
    order = shipped_c2c_order(item=listing(seller=seller), **kwargs)
    escrow.confirm_receipt(actor=order.buyer, order_id=order.pk)
    order.refresh_from_db()
    return order


@pytest.fixture
def seller():
    return factories.seller_with_owner(kind="personal")


def test_completing_orders_refreshes_the_standing(seller):
    for _ in range(2):
        completed(seller)
    assert SellerStanding.objects.get(seller=seller).level == Level.NEW
    completed(seller)
    found = SellerStanding.objects.get(seller=seller)
    assert (found.level, found.completed_sales) == (Level.GOOD, 3)


def test_ratings_count_once_visible(seller, clock):
    orders = [completed(seller) for _ in range(3)]
    for order in orders:
        ratings.rate(actor=order.buyer, order_id=order.pk, stars=2)
    found = SellerStanding.objects.get(seller=seller)
    assert (found.rating_count, found.level) == (0, Level.GOOD)  # still blind
    clock.advance(days=8)
    assert tasks.refresh_all_standings() >= 1  # the nightly sweep
    found = SellerStanding.objects.get(seller=seller)
    assert (found.rating_count, found.rating_avg, found.level) == (3, D("2.00"), Level.BELOW)


def test_disputes_raise_the_dispute_rate(seller):
    for _ in range(3):
        completed(seller)
    order = shipped_c2c_order(item=listing(seller=seller))
    disputes.open_dispute(actor=order.buyer, order_id=order.pk, reason="not_received", description="Nothing came")
    found = standing.refresh(seller)
    assert found.dispute_rate == D("0.2500")
    assert found.level == Level.BELOW


def test_late_shipments_raise_the_late_rate(seller, clock):
    for _ in range(3):
        completed(seller)
    order = paid_c2c_order(item=listing(seller=seller))
    clock.advance(days=6)
    fulfilment.ship(actor=seller.owner, order=order, lines=None, carrier="SF Express", tracking_number="SF1")
    found = SellerStanding.objects.get(seller=seller)  # shipping refreshed it
    assert found.late_shipment_rate == D("0.2500")
    assert found.level == Level.BELOW


def test_cancelled_for_not_shipping_counts_as_late(seller, clock, settings):
    settings.TRADELOOP_AUTO_CANCEL_UNSHIPPED = True
    for _ in range(4):
        completed(seller)
    paid_c2c_order(item=listing(seller=seller))
    clock.advance(days=6)
    fulfilment.sweep_ship_deadlines(clock.now())
    found = SellerStanding.objects.get(seller=seller)
    assert found.late_shipment_rate == D("0.2000")
    assert found.level == Level.GOOD


def test_twenty_well_rated_sales_make_a_top_seller(seller, clock):
    orders = [completed(seller) for _ in range(20)]
    for order in orders:
        ratings.rate(actor=order.buyer, order_id=order.pk, stars=5)
    clock.advance(days=8)
    found = standing.refresh(seller)
    assert (found.completed_sales, found.rating_avg, found.level) == (20, D("5.00"), Level.TOP)


def test_refresh_is_idempotent_and_costs_few_queries(seller, django_assert_max_num_queries):
    completed(seller)
    first = standing.refresh(seller)
    with django_assert_max_num_queries(6):
        again = standing.refresh(seller)
    assert (again.level, again.completed_sales) == (first.level, first.completed_sales)
    assert SellerStanding.objects.filter(seller=seller).count() == 1


def test_nightly_sweep_is_scheduled():
    from tradeloop.celery import app

    tasks_scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "tradeloop.c2c.tasks.refresh_all_standings" in tasks_scheduled
