"""The make-an-offer pages fit a phone: at 390 px nothing scrolls sideways, for the buyer and the seller, in English
and in Simplified Chinese — a long listing title, a thread of three versions, an accepted offer to pay.
Set TRADELOOP_LAYOUT_SHOTS=/some/dir to save a screenshot of every page visited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Browser

from tests import factories
from tests.browser.people import sign_in
from tests.browser.test_phone_layout import LANGUAGES, check, phone_page
from tests.c2c.trading import listing
from tradeloop.c2c import offers

TITLE = "Kindle Paperwhite Signature Edition 32 GB, wireless charging, warm light, with leather cover and box"


def _threads():
    seller = factories.seller_with_owner(kind="personal", name="Lin Xiaoyu's second-hand electronics and books")
    item = listing(seller=seller, title=TITLE, price="1288.00", shipping_fee="12.00")
    other = listing(seller=seller, title=TITLE + " (2)", price="990.00")
    buyer = factories.UserFactory()
    thread = offers.make_offer(actor=buyer, listing_id=item.pk, amount=Decimal("999.99"), note="Cash, can pick up")
    offers.counter(actor=seller.owner, offer_id=thread.pk, version=1, amount=Decimal("1200"), note="Lowest price")
    offers.counter(actor=buyer, offer_id=thread.pk, version=2, amount=Decimal("1100"))
    won = offers.make_offer(actor=buyer, listing_id=other.pk, amount=Decimal("900"))
    offers.accept(actor=seller.owner, offer_id=won.pk, version=1)
    return seller, buyer, item, thread, won


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_offer_page_scrolls_sideways_on_a_phone(live_server, browser: Browser, language):
    seller, buyer, item, thread, won = _threads()
    base = live_server.url
    problems: list[str] = []
    for who, email, urls in (
        ("buyer", buyer.email, ["/offers/", f"/offers/{thread.pk}/", f"/offers/{won.pk}/"]),
        (
            "seller",
            seller.owner.email,
            ["/offers/?tab=received", f"/offers/{thread.pk}/", f"/offers/listing/{item.pk}/"],
        ),
    ):
        page = phone_page(browser, base, language)
        sign_in(page, base, email)
        for url in urls:
            check(page, base + url, f"{language} {who}", problems)
        page.context.close()
    assert not problems, "\n".join(problems)
