"""Buyer suggestions and unmet demand in Chromium, only through the web pages: a buyer opens a store → Suggestions →
posts "open on Sundays"; another buyer (on a phone, in Chinese) votes for it; the merchant marks it planned, then done
with a public reply, on the console's Suggestions desk; the reply shows on the public list. The console's "What
buyers look for and cannot find" page, at 1280 and 390 px in both languages, fits without sideways scroll.
TRADELOOP_DOCS_SHOTS=1 saves docs/images/insight/suggestions*.png and demand*.png."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import Browser, expect

from tests import factories
from tests.browser.people import LAPTOP, PHONE, assert_fits, docs_shot, person_page
from tradeloop.feedback.models import Suggestion
from tradeloop.feedback.services import note_search


def test_buyer_suggests_another_votes_merchant_plans_and_finishes_it(live_server, browser: Browser):
    base = live_server.url
    store = factories.seller_with_owner(name="Hangzhou Tea House")
    tea = factories.CategoryFactory(slug="tea", name="Tea", name_zh="茶")
    factories.published_product(store, title="Longjing green tea", price="88.00", stock=20, category=tea)
    first = factories.UserFactory(name="Mei Lin")
    second = factories.UserFactory(name="Wang Fang", language="zh-hans")

    # the first buyer: the store page → Make a suggestion → posts it
    buyer = person_page(browser, base, first.email)
    buyer.goto(f"{base}{reverse('storefront:store', args=[store.slug])}")
    buyer.locator("[data-suggestions] a.btn").click()
    buyer.get_by_label("Your suggestion").fill("Please open on Sundays, that is when we can come by.")
    buyer.get_by_role("button", name="Post the suggestion").click()
    expect(buyer.get_by_text("Thank you: your suggestion is posted.")).to_be_visible()
    expect(buyer.locator("[data-suggestion]")).to_have_count(1)
    docs_shot(buyer, "suggestions-store")
    buyer.context.close()

    # another buyer on a phone, in Chinese, votes for it
    other = person_page(browser, base, second.email, language="zh-hans", viewport=PHONE)
    other.goto(f"{base}{reverse('feedback:store', args=[store.slug])}")
    other.locator("[data-vote]").click()
    expect(other.locator("[data-vote]")).to_have_text(re.compile("已投票 · 1"))
    assert_fits(other)
    docs_shot(other, "suggestions-vote-zh-390")
    other.context.close()
    assert Suggestion.objects.get().vote_count == 1

    # the merchant: console → Suggestions → planned, then done with a public reply
    merchant = person_page(browser, base, store.owner.email)
    merchant.goto(f"{base}{reverse('console:dashboard', args=[store.pk])}")
    merchant.locator(".sidenav").get_by_role("link", name="Suggestions").click()
    card = merchant.locator("[data-suggestion]").first
    card.get_by_label("Status").select_option("planned")
    card.get_by_label("Public reply").fill("We are hiring for Sundays: from March.")
    card.get_by_role("button", name="Save").click()
    expect(merchant.get_by_text("The suggestion is updated")).to_be_visible()
    card = merchant.locator("[data-suggestion]").first
    expect(card.get_by_text("Planned").first).to_be_visible()
    card.get_by_label("Status").select_option("done")
    card.get_by_label("Public reply").fill("Open Sundays 10:00–16:00 from 1 March.")
    card.get_by_role("button", name="Save").click()
    expect(merchant.locator("[data-suggestion]").first.get_by_text("Done").first).to_be_visible()
    docs_shot(merchant, "suggestions-console")
    merchant.set_viewport_size(PHONE)
    assert_fits(merchant)
    docs_shot(merchant, "suggestions-console-390")
    merchant.context.close()

    # everyone sees the reply under it
    for language, viewport, name in (("en", LAPTOP, "suggestions-done"), ("zh-hans", PHONE, "suggestions-done-zh-390")):
        context = browser.new_context(viewport=viewport, device_scale_factor=1)
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page = context.new_page()
        page.goto(f"{base}{reverse('feedback:store', args=[store.slug])}")
        expect(page.get_by_text("Open Sundays 10:00–16:00 from 1 March.")).to_be_visible()
        assert_fits(page)
        docs_shot(page, name)
        context.close()
    s = Suggestion.objects.get()
    assert (s.status, s.reply) == ("done", "Open Sundays 10:00–16:00 from 1 March.")


def test_the_demand_page_in_both_languages_at_1280_and_390(live_server, browser: Browser):
    base = live_server.url
    store = factories.seller_with_owner(name="Hangzhou Tea House")
    tea = factories.CategoryFactory(slug="tea", name="Tea", name_zh="茶")
    factories.published_product(store, title="Longjing green tea", price="88.00", stock=20, category=tea)
    for text, region, n in (
        ("Matcha powder", "Hangzhou", 5),
        ("matcha powders", "Hangzhou", 2),
        ("白茶 饼", "Nanjing", 3),
        ("Pu-erh tea brick 357 g", "Shanghai", 1),
    ):
        for _ in range(n):
            note_search(text=text, region=region, results=0, category_id=tea.pk)
    for language in ("en", "zh-hans"):
        page = person_page(browser, base, store.owner.email, language=language)
        page.goto(f"{base}{reverse('feedback:console_demand', args=[store.pk])}?days=30")
        expect(page.locator("[data-demand] tbody tr")).to_have_count(3)
        suffix = "" if language == "en" else "-zh"
        docs_shot(page, f"demand{suffix}")
        page.set_viewport_size(PHONE)
        page.reload()
        assert_fits(page)
        docs_shot(page, f"demand{suffix}-390")
        page.context.close()
