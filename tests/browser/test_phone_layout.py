"""Every page type fits a phone: at 390 px nothing scrolls sideways, signed out, as a buyer and as a merchant, in
English and in Simplified Chinese. The cart and the order desk keep quantity, remove and total on screen.

One browser, one page per person, reused for every URL (a page load is the cost that matters here).
Set TRADELOOP_LAYOUT_SHOTS=/some/dir to save a screenshot of every page visited.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from tests import factories
from tests.browser.people import sign_in
from tradeloop.aftersales import services as aftersales
from tradeloop.checkout.models import Address
from tradeloop.conversations import services as conversations
from tradeloop.fulfilment.models import ShippingMethod
from tradeloop.inventory.models import Stock, Warehouse
from tradeloop.promotions.models import Promotion

PHONE = {"width": 390, "height": 844}
LANGUAGES = ("en", "zh-hans")
SHOTS = os.environ.get("TRADELOOP_LAYOUT_SHOTS", "")
LONG_TITLE = "Longjing Dragon Well green tea, first flush of spring, hand-roasted, 250 g gift tin"

# What sticks out: the page is wider than the window, and which elements reach past its right edge.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const culprits = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && !el.closest(".table-wrap, .tabs, .sidenav, .gallery-thumbs")) {
      culprits.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} → ${Math.round(box.right)}px`);
    }
  }
  const scrollers = [...document.querySelectorAll(".table-wrap")]
    .filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1)
    .map((wrap) => `table scrolls ${wrap.scrollWidth}px in ${wrap.clientWidth}px`);
  return {scrollWidth: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 5), scrollers};
}"""


def a_marketplace():
    """A merchant with long names and every kind of record a page shows, and a buyer who has used them all."""
    tea = factories.CategoryFactory(slug="tea", name="Tea and tea ware", name_zh="茶与茶具")
    merchant = factories.seller_with_owner(kind="merchant", name="West Lake Longjing Tea House & Trading Company")
    merchant.owner.name = "Wang Jianguo (王建国), store manager"
    merchant.owner.save()
    longjing = factories.published_product(merchant, title=LONG_TITLE, price="1288.00", stock=40, category=tea)
    cup = factories.published_product(
        merchant, title="Celadon teacup", price="36.00", stock=30, category=tea, variants=3
    )
    ShippingMethod.objects.create(seller=merchant, name="SF Express next-day delivery", rate=Decimal("12"))
    factories.promotion(seller=merchant, name="Spring festival: 15% off every order over 200", code="SPRING15")
    buyer = factories.UserFactory(email="mei.lin.long.address@example.com", name="Mei Lin (林美), Hangzhou")
    Address.objects.create(
        user=buyer, name="Mei Lin", phone="13800138000", line1="18 Nanshan Road, Xihu District", city="Hangzhou"
    )
    items = [(longjing.variants.get(), 2), (cup.variants.first(), 6)]
    paid = factories.paid_order(seller=merchant, buyer=buyer, items=items)
    delivered = factories.delivered_order(seller=merchant, buyer=buyer, items=items)
    aftersales.request_return(
        actor=buyer, order=delivered, lines={delivered.lines.first().pk: 1}, reason="The tin arrived dented"
    )
    message = conversations.ask_about_product(actor=buyer, product_id=longjing.pk, body="Is this year's harvest? " * 6)
    return {
        "merchant": merchant,
        "buyer": buyer,
        "product": longjing,
        "cup": cup,
        "paid": paid,
        "delivered": delivered,
        "conversation": message.conversation_id,
    }


def public_pages(m) -> list[str]:
    product = m["product"]
    return [
        reverse("storefront:home"),
        reverse("storefront:products") + "?q=tea",
        reverse("storefront:category", args=["tea"]),
        reverse("storefront:product", args=[product.pk, product.slug]),
        reverse("storefront:store", args=[m["merchant"].slug]),
        reverse("checkout:cart"),
        reverse("accounts:login"),
        reverse("accounts:signup"),
    ]


def buyer_pages(m) -> list[str]:
    address = Address.objects.get(user=m["buyer"])
    return [
        reverse("storefront:home"),
        reverse("accounts:profile"),
        reverse("accounts:tokens"),
        reverse("checkout:addresses"),
        reverse("checkout:address_edit", args=[address.pk]),
        reverse("orders:list"),
        reverse("orders:detail", args=[m["paid"].number]),
        reverse("orders:detail", args=[m["delivered"].number]),
        reverse("aftersales:my_returns"),
        reverse("conversations:inbox"),
        reverse("conversations:thread", args=[m["conversation"]]),
        reverse("conversations:ask_product", args=[m["cup"].pk]),
    ]


