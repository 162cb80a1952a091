"""The seller's customers in Chromium, only through the console: Customers in the navigation → the list → tick two
customers and tag them VIP → a customer's card with a private note → Segments → a new segment whose member count
follows the conditions as they are typed → send it a message. At 1280 and 390 px in English and Chinese nothing
scrolls sideways (tables become cards on a phone). TRADELOOP_DOCS_SHOTS=1 saves docs/images/insight/customers*.png and segments*.png."""

from __future__ import annotations

import re
from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import Browser, expect

from tests import factories
from tests.browser.people import PHONE, assert_fits, docs_shot, person_page
from tradeloop.core import clock
from tradeloop.crm.models import Customer, Segment

PEOPLE = (
    ("Wang Fang (王芳)", "Nanjing", "188.00"),
    ("Li Wei (李伟)", "Shanghai", "56.00"),
    ("Chen Xiao (陈晓)", "Nanjing", "320.00"),
    ("Zhang Min (张敏)", "Hangzhou", "42.50"),
    ("Mei Lin (林美)", "Nanjing", "99.00"),
)


def _shop():
    shop = factories.seller_with_owner(name="Hangzhou Tea House")
    for index, (name, city, price) in enumerate(PEOPLE):
        buyer = factories.UserFactory(name=name, language="zh-hans" if index % 2 else "en")
        product = factories.published_product(shop, title=f"Tea {index}", price=price)
        order = factories.paid_order(seller=shop, buyer=buyer, items=[(product.variants.get(), 1)], shipping="0")
        order.shipping_address = {**order.shipping_address, "city": city}
        order.save(update_fields=["shipping_address"])
        clock.advance(days=9)
    from tradeloop.crm import services

    services.rebuild(seller=shop)  # the cities were changed after the orders were paid
    return shop


def test_merchant_tags_customers_notes_one_and_messages_a_segment(live_server, browser: Browser):
    base = live_server.url
    shop = _shop()
    assert Customer.objects.filter(seller=shop).count() == len(PEOPLE)
    merchant = person_page(browser, base, shop.owner.email)
    merchant.goto(f"{base}{reverse('console:dashboard', args=[shop.pk])}")
    merchant.locator(".sidenav").get_by_role("link", name="Customers").click()
    expect(merchant.locator("[data-customer]")).to_have_count(len(PEOPLE))
    rows = merchant.locator("[data-customer]")
    rows.nth(0).locator("input[type=checkbox]").check()
    rows.nth(1).locator("input[type=checkbox]").check()
    merchant.get_by_placeholder("Tag, e.g. VIP").first.fill("VIP")
    merchant.get_by_role("button", name="Add tag").click()
    expect(merchant.get_by_text("Tagged 2 customers.")).to_be_visible()
    assert_fits(merchant)
    docs_shot(merchant, "customers")

    merchant.locator("[data-customer] a").first.click()
    merchant.get_by_label("New note (only your team sees it)").fill("Prefers Longjing; call before delivery.")
    merchant.get_by_role("button", name="Add note").click()
    expect(merchant.get_by_text("Prefers Longjing; call before delivery.")).to_be_visible()
    docs_shot(merchant, "customers-detail")

    merchant.goto(f"{base}{reverse('crm:console_segments', args=[shop.pk])}")
    merchant.get_by_role("link", name="New segment").first.click()
    merchant.get_by_label("Name").fill("Nanjing regulars")
    merchant.get_by_label("City is").fill("Nanjing")
    expect(merchant.locator("#segment-count")).to_have_text(re.compile("3 customers match now"))
    merchant.get_by_label("Spent more than").fill("100")
    expect(merchant.locator("#segment-count")).to_have_text(re.compile("2 customers match now"))
    docs_shot(merchant, "segments-edit")
    merchant.get_by_role("button", name="Save segment").click()
    expect(merchant.get_by_text("Segment saved.")).to_be_visible()
    expect(merchant.locator("[data-customer]")).to_have_count(2)
    merchant.get_by_label("Subject").last.fill("Spring Longjing is here")
    merchant.get_by_label("Message").last.fill("The first flush arrived this week. 新茶到店。")
    merchant.locator("form[action$='/message/'] button[type=submit]").click()
    expect(merchant.get_by_text("Message sent to 2 customers.")).to_be_visible()
    assert_fits(merchant)
    docs_shot(merchant, "segments")
    merchant.context.close()
    segment = Segment.objects.get(seller=shop)
    assert segment.campaigns.get().recipients_count == 2

    for language in ("en", "zh-hans"):
        phone = person_page(browser, base, shop.owner.email, language=language, viewport=PHONE)
        suffix = "-zh" if language == "zh-hans" else ""
        for url, name in (
            (reverse("crm:console_customers", args=[shop.pk]), f"customers{suffix}-390"),
            (reverse("crm:console_segment", args=[shop.pk, segment.pk]), f"segments{suffix}-390"),
            (reverse("crm:console_segments", args=[shop.pk]), None),
            (reverse("crm:console_segment_edit", args=[shop.pk, segment.pk]), None),
            (reverse("crm:console_customer", args=[shop.pk, Customer.objects.filter(seller=shop).first().pk]), None),
        ):
            phone.goto(base + url)
            assert_fits(phone)
            if name:
                docs_shot(phone, name)
        phone.context.close()
    laptop_zh = person_page(browser, base, shop.owner.email, language="zh-hans")
    laptop_zh.goto(base + reverse("crm:console_customers", args=[shop.pk]))
    expect(laptop_zh.locator("h1")).to_have_text("客户")
    assert_fits(laptop_zh)
    docs_shot(laptop_zh, "customers-zh")
    laptop_zh.context.close()
    assert Decimal(Customer.objects.get(seller=shop, name=PEOPLE[2][0]).lifetime_value) == Decimal("320.00")
