"""Sponsored placement in Chromium: a seller tops up the promotion wallet and creates a campaign in the console
(Campaigns → New campaign); a shopper searches, sees the marked slot (Sponsored / 推广), clicks it twice; the
campaign page shows two clicks and one charged. At 1280 and 390 px, in English and Chinese, nothing scrolls
sideways. TRADELOOP_DOCS_SHOTS=1 saves docs/images/trust/sponsored-*.png."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Browser, expect

from tests import factories
from tests.browser.people import PHONE, assert_fits, docs_shot, person_page
from tradeloop.catalog.models import Product
from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger
from tradeloop.search import indexing
from tradeloop.sponsored.models import Campaign, Click


def _shop():
    fruit = factories.CategoryFactory(name="Fruit", slug="fruit")
    shop = factories.seller_with_owner(name="Orchard Shop")
    apples = factories.published_product(shop, title="Crisp red apples", price="18.80", category=fruit)
    Product.objects.filter(pk=apples.pk).update(title_zh="脆甜红苹果")
    others = [
        factories.published_product(factories.seller_with_owner(), title=f"Apples box {i}", category=fruit)
        for i in range(3)
    ]
    indexing.index("product", [apples.pk, *[p.pk for p in others]])
    money = Money("300", "CNY")
    ledger.post(
        memo="earlier sales settled",
        ref=f"test:fund:{shop.pk}",
        legs=[(ledger.platform_clearing("CNY"), money), (ledger.seller_available(shop, "CNY"), -money)],
    )
    return shop, apples


def test_campaign_slot_and_one_charged_click(live_server, browser: Browser):
    base = live_server.url
    shop, apples = _shop()
    seller = person_page(browser, base, shop.owner.email)
    seller.goto(f"{base}{reverse('console:dashboard', args=[shop.pk])}")
    seller.locator(".sidenav").get_by_role("link", name="Campaigns").click()
    expect(seller.get_by_role("heading", name="Sponsored campaigns")).to_be_visible()
    seller.get_by_label("Top up from your available balance").fill("100")
    seller.get_by_role("button", name="Top up").click()
    expect(seller.get_by_text("Your promotion wallet is topped up.")).to_be_visible()
    expect(seller.get_by_test_id("wallet-balance")).to_contain_text("100")

    seller.get_by_role("link", name="New campaign").first.click()
    seller.get_by_label("Name", exact=True).fill("Apple week")
    seller.get_by_label("Bid per click").fill("1.20")
    seller.get_by_label("Daily budget").fill("30")
    seller.get_by_label("Crisp red apples").check()
    seller.get_by_label("Keywords").fill("apples\n苹果 | 1.50")
    docs_shot(seller, "sponsored-campaign-form", guide="trust", full_page=True)
    seller.get_by_role("button", name="Save campaign").click()
    expect(seller.get_by_test_id("campaign-state")).to_have_text("Active")
    campaign = Campaign.objects.get(organization=shop)

    shopper = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1).new_page()
    shopper.goto(f"{base}/search/?q=apples")
    slot = shopper.locator("[data-sponsored]")
    expect(slot).to_have_count(1)
    expect(slot.get_by_test_id("sponsored-mark")).to_have_text("Sponsored")
    docs_shot(shopper, "sponsored-search", guide="trust")
    slot.get_by_role("link", name="Crisp red apples").click()
    shopper.wait_for_url(f"**/{apples.pk}/**")
    shopper.go_back()
    shopper.locator("[data-sponsored]").get_by_role("link", name="Crisp red apples").click()
    shopper.wait_for_url(f"**/{apples.pk}/**")
    assert list(Click.objects.order_by("id").values_list("outcome", flat=True)) == ["charged", "repeat"]

    seller.goto(f"{base}{reverse('sponsored:console_campaign', args=[shop.pk, campaign.pk])}")
    expect(seller.locator("[data-stat=clicks] .value")).to_have_text("2")
    expect(seller.locator("[data-stat=charged] .value")).to_have_text("1")
    assert_fits(seller)
    docs_shot(seller, "sponsored-campaign", guide="trust", full_page=True)

    # Chinese, on a phone: the shopper's slot reads 推广; the seller's pages fit
    phone = browser.new_context(viewport=PHONE, device_scale_factor=1)
    phone.add_cookies([{"name": "django_language", "value": "zh-hans", "url": base}])
    zh = phone.new_page()
    zh.goto(f"{base}/search/?q=苹果")
    expect(zh.locator("[data-sponsored]").get_by_test_id("sponsored-mark")).to_have_text("推广")
    assert_fits(zh)
    docs_shot(zh, "sponsored-search-phone-zh", guide="trust")
    for language in ("en", "zh-hans"):
        owner = person_page(browser, base, shop.owner.email, language=language, viewport=PHONE)
        for name in ("sponsored:console_campaigns", "sponsored:console_campaign_create"):
            owner.goto(f"{base}{reverse(name, args=[shop.pk])}")
            assert_fits(owner)
        owner.goto(f"{base}{reverse('sponsored:console_campaign', args=[shop.pk, campaign.pk])}")
        assert_fits(owner)
        if language == "zh-hans":
            docs_shot(owner, "sponsored-campaign-phone-zh", guide="trust", full_page=True)
    seller.goto(f"{base}{reverse('sponsored:console_campaigns', args=[shop.pk])}")
    docs_shot(seller, "sponsored-campaigns", guide="trust")
