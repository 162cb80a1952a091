"""A merchant with a month of history opens Analytics: the charts are inline SVG with their data drawn (a line of
points, columns with height, a funnel), the period switches to 7 days, and at 1280 and 390 px nothing scrolls
sideways, in English and in Simplified Chinese. TRADELOOP_DOCS_SHOTS=1 saves docs/images/insight/dashboard-*.png."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests import factories
from tests.browser.people import sign_in
from tests.browser.test_phone_layout import OVERFLOW
from tradeloop.analytics import rollups
from tradeloop.analytics.models import VisitCount
from tradeloop.core import clock
from tradeloop.orders import services as orders

DOCS = Path(__file__).resolve().parents[2] / "docs" / "images" / "insight"
SHOTS = os.environ.get("TRADELOOP_DOCS_SHOTS") == "1"


def a_month_of_sales():
    """Jade Teas: three regular customers buying every few days for 30 days, a refund, visits every day."""
    merchant = factories.seller_with_owner(kind="merchant", name="Jade Teas (翠茶)")
    teas = [
        factories.published_product(merchant, title=title, price=price, stock=500)
        for title, price in (
            ("Longjing green tea 250 g", "88.00"),
            ("Pu'er cake 357 g", "168.00"),
            ("Jasmine pearls", "56.00"),
        )
    ]
    buyers = [factories.UserFactory() for _ in range(3)]
    today = clock.now()
    placed = []
    for back in range(29, -1, -1):
        if back % 3 and back % 4:
            continue
        clock.travel(today - timedelta(days=back, hours=2))
        tea = teas[back % 3]
        placed.append(
            factories.paid_order(
                seller=merchant, buyer=buyers[back % 2 + (back % 5 == 0)], items=[(tea.variants.get(), 1 + back % 2)]
            )
        )
        VisitCount.objects.create(
            day=clock.now().date(),
            kind="product",
            object_id=tea.pk,
            seller=merchant,
            views=30 + back,
            visitors=12 + back % 7,
        )
    orders.refund(order=placed[3], amount="20.00", ref="goodwill", reason="late")
    clock.reset()
    rollups.sweep_rollups(clock.now())
    return merchant


def _charts_drawn(page) -> None:
    line = page.locator('svg[data-chart="line"] polyline.line').first
    assert len((line.get_attribute("points") or "").split()) >= 7
    heights = page.locator('svg[data-chart="bar"] rect.bar').evaluate_all(
        "els => els.map(e => +e.getAttribute('height'))"
    )
    assert heights and max(heights) > 0
    assert page.locator('[aria-labelledby="chart-funnel-heading"] svg rect').count() == 3
    for svg in page.locator("svg[data-chart]").all():
        assert (svg.locator("title").first.text_content() or "").strip()
        assert svg.get_attribute("role") == "img"


@pytest.mark.parametrize("language", ("en", "zh-hans"))
def test_the_dashboard_charts(live_server, browser: Browser, language):
    merchant = a_month_of_sales()
    base = live_server.url
    url = f"{base}/console/{merchant.pk}/analytics/"
    problems = []
    for width, height in ((1280, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page = context.new_page()
        sign_in(page, base, merchant.owner.email)
        page.goto(url + "?days=30")
        _charts_drawn(page)
        assert page.locator('svg[data-chart="line"]').first.locator("circle").count() == 30
        found = page.evaluate(OVERFLOW)
        if found["scrollWidth"] > found["width"] or found["scrollers"]:
            problems.append(
                f"{language} {width}: {found['scrollWidth']}px wide; {found['culprits']} {found['scrollers']}"
            )
        if SHOTS:
            DOCS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(DOCS / f"dashboard-{language}-{width}.png"), full_page=True)
        page.locator('[data-period-form] a[data-days="7"]').click()
        expect(page).to_have_url(f"{url}?days=7")
        _charts_drawn(page)
        assert page.locator('svg[data-chart="line"]').first.locator("circle").count() == 7
        expect(page.locator('[data-period-form] a[data-days="7"]')).to_have_attribute("aria-current", "page")
        page.fill("#period-from", "2026-01-10")
        page.fill("#period-to", "2026-01-01")
        page.locator("[data-period-form] button[type=submit]").click()
        expect(page.locator("#period-error")).to_be_visible()
        context.close()
    assert not problems, "\n".join(problems)
