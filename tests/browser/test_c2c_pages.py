"""Every C2C page, walked in Chromium as each role it touches — the buyer, the private sellers — on the demo's
marketplace (listings on sale and expired, an offer thread, money in escrow, a dispute, a rated sale): at 390 px
nothing scrolls sideways, in English and in Simplified Chinese; at 1280 px every page answers.
Set TRADELOOP_LAYOUT_SHOTS=/some/dir to save a screenshot of every page visited (docs/images/c2c come from here)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_phone_layout import LANGUAGES, check, phone_page
from tradeloop.c2c.models import Dispute, Listing
from tradeloop.demo import content, loader
from tradeloop.negotiation.models import Negotiation
from tradeloop.orders.models import Order


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(re.compile("E-mail|电子邮件|邮箱")).fill(email)
    page.get_by_label(re.compile("Password|密码")).fill(content.PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".site-header details.menu")).to_be_visible()


def _listing_url(sku: str) -> str:
    item = Listing.objects.select_related("product").get(product__variants__sku=sku)
    return reverse("storefront:product", args=[item.product.pk, item.product.slug])


def _order(sku: str) -> Order:
    return Order.objects.get(mode="c2c", lines__sku=sku)


def _walks() -> list[tuple[str, str, list[str]]]:
    camera = Listing.objects.get(product__variants__sku="LN-XT3")
    thread = Negotiation.objects.get(kind=Negotiation.Kind.OFFER)
    dispute = Dispute.objects.get()
    lens, bike, books = _order("LN-EF50"), _order("ZM-FOLD"), _order("ZM-PYBOOKS")
    li_na = camera.product.seller
    zhou_ming = bike.seller
    return [
        (
            "buyer",
            content.CONSUMER.email,
            [
                _listing_url("LN-XT3"),
                _listing_url("ZM-BIKE"),
                reverse("c2c:offers"),
                reverse("c2c:offer", args=[thread.pk]),
                reverse("orders:detail", args=[lens.number]),
                reverse("orders:detail", args=[bike.number]),
                reverse("c2c:dispute", args=[dispute.pk]),
                reverse("c2c:dispute_open", args=[lens.pk]),
                reverse("orders:detail", args=[books.number]),
                reverse("c2c:order_ratings", args=[books.pk]),
                reverse("c2c:disputes"),
                reverse("c2c:watching"),
                reverse("c2c:profile", args=[zhou_ming.pk]),
            ],
        ),
        (
            "seller",
            content.LI_NA.owner.email,
            [
                reverse("c2c:sell_item"),
                reverse("c2c:my_listings"),
                f"{reverse('c2c:offers')}?tab=received",
                reverse("c2c:offer", args=[thread.pk]),
                reverse("c2c:listing_offers", args=[camera.pk]),
                reverse("orders:console_order", args=[li_na.pk, lens.pk]),
                _listing_url("LN-3BODY"),
            ],
        ),
        (
            "disputed seller",
            content.ZHOU_MING.owner.email,
            [
                reverse("c2c:dispute", args=[dispute.pk]),
                reverse("c2c:console_disputes", args=[zhou_ming.pk]),
                reverse("c2c:order_ratings", args=[books.pk]),
                reverse("c2c:profile", args=[zhou_ming.pk]),
            ],
        ),
    ]


@pytest.fixture
def demo_marketplace(settings, celery_eager):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    loader.load()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_c2c_page_fits_a_phone_for_every_role(live_server, browser: Browser, demo_marketplace, language):
    base = live_server.url
    problems: list[str] = []
    for who, email, urls in _walks():
        page = phone_page(browser, base, language)
        _sign_in(page, base, email)
        for url in urls:
            check(page, base + url, f"c2c {language} {who}", problems)
        page.context.close()
    assert not problems, "\n".join(problems)


def test_every_c2c_page_answers_on_a_desktop(live_server, browser: Browser, demo_marketplace):
    base = live_server.url
    problems: list[str] = []
    for who, email, urls in _walks():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en")
        page = context.new_page()
        _sign_in(page, base, email)
        for url in urls:
            check(page, base + url, f"c2c desktop {who}", problems)
        context.close()
    assert not problems, "\n".join(problems)
