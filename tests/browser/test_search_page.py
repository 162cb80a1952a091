"""The search results page with its facets, at 1280 and 390 px, in English and Simplified Chinese: nothing scrolls
sideways on a phone, the facets narrow the list, and TRADELOOP_DOCS_SHOTS=1 saves the doc screenshots (docs/images/insight/search-*.png)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.people import docs_shot
from tests.browser.test_phone_layout import LANGUAGES, OVERFLOW
from tests.search.conftest import corpus  # noqa: F401  (the fixed corpus, indexed)


@pytest.mark.parametrize("language", LANGUAGES)
def test_results_page_with_facets_at_desktop_and_phone_width(live_server, browser: Browser, corpus, language):  # noqa: F811
    query = "strawbery" if language == "en" else "草莓"
    short = "en" if language == "en" else "zh"
    for width, height in ((1280, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        page.fill("#site-search", query)
        page.press("#site-search", "Enter")
        page.wait_for_url("**/search/?q=*")
        assert page.locator(".grid-products > li").count() == 4
        if language == "en":
            assert "Showing results for “strawberry”" in page.content()
        if width == 390:
            found = page.evaluate(OVERFLOW)
            assert found["scrollWidth"] <= found["width"], found
            page.locator(".filters-panel > summary").click()
        docs_shot(page, f"search-{short}-{width}", full_page=width == 390)
        # a facet narrows the list: the deals alone
        page.locator('[data-facet="kind"] a').filter(has_text="团购" if short == "zh" else "Local deals").click()
        page.wait_for_url("**kind=deal*")
        expect(page.locator(".grid-products > li")).to_have_count(1)  # waits for the new page, not the one leaving
        context.close()
