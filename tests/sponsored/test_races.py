"""Concurrent clicks on PostgreSQL: one charge per visitor and item, never more than the day's budget."""

from __future__ import annotations

from decimal import Decimal

from tests.books import assert_books_balance
from tests.races import RACE_MARKS, race
from tests.sponsored.conftest import click
from tradeloop.ledger import selectors as ledger_selectors
from tradeloop.ledger import services as ledger
from tradeloop.sponsored import services
from tradeloop.sponsored.models import Click, DaySpend

pytestmark = RACE_MARKS


def test_twenty_concurrent_clicks_of_one_visitor_are_charged_once(campaign, shop, shopper):
    before = ledger_selectors.balance(ledger.promotion_wallet(shop, "CNY")).amount
    outcomes = race(lambda i: click(campaign, user=shopper), racers=20)
    assert outcomes == ["ok"] * 20
    assert Click.objects.count() == 20
    assert Click.objects.filter(outcome=Click.Outcome.CHARGED).count() == 1
    assert ledger_selectors.balance(ledger.promotion_wallet(shop, "CNY")).amount == before - 1
    assert DaySpend.objects.get(campaign=campaign).spent == 1
    assert_books_balance()


def test_many_visitors_at_once_never_overspend_the_budget(shop):
    campaign = services.create_campaign(
        actor=shop.owner,
        organization_id=shop.pk,
        name="Five clicks",
        daily_budget="5",
        default_bid="1",
        items=[("product", shop.apples.pk)],
        keywords=["apples"],
        activate=True,
    )
    outcomes = race(lambda i: click(campaign, address=f"10.7.0.{i}"), racers=16)
    assert outcomes == ["ok"] * 16
    assert Click.objects.filter(outcome=Click.Outcome.CHARGED).count() == 5
    assert Click.objects.filter(outcome=Click.Outcome.NO_BUDGET).count() == 11
    assert DaySpend.objects.get(campaign=campaign).spent == Decimal(5)
    assert ledger_selectors.balance(ledger.platform_ad_revenue("CNY")).amount == 5
    assert_books_balance()


def test_concurrent_clicks_never_overdraw_the_wallet(shop):
    campaign = services.create_campaign(
        actor=shop.owner,
        organization_id=shop.pk,
        name="Dear clicks",
        daily_budget="1000",
        default_bid="30",
        items=[("product", shop.apples.pk)],
        keywords=["apples"],
        activate=True,
    )
    race(lambda i: click(campaign, address=f"10.8.0.{i}"), racers=10)
    assert Click.objects.filter(outcome=Click.Outcome.CHARGED).count() == 3  # 100 in the wallet
    assert ledger_selectors.balance(ledger.promotion_wallet(shop, "CNY")).amount == 10
    assert_books_balance()
