"""After paying, the confirmation page turns to paid by itself as soon as the gateway's webhook lands: no reload.

The sandbox's webhook is held back until the page shows "Waiting for your payment", then delivered in-process (signed
and deduplicated as over HTTP), as a slow provider would. The cart also changes quantities in place (htmx).
"""

import re
from decimal import Decimal

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.people import sign_in
from tradeloop.checkout.models import Address
from tradeloop.fulfilment.models import ShippingMethod
from tradeloop.orders.models import Order
from tradeloop.payments.providers import sandbox


def test_the_confirmation_turns_paid_when_the_webhook_lands(
    live_server, page: Page, settings, celery_eager, monkeypatch
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    held: list[dict] = []
    monkeypatch.setattr(sandbox, "dispatch", held.append)  # the gateway is slow: its webhook waits for us
    tea_house = factories.seller_with_owner(kind="merchant", name="West Lake Tea")
    longjing = factories.published_product(tea_house, title="Longjing green tea", price="88.00", stock=12)
    ShippingMethod.objects.create(seller=tea_house, name="SF Express", rate=Decimal("12"))
    buyer = factories.UserFactory(email="mei@example.com", name="Mei")
    Address.objects.create(user=buyer, name="Mei Lin", phone="138", line1="18 Nanshan Road", city="Hangzhou")
    base = live_server.url

    sign_in(page, base, buyer.email)
    page.goto(f"{base}/p/{longjing.pk}/{longjing.slug}/")
    page.get_by_role("button", name="Add to cart").click()
    page.goto(f"{base}/cart/")
    page.evaluate("window.stayedOnPage = true")  # a full reload would forget this
    page.get_by_label("Quantity of Longjing green tea").fill("3")
    page.get_by_label("Quantity of Longjing green tea").press("Tab")  # a change posts the form in the background
    expect(page.locator("[data-cart-count]")).to_have_text("3")
    expect(page.locator("[data-line] .price")).to_have_text("CN¥264.00")
    assert page.evaluate("window.stayedOnPage === true")

    page.get_by_role("link", name="Check out").click()
    page.get_by_role("button", name="Place order and pay").click()
    summary = page.locator("[data-payment-summary]")
    expect(summary.locator("[data-payee]")).to_contain_text("West Lake Tea")
    expect(summary.locator("[data-payee]")).to_contain_text("3 × Longjing green tea")
    expect(summary).to_contain_text("CN¥276.00")
    page.get_by_role("button", name="Pay", exact=True).click()

    expect(page.get_by_role("heading", name="Waiting for your payment")).to_be_visible()
    page.evaluate("window.stayedOnPage = true")
    assert len(held) == 1 and Order.objects.get().state == Order.State.PENDING_PAYMENT
    sandbox.deliver_inline(held.pop())

    expect(page.get_by_role("heading", name="Thank you, your order is paid")).to_be_visible(timeout=4000)
    expect(page.locator("[data-order] [data-state]")).to_have_text("Paid")
    assert page.evaluate("window.stayedOnPage === true"), "the page was reloaded instead of updated"
    assert re.search(r"/checkout/\d+/done/$", page.url)
