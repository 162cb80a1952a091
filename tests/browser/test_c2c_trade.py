"""A whole C2C trade in Chromium, only through the web pages: a private person lists an item → a buyer offers → the
seller counters → the buyer accepts and pays into escrow → the seller ships → the buyer confirms receipt → both
rate each other, and the ratings show once both have rated."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from django.urls import reverse
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests import factories
from tests.browser.people import sign_in
from tradeloop.c2c.models import Escrow, Listing, Rating
from tradeloop.checkout.models import Address
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance
from tradeloop.orders.models import Order


def _photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(out, "JPEG")
    return {"name": "kindle.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def _person(browser: Browser, base: str, email: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en").new_page()
    sign_in(page, base, email)
    return page


def test_list_offer_counter_accept_pay_ship_confirm_and_rate(live_server, browser: Browser, settings, celery_eager):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the sandbox hands its signed webhook over in-process
    base = live_server.url
    seller_user = factories.UserFactory(email="lin@example.com", name="Lin Xiaoyu")
    buyer = factories.UserFactory(email="mei@example.com", name="Mei")
    Address.objects.create(
        user=buyer, name="Mei Lin", phone="13800138000", line1="18 Nanshan Road", city="Hangzhou", is_default=True
    )

    seller = _person(browser, base, seller_user.email)
    seller.goto(f"{base}{reverse('c2c:sell_item')}")
    seller.get_by_label("Photos").set_input_files(_photo())
    seller.get_by_label("Title").fill("Kindle Paperwhite, 8 GB")
    seller.get_by_label("Condition").select_option("like_new")
    seller.get_by_label("Price").fill("300")
    seller.get_by_label("Shipping fee").fill("10")
    seller.get_by_label("City").fill("Hangzhou")
    seller.locator("main form button[type=submit]").last.click()
    item = Listing.objects.select_related("product").get(product__title="Kindle Paperwhite, 8 GB")
    assert item.state == Listing.State.ACTIVE and item.product.condition == "like_new"

    shopper = _person(browser, base, buyer.email)
    shopper.goto(f"{base}{reverse('storefront:product', args=[item.product.pk, item.product.slug])}")
    expect(shopper.get_by_text("Like new").first).to_be_visible()
    expect(shopper.get_by_text("In stock")).to_have_count(0)
    shopper.get_by_label(re.compile("^Your offer")).fill("250")
    shopper.get_by_role("button", name="Send offer").click()
    expect(shopper.get_by_text(re.compile("Version 1"))).to_be_visible()
    offer_url = shopper.url

    seller.goto(offer_url)
    seller.get_by_label("Counter-offer").fill("280")
    seller.get_by_role("button", name="Send counter-offer").click()
    expect(seller.get_by_text(re.compile("Version 2"))).to_be_visible()

    shopper.goto(offer_url)
    shopper.get_by_role("button", name=re.compile("^Accept")).click()
    shopper.get_by_role("link", name="Pay now").click()
    shopper.get_by_role("button", name="Pay now").click()
    expect(shopper.get_by_role("heading", name="Sandbox payment")).to_be_visible()
    shopper.get_by_role("button", name="Pay", exact=True).click()
    order = Order.objects.get(buyer=buyer)
    assert order.state == Order.State.PAID and order.total == Decimal("290.00")  # 280 agreed + 10 shipping
    assert Escrow.objects.get(order=order).state == Escrow.State.HELD
    assert balance(ledger.escrow("CNY")).amount == Decimal("290.00")

    seller.goto(f"{base}{reverse('orders:console_order', args=[order.seller_id, order.pk])}")
    seller.get_by_label("Carrier").fill("SF Express")
    seller.get_by_label("Tracking number").fill("SF1234567890")
    seller.get_by_role("button", name="Ship", exact=True).click()
    expect(seller.get_by_text(re.compile("Paid into escrow"))).to_be_visible()

    shopper.goto(f"{base}{reverse('orders:detail', args=[order.number])}")
    expect(shopper.get_by_text(re.compile("held by the platform until you confirm receipt"))).to_be_visible()
    shopper.get_by_role("button", name="Confirm receipt").click()
    order.refresh_from_db()
    assert order.state == Order.State.COMPLETED
    assert (
        balance(ledger.seller_available(order.seller, "CNY")).amount
        == Decimal("290.00") - Decimal("290.00") * order.commission_rate
    )

    shopper.goto(f"{base}{reverse('c2c:order_ratings', args=[order.pk])}")
    shopper.locator("input[name=stars][value='5']").check()
    shopper.get_by_label("A few words (optional)").fill("As described, fast shipping.")
    shopper.get_by_role("button", name="Send the rating").click()
    seller.goto(f"{base}{reverse('c2c:order_ratings', args=[order.pk])}")
    expect(seller.get_by_text("As described, fast shipping.")).to_have_count(0)  # double-blind: not yet
    seller.locator("input[name=stars][value='4']").check()
    seller.get_by_role("button", name="Send the rating").click()
    expect(seller.get_by_text("As described, fast shipping.")).to_be_visible()  # both rated: both shown
    assert Rating.objects.filter(order=order).count() == 2
