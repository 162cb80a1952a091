"""The consumer-request pages fit a phone: at 390 px nothing scrolls sideways, for the consumer (the request with
two answers, one of them countered) and the business (the console's nearby list and its answers), in English and
in Simplified Chinese. Set TRADELOOP_LAYOUT_SHOTS=/some/dir to save a screenshot of every page at 390 and 1280 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.people import sign_in
from tests.browser.test_phone_layout import LANGUAGES, SHOTS, check, phone_page
from tests.factories import UserFactory
from tests.o2o.requesting import answer_from, cleaner, request_for
from tradeloop.o2o import local_requests


def _two_answers():
    sparkle = cleaner("Sparkle Home Housekeeping & Deep Cleaning Services", price="300.00")
    nest = cleaner("Fresh Nest", price="280.00")
    consumer = UserFactory(name="Mei Lin (林美), Xuanwu")
    request = request_for(consumer, title="Deep clean of a 90 m² flat on Saturday, two bedrooms, kitchen and balcony")
    first = answer_from(sparkle, request, price="320.00", message="Two cleaners, four hours, we bring the products.")
    answer_from(nest, request, price="290.00", message="One cleaner, five hours.")
    local_requests.counter(actor=consumer, answer_id=first.pk, version=1, price="300.00", message="Could you do 300?")
    request_for(UserFactory(), title="Weekly cleaning of a small office", radius_km=10)
    return consumer, sparkle, request


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_request_page_scrolls_sideways_on_a_phone(live_server, browser: Browser, language):
    consumer, business, request = _two_answers()
    base = live_server.url
    problems: list[str] = []
    for who, email, urls in (
        ("consumer", consumer.email, ["/local/requests/", "/local/requests/new/", f"/local/requests/{request.pk}/"]),
        ("business", business.owner.email, [f"/console/{business.pk}/requests/"]),
    ):
        page = phone_page(browser, base, language)
        sign_in(page, base, email)
        for url in urls:
            check(page, base + url, f"{who} {language} 390", problems)
        if SHOTS:
            page.set_viewport_size({"width": 1280, "height": 900})
            for url in urls:
                check(page, base + url, f"{who} {language} 1280", [])
        page.context.close()
    assert not problems, "\n".join(problems)
