"""The pages that offer or show a visit's review, and the console's deal figures, fit a phone: at 390 px nothing
scrolls sideways (a used voucher to review, one reviewed, the Used tab, a completed booking, the console's deals),
in English and in Simplified Chinese. Set TRADELOOP_LAYOUT_SHOTS=/some/dir to save screenshots at 390 and 1280 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests import factories
from tests.browser.people import sign_in
from tests.browser.test_phone_layout import LANGUAGES, SHOTS, check, phone_page
from tests.o2o import local
from tests.o2o.dealing import bought, owner, vouchers_of
from tests.reviews import visits
from tradeloop.o2o import redemption, vouchers
from tradeloop.reviews import services as reviews


def _visits():
    place = local.place()
    consumer = factories.UserFactory(name="Mei Lin (林美)")
    deal = local.deal(place, title="Haircut, wash and blow-dry with a senior stylist, any length")
    used = [vouchers_of(bought(deal, consumer))[0] for _ in range(3)]
    for voucher in used[:2]:
        redemption.redeem(actor=owner(place.seller), place_id=place.pk, code=voucher.code)
    vouchers.refund(actor=consumer, voucher_id=used[2].pk)
    reviews.write_review(actor=consumer, record_kind="voucher", record_id=used[0].pk, stars=4)
    booking = visits.booking(consumer, at=place)
    return consumer, place, used, booking


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_review_or_figures_page_scrolls_sideways_on_a_phone(live_server, browser: Browser, language):
    consumer, place, used, booking = _visits()
    base = live_server.url
    problems: list[str] = []
    for who, email, urls in (
        (
            "consumer",
            consumer.email,
            [
                f"/local/vouchers/{used[0].pk}/",
                f"/local/vouchers/{used[1].pk}/",
                "/local/vouchers/?tab=used",
                f"/local/bookings/{booking.pk}/",
            ],
        ),
        ("business", place.seller.owner.email, [f"/console/{place.seller.pk}/deals/"]),
    ):
        page = phone_page(browser, base, language)
        sign_in(page, base, email)
        for url in urls:
            check(page, base + url, f"reviews {who} {language} 390", problems)
        if SHOTS:
            page.set_viewport_size({"width": 1280, "height": 900})
            for url in urls:
                check(page, base + url, f"reviews {who} {language} 1280", [])
        page.context.close()
    assert not problems, "\n".join(problems)