def merchant_pages(m) -> list[str]:
    org = m["merchant"].pk
    stock = Stock.objects.filter(variant__product=m["product"]).first()
    warehouse = Warehouse.objects.filter(seller=m["merchant"]).first()
    promotion = Promotion.objects.filter(seller=m["merchant"]).first()
    method = ShippingMethod.objects.filter(seller=m["merchant"]).first()
    pages = [
        reverse("console:dashboard", args=[org]),
        reverse("console:products", args=[org]),
        reverse("console:product_create", args=[org]),
        reverse("console:product_edit", args=[org, m["cup"].pk]),
        reverse("inventory:console_stock", args=[org]),
        reverse("inventory:console_stock_row", args=[org, stock.pk]),
        reverse("inventory:console_warehouses", args=[org]),
        reverse("inventory:console_warehouse", args=[org, warehouse.pk]),
        reverse("promotions:list", args=[org]),
        reverse("promotions:create", args=[org]),
        reverse("promotions:edit", args=[org, promotion.pk]),
        reverse("orders:console_orders", args=[org]),
        reverse("orders:console_order", args=[org, m["paid"].pk]),
        reverse("orders:console_order", args=[org, m["delivered"].pk]),
        reverse("aftersales:console_returns", args=[org]),
        reverse("conversations:console_inbox", args=[org]),
        reverse("conversations:console_thread", args=[org, m["conversation"]]),
        reverse("fulfilment:console_shipping_methods", args=[org]),
        reverse("fulfilment:console_shipping_method_edit", args=[org, method.pk]),
        reverse("payments:console_payouts", args=[org]),
        reverse("store_design:edit", args=[org]),
        reverse("console:team", args=[org]),
        reverse("console:settings", args=[org]),
    ]
    return pages


def phone_page(browser: Browser, base: str, language: str) -> Page:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    return context.new_page()


def check(page: Page, url: str, label: str, problems: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{label} {url}: HTTP {response and response.status}"
    found = page.evaluate(OVERFLOW)
    if found["scrollWidth"] > found["width"] or found["scrollers"]:
        problems.append(f"{label} {url}: {found['scrollWidth']}px wide; {found['culprits']} {found['scrollers']}")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^a-z0-9]+", "-", f"{label} {url.split('//')[-1].split('/', 1)[-1]}".lower()).strip("-")
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def within_screen(page: Page, selector: str) -> bool:
    if not page.locator(selector).count():
        return False
    return page.locator(selector).first.evaluate(
        "(el) => { const b = el.getBoundingClientRect(); return b.width > 0 && b.left >= 0 && b.right <= innerWidth; }"
    )


def buy_through_the_flow(page: Page, base: str, m, label: str, problems: list[str]) -> None:
    """Cart → checkout → the sandbox's page → the confirmation, checking each one on the way."""
    product = m["product"]
    page.goto(f"{base}{reverse('storefront:product', args=[product.pk, product.slug])}")
    page.locator("form[action$='/cart/add/'] button[type=submit]").first.click()
    check(page, f"{base}{reverse('checkout:cart')}", label, problems)
    for key in ("input[name=quantity]", "button[value=remove]", "[data-line] .price"):
        if not within_screen(page, f"[data-line] {key}" if not key.startswith("[") else key):
            problems.append(f"{label} cart: {key} is off screen")
    check(page, f"{base}{reverse('checkout:checkout')}", label, problems)
    page.locator("button[name=action][value=place]").click()
    page.wait_for_url(re.compile("/pay/sandbox/"))
    check(page, page.url, label, problems)
    page.locator("button[name=action][value=pay]").click()
    page.wait_for_url(re.compile("/done/"))
    check(page, page.url, label, problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_scrolls_sideways_on_a_phone(live_server, browser: Browser, language, settings, celery_eager):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    m = a_marketplace()
    base = live_server.url
    problems: list[str] = []

    visitor = phone_page(browser, base, language)
    for url in public_pages(m):
        check(visitor, base + url, f"{language} visitor", problems)
    visitor.context.close()

    buyer = phone_page(browser, base, language)
    sign_in(buyer, base, m["buyer"].email)
    for url in buyer_pages(m):
        check(buyer, base + url, f"{language} buyer", problems)
    buy_through_the_flow(buyer, base, m, f"{language} buyer", problems)
    buyer.context.close()

    merchant = phone_page(browser, base, language)
    sign_in(merchant, base, m["merchant"].owner.email)
    for url in merchant_pages(m):
        check(merchant, base + url, f"{language} merchant", problems)
    desk = base + reverse("orders:console_orders", args=[m["merchant"].pk])
    merchant.goto(desk)
    row = f"[data-order='{m['paid'].number}']"
    for key in (f"{row} a", f"{row} td.num"):
        if not within_screen(merchant, key):
            problems.append(f"{language} order desk: {key} is off screen")
    merchant.context.close()

    assert not problems, "\n".join(problems)
