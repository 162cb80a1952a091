"""A first visit in a real browser: sign up, browse a category, open a product, switch to Simplified Chinese."""

import re

from playwright.sync_api import Page, expect

from tests import factories
from tradeloop.catalog import services as catalog


def test_sign_up_browse_open_a_product_and_switch_language(live_server, page: Page, screenshot):
    fruit = factories.CategoryFactory(slug="fruit", name="Fruit", name_zh="水果")
    shop = factories.seller_with_owner(kind="merchant", name="Wang's Fruit Shop")
    apples = factories.published_product(shop, title="Yantai Fuji apples", price="12.80", category=fruit, variants=2)
    catalog.update_product(actor=shop.owner, product=apples, title_zh="烟台红富士苹果")
    base = live_server.url

    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("E-mail").fill("mei@example.com")
    page.get_by_label("Your name").fill("Mei")
    page.get_by_label("Password", exact=True).fill("a long enough secret 42")
    page.get_by_label("Password again").fill("a long enough secret 42")
    page.locator("main form").get_by_role("button").last.click()
    expect(page.locator("header")).to_contain_text("Mei")

    page.goto(f"{base}/c/fruit/")
    expect(page.locator("main")).to_contain_text("Yantai Fuji apples")
    page.get_by_role("link", name=re.compile("Yantai Fuji apples")).first.click()
    expect(page.locator("h1")).to_have_text(re.compile("Yantai Fuji apples"))
    expect(page.locator("main")).to_contain_text("¥12.80")
    screenshot("first-visit-product")

    page.locator("footer").get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("header")).to_contain_text("搜索")
    expect(page.locator("h1")).to_have_text("烟台红富士苹果")  # the product's own Chinese title
    screenshot("first-visit-product-zh")
