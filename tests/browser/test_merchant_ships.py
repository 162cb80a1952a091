"""A merchant's fulfilment staff ships a paid order from the order desk; the buyer sees it shipped with its tracking
number."""

import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.people import sign_in

TRACKING = "SF1234567890"


def test_merchant_staff_ships_and_the_buyer_sees_it(live_server, page, browser, screenshot, celery_eager, mailoutbox):
    merchant = factories.seller_with_owner(kind="merchant", name="West Lake Tea")
    packer = factories.member(merchant, "fulfilment")
    order = factories.paid_order(seller=merchant)

    staff_page = page
    sign_in(staff_page, live_server.url, packer.email)
    staff_page.goto(f"{live_server.url}/console/{merchant.pk}/orders/")
    staff_page.get_by_role("link", name=order.number).click()
    expect(staff_page.get_by_role("heading", name="Ship items")).to_be_visible()
    staff_page.get_by_label("Carrier").fill("SF Express")
    staff_page.get_by_label("Tracking number").fill(TRACKING)
    staff_page.get_by_role("button", name="Ship", exact=True).click()
    expect(staff_page.get_by_text(f"tracking number {TRACKING}")).to_be_visible()
    expect(staff_page.get_by_role("cell", name=TRACKING, exact=True)).to_be_visible()
    expect(staff_page.get_by_role("heading", name=re.compile(order.number))).to_contain_text("Shipped")
    screenshot("merchant-shipped-order")

    buyer_page = browser.new_context().new_page()
    sign_in(buyer_page, live_server.url, order.buyer.email)
    buyer_page.goto(f"{live_server.url}/orders/{order.number}/")
    expect(buyer_page.get_by_role("heading", name=re.compile(order.number))).to_contain_text("Shipped")
    expect(buyer_page.get_by_text(TRACKING)).to_be_visible()
    expect(buyer_page.get_by_text("SF Express")).to_be_visible()
    buyer_page.context.close()
    assert any(TRACKING in m.body for m in mailoutbox if m.to == [order.buyer.email])  # and got the e-mail
