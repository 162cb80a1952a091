"""The listing pages fit a phone: at 390 px nothing scrolls sideways, for a guest, a buyer and the seller, in English
and in Simplified Chinese — a long listing title, the sell form, My listings, a sold and a withdrawn listing.
Set TRADELOOP_LAYOUT_SHOTS=/some/dir to save a screenshot of every page visited."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Browser

from tests import factories
from tests.browser.people import sign_in
from tests.browser.test_phone_layout import LANGUAGES, check, phone_page
from tests.c2c.trading import listing
from tradeloop.c2c import listings
from tradeloop.c2c.models import Listing

TITLE = "Kindle Paperwhite Signature Edition 32 GB, wireless charging, warm light, with leather cover and box"


def _page(item: Listing) -> str:
    return reverse("storefront:product", args=[item.product.pk, item.product.slug])


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_listing_page_scrolls_sideways_on_a_phone(live_server, browser: Browser, language):
    seller = factories.seller_with_owner(kind="personal", name="Lin Xiaoyu's second-hand electronics and books")
    item = listing(
        seller=seller, title=TITLE, price="1288.00", shipping_fee="12.00", district="Xihu", local_pickup=True
    )
    sold = listing(seller=seller, title=TITLE + " (sold)")
    Listing.objects.filter(pk=sold.pk).update(state=Listing.State.SOLD)
    gone = listing(seller=seller, title=TITLE + " (withdrawn)")
    listings.withdraw(actor=seller.owner, listing_id=gone.pk)
    buyer = factories.UserFactory()
    base = live_server.url
    problems: list[str] = []
    guest = phone_page(browser, base, language)
    for url in (_page(item), "/products/?kind=listing"):
        check(guest, base + url, f"{language} guest", problems)
    guest.context.close()
    for who, email, urls in (
        ("buyer", buyer.email, [_page(item), _page(sold), _page(gone)]),
        (
            "seller",
            seller.owner.email,
            [
                _page(item),
                "/sell/item/",
                "/sell/listings/",
                "/sell/listings/?tab=ended",
                f"/sell/listings/{item.pk}/edit/",
            ],
        ),
    ):
        page = phone_page(browser, base, language)
        sign_in(page, base, email)
        for url in urls:
            check(page, base + url, f"{language} {who}", problems)
        page.context.close()
    assert not problems, "\n".join(problems)
