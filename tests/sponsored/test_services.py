"""Sponsored placement: matching, page share, one charge per visitor/item/window, budget, wallet, refunds, books."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.books import assert_books_balance
from tests.sponsored.conftest import CHROME, click, fund
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.ledger import selectors as ledger_selectors
from tradeloop.ledger import services as ledger
from tradeloop.sponsored import selectors, services
from tradeloop.sponsored.errors import Code
from tradeloop.sponsored.models import Campaign, Click, DaySpend, DayStat

pytestmark = pytest.mark.django_db


def wallet(org) -> Decimal:
    return ledger_selectors.balance(ledger.promotion_wallet(org, "CNY")).amount


def ads() -> Decimal:
    return ledger_selectors.balance(ledger.platform_ad_revenue("CNY")).amount


def shown(q, organic=10, now=None):
    from tradeloop.core import clock

    return selectors.for_search(q, organic=organic, now=now or clock.now())


# --- matching and share ------------------------------------------------------------------------------------------


def test_shown_for_a_matching_query_only(campaign, shop):
    assert [s.doc.object_id for s in shown("apples")] == [shop.apples.pk]
    assert [s.doc.object_id for s in shown("red apples")] == [shop.apples.pk]
    assert shown("pears") == []  # not a keyword
    assert shown("green apples") == []  # the keyword matches but the item's own text does not
    assert shown("苹果") == []  # a keyword, but the item holds no Chinese: never shown for a query it does not match
    assert shown("") == []


def test_never_more_than_the_page_share(shop, fruit, clock):
    from tests.factories import published_product
    from tests.sponsored.conftest import index_products

    more = [published_product(shop, title=f"Apples lot {i}", category=fruit) for i in range(6)]
    index_products(*more)
    services.create_campaign(
        actor=shop.owner,
        organization_id=shop.pk,
        name="All apples",
        daily_budget="50",
        default_bid="1",
        items=[("product", p.pk) for p in [shop.apples, *more]],
        keywords=["apples"],
        activate=True,
    )
    assert selectors.slot_count(0) == 0
    for organic in (0, 1, 5, 10, 11, 20, 100):
        slots = shown("apples", organic=organic)
        assert len(slots) == selectors.slot_count(organic) <= selectors.MAX_SLOTS
        assert len(slots) <= -(-organic // selectors.PER)
        assert len({s.doc.pk for s in slots}) == len(slots)


def test_category_page_shows_its_campaigns_items_only(campaign, shop, fruit, rival):
    from tradeloop.catalog.models import Category

    child = Category.objects.create(name="Apples", slug="apples-cat", parent=fruit)
    other = Category.objects.create(name="Tea", slug="tea")
    from tradeloop.core import clock

    now = clock.now()
    assert [s.doc.object_id for s in selectors.for_category(fruit, organic=5, now=now)] == [shop.apples.pk]
    assert selectors.for_category(other, organic=5, now=now) == []
    assert selectors.for_category(child, organic=5, now=now) == []  # the item is not in the child category


def test_only_running_campaigns_with_money_show(campaign, shop, clock):
    services.set_state(actor=shop.owner, campaign_id=campaign.pk, state="paused")
    assert shown("apples") == []
    services.set_state(actor=shop.owner, campaign_id=campaign.pk, state="active")
    assert shown("apples")
    services.update_campaign(actor=shop.owner, campaign_id=campaign.pk, ends_at=clock.now() + timedelta(hours=1))
    clock.advance(hours=2)
    assert shown("apples") == []


# --- clicks and charges --------------------------------------------------------------------------------------------


def test_one_charge_per_visitor_item_and_window(campaign, shop, shopper, clock):
    before = wallet(shop)
    first = click(campaign, user=shopper)
    again = click(campaign, user=shopper)
    assert (first.outcome, again.outcome) == (Click.Outcome.CHARGED, Click.Outcome.REPEAT)
    anonymous = click(campaign, address="10.9.9.9")
    assert anonymous.outcome == Click.Outcome.CHARGED
    assert click(campaign, address="10.9.9.9").outcome == Click.Outcome.REPEAT
    assert wallet(shop) == before - 2
    assert ads() == 2
    clock.advance(hours=25)
    assert click(campaign, user=shopper).outcome == Click.Outcome.CHARGED
    assert wallet(shop) == before - 3
    assert_books_balance()


@pytest.mark.parametrize(
    "ua", ["", "Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.0", "python-requests/2.31", "Wget/1.21"]
)
def test_bot_like_clicks_are_recorded_not_charged(campaign, shop, ua):
    before = wallet(shop)
    assert click(campaign, ua=ua).outcome == Click.Outcome.BOT
    assert wallet(shop) == before


def test_headless_chrome_is_not_a_bot():
    assert not services.is_bot(CHROME)


def test_too_many_clicks_a_minute_are_bot_like(campaign, shop, shopper):
    for _ in range(services.MAX_CLICKS_PER_MINUTE):
        click(campaign, user=shopper)
    assert click(campaign, user=shopper).outcome == Click.Outcome.BOT


def test_keyword_bid_is_charged(campaign, shop, shopper):
    keyword = campaign.keywords.get(text="苹果")
    assert click(campaign, user=shopper, keyword=keyword).amount == Decimal("1.5")
    stat = DayStat.objects.get(campaign=campaign, keyword_id=keyword.pk)
    assert (stat.clicks, stat.charged, stat.spend) == (1, 1, Decimal("1.5"))


def test_budget_stops_the_campaign_and_the_next_day_resumes_it(campaign, shop, clock):
    charged = [click(campaign, address=f"10.1.0.{i}").outcome for i in range(12)]
    assert charged.count(Click.Outcome.CHARGED) == 10
    assert charged[10:] == [Click.Outcome.NO_BUDGET] * 2
    assert DaySpend.objects.get(campaign=campaign).spent == Decimal(10)
    assert shown("apples") == []
    clock.advance(days=1)
    assert shown("apples")
    assert click(campaign, address="10.2.0.1").outcome == Click.Outcome.CHARGED
    assert_books_balance()


def test_empty_wallet_stops_charges(shop, fruit):
    campaign = services.create_campaign(
        actor=shop.owner,
        organization_id=shop.pk,
        name="Big",
        daily_budget="500",
        default_bid="40",
        items=[("product", shop.apples.pk)],
        keywords=["apples"],
        activate=True,
    )
    outcomes = [click(campaign, address=f"10.3.0.{i}").outcome for i in range(4)]
    assert outcomes == [Click.Outcome.CHARGED, Click.Outcome.CHARGED, Click.Outcome.NO_FUNDS, Click.Outcome.NO_FUNDS]
    assert wallet(shop) == Decimal(20)
    assert shown("apples") == []  # 20 left, one click costs 40
    services.top_up(actor=shop.owner, organization_id=shop.pk, amount="100")
    assert shown("apples")


def test_refund_of_an_invalid_click_balances_the_books(campaign, shop, shopper):
    charged = click(campaign, user=shopper)
    before = wallet(shop)
    services.refund_click(click_id=charged.pk)
    assert wallet(shop) == before + 1
    assert ads() == 0
    assert DaySpend.objects.get(campaign=campaign).spent == 0
    assert DayStat.objects.get(campaign=campaign, keyword_id=0).charged == 0
    with pytest.raises(Conflict) as refused:
        services.refund_click(click_id=charged.pk)
    assert refused.value.code == Code.CLICK_NOT_CHARGED
    assert_books_balance()


def test_a_forged_token_is_not_found(campaign):
    with pytest.raises(NotFound):
        services.record_click(token="nope", user=None, address="1.1.1.1", user_agent=CHROME)


# --- campaigns and the wallet --------------------------------------------------------------------------------------


def test_campaign_input_is_checked(shop, rival):
    def make(**kw):
        fields = dict(name="X", daily_budget="10", default_bid="1", items=[("product", shop.apples.pk)])
        fields.update(kw)
        return services.create_campaign(actor=shop.owner, organization_id=shop.pk, **fields)

    for bad, field in [
        ({"name": ""}, "name"),
        ({"daily_budget": "-1"}, "daily_budget"),
        ({"default_bid": "abc"}, "default_bid"),
        ({"default_bid": "20"}, "default_bid"),
        ({"items": [("product", rival.apples.pk)]}, "items"),
        ({"keywords": [("!!!", None)]}, "keywords"),
        ({"activate": True, "keywords": []}, "keywords"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            make(**bad)
        assert refused.value.field == field, bad
    assert not Campaign.objects.exists()


def test_another_tenants_campaign_is_not_found(campaign, rival):
    with pytest.raises(NotFound):
        services.set_state(actor=rival.owner, campaign_id=campaign.pk, state="paused")
    with pytest.raises(NotFound):
        selectors.campaign_for(rival.owner, campaign.pk)


def test_top_up_needs_finance_and_money(shop):
    from tests.factories import member

    clerk = member(shop, "catalog")
    with pytest.raises(PermissionDenied):
        services.top_up(actor=clerk, organization_id=shop.pk, amount="10")
    with pytest.raises(Conflict) as refused:
        services.top_up(actor=shop.owner, organization_id=shop.pk, amount="1000")
    assert refused.value.code == Code.WALLET_TOO_LOW
    services.top_up(actor=shop.owner, organization_id=shop.pk, amount="50", key="k1")
    services.top_up(actor=shop.owner, organization_id=shop.pk, amount="50", key="k1")  # idempotent
    assert wallet(shop) == 150
    fund(shop, "1")
    assert_books_balance()


def test_keywords_are_normalised(shop):
    assert services.keyword_terms("Apples") == services.keyword_terms("apple")


def test_budget_edit_applies_today(campaign, shop):
    click(campaign, address="10.0.5.1")
    services.update_campaign(actor=shop.owner, campaign_id=campaign.pk, daily_budget="20")
    assert DaySpend.objects.get(campaign=campaign).budget == 20
