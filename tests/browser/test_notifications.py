"""Notifications and webhooks in Chromium. A merchant owner sees the bell's unread count in the header, opens the
notifications page, marks all read; in the console, Webhooks in the navigation → add an endpoint (its secret shown
once) → send a test event to a real local receiver → the delivery log shows HTTP 200. At 1280 and 390 px in English
and Chinese nothing scrolls sideways. TRADELOOP_DOCS_SHOTS=1 saves docs/images/insight/notifications*.png and webhooks*.png."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.urls import reverse
from playwright.sync_api import Browser, expect

from tests import factories
from tests.browser.people import LAPTOP, PHONE, assert_fits, docs_shot, person_page
from tradeloop.notifications.services import notify


class _Receiver:
    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"received": true}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/tradeloop/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_notifications_badge_page_and_webhooks_console(live_server, browser: Browser, celery_eager):
    base = live_server.url
    shop = factories.seller_with_owner(name="Hangzhou Tea House")
    owner = shop.owner
    owner.language = "zh-hans"
    owner.save()
    product = factories.published_product(shop, title="Longjing tea", price="88.00")
    factories.paid_order(seller=shop, items=[(product.variants.get(), 1)], shipping="0")  # "new order" for the owner
    notify(recipient=owner, kind="demo", ref="a", title="您收到了 苏州精密 的报价", link="/orders/")
    notify(recipient=owner, kind="demo", ref="b", title="您的 足浴套餐 券将于 2026-12-06 过期")

    for language, viewport, suffix in (("en", LAPTOP, ""), ("zh-hans", PHONE, "-zh-phone")):
        page = person_page(browser, base, owner.email, language=language, viewport=viewport)
        badge = page.locator("#notice-badge [data-notice-count]")
        expect(badge).to_have_text("3")
        assert_fits(page)
        page.locator("#notice-badge").click()
        expect(page.locator("[data-notice]")).to_have_count(3)
        assert_fits(page)
        docs_shot(page, f"notifications{suffix}")
        page.context.close()

    page = person_page(browser, base, owner.email, language="en")
    page.goto(f"{base}/notifications/")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator(".notice-unread")).to_have_count(0)
    expect(page.locator("#notice-badge [data-notice-count]")).to_have_count(0)

    receiver = _Receiver()
    try:
        page.goto(f"{base}{reverse('console:dashboard', args=[shop.pk])}")
        page.locator(".sidenav").get_by_role("link", name="Webhooks").click()
        page.get_by_label("URL").fill(receiver.url)
        page.get_by_label("Description (optional)").fill("ERP")
        for event in ("An order was placed", "An order was paid", "A parcel of an order was shipped"):
            page.get_by_label(event).check()
        page.get_by_role("button", name="Add the endpoint").click()
        expect(page.locator("[data-secret]")).to_contain_text("whsec_")
        assert_fits(page)
        docs_shot(page, "webhooks")
        page.locator("[data-endpoint] a").first.click()
        page.get_by_role("button", name="Send a test event").click()
        expect(page.get_by_text("A test event is on its way.")).to_be_visible()
        page.reload()
        expect(page.locator("[data-delivery]").first).to_contain_text("HTTP 200")
        assert_fits(page)
        docs_shot(page, "webhooks-deliveries")
        endpoint_url = page.url
        page.context.close()

        phone = person_page(browser, base, owner.email, language="zh-hans", viewport=PHONE)
        phone.goto(endpoint_url)
        expect(phone.get_by_role("button", name="发送测试事件")).to_be_visible()
        assert_fits(phone)
        docs_shot(phone, "webhooks-deliveries-zh-phone")
        phone.goto(f"{base}{reverse('notifications:console_webhooks', args=[shop.pk])}")
        assert_fits(phone)
        docs_shot(phone, "webhooks-zh-phone")
    finally:
        receiver.server.shutdown()
