"""A whole O2O visit in Chromium, only through the web pages: a consumer finds a salon nearby on /local/ → opens the
place and its deal → buys it and pays on the sandbox payment page → sees the voucher's QR code and code → the
salon's staff member redeems it on the console's Redeem page (the money leaves escrow for the merchant) → the
consumer reviews the visit from My reviews → the place page shows the review with its "Verified visit" mark.

TRADELOOP_DOCS_SHOTS=1 saves the screenshots the O2O guide shows into docs/images/o2o/ (viewport shots);
otherwise they go to the usual screenshot folder for people to look at."""

from __future__ import annotations

import os
import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests import factories
from tests.browser.conftest import SCREENSHOTS
from tests.browser.people import sign_in
from tests.o2o import local
from tests.o2o.requesting import answer_from, cleaner, request_for
from tradeloop.catalog import services as catalog
from tradeloop.catalog.models import Product
from tradeloop.core import clock
from tradeloop.demo.pictures import picture
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance
from tradeloop.o2o import bookings, deals, places
from tradeloop.o2o.models import Voucher
from tradeloop.orders.models import Order

DOCS_SHOTS = os.environ.get("TRADELOOP_DOCS_SHOTS") == "1"
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images" / "o2o"
PHONE = {"width": 390, "height": 844}
NEAR_THE_SALON = "32.0452,118.7822"  # a street corner about half a kilometre from Xinjiekou


def _shot(page: Page, name: str) -> None:
    """A viewport screenshot: into the guide's images under TRADELOOP_DOCS_SHOTS=1, else for people to look at."""
    folder = DOCS_IMAGES if DOCS_SHOTS else SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


def _person(browser: Browser, base: str, email: str, *, language: str = "en", viewport=None) -> Page:
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, device_scale_factor=1)
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    sign_in(page, base, email)
    return page


def _no_sideways_scroll(page: Page, url: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width}px wide at 390 px"


SALON_COLOURS = ("#f6d5c3", "#c2410c")
DEAL_COLOURS = ("#fde68a", "#b45309")


def _jpeg(name: str, text: str, colours: tuple[str, str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, picture(text, colours=colours, motif="scissors"), content_type="image/jpeg")


def _salon():
    """Lotus Hair Studio at Xinjiekou (with a photo) with a live ¥39 deal, and a staff member with the fulfilment
    role; a nail bar a little further away, so that the list has more than one card."""
    salon = local.local_business("Lotus Hair Studio")
    place = local.place(salon, phone="025 8888 1234")
    places.add_photos(actor=salon.owner, place_id=place.pk, photos=[_jpeg("salon.jpg", "Lotus Hair", SALON_COLOURS)])
    deal = local.deal(place, title="Haircut and wash", tipping_point=None)
    catalog.add_image(actor=salon.owner, product=deal.product, upload=_jpeg("deal.jpg", "Cut & wash", DEAL_COLOURS))
    nails = local.place(
        local.local_business("Jade Nail Bar"), at=(32.0388, 118.7905), name="Jade Nail Bar", name_zh="翡翠美甲"
    )
    local.deal(nails, title="Gel manicure", price="59.00", original="98.00", tipping_point=5)
    deals.refresh_place_prices([place.pk, nails.pk])
    staff = factories.member(salon, "fulfilment")
    staff.name = "Wang Fang"
    staff.save(update_fields=["name"])
    return salon, place, deal, staff


def test_find_a_salon_nearby_buy_a_deal_redeem_it_and_review_the_visit(
    live_server, browser: Browser, settings, celery_eager
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the sandbox hands its signed webhook over in-process
    base = live_server.url
    salon, place, deal, staff = _salon()
    buyer = factories.UserFactory(email="mei@example.com", name="Mei")

    # the consumer finds the salon near a typed position: the card shows the distance
    shopper = _person(browser, base, buyer.email)
    shopper.goto(f"{base}{reverse('o2o:local')}")
    shopper.get_by_label("Position", exact=True).fill(NEAR_THE_SALON)
    shopper.get_by_label("Within").select_option("3")
    shopper.locator("form[data-local-search]").get_by_role("button", name="Search").click()
    card = shopper.locator(".place-card", has_text="Lotus Hair Studio")
    expect(card.locator(".distance")).to_have_text(re.compile(r"\d+ m|\d+(\.\d+)? km"))
    _shot(shopper, "local-home")

    card.get_by_role("link", name="Lotus Hair Studio").click()
    expect(shopper.get_by_role("heading", name="Lotus Hair Studio", level=1)).to_be_visible()
    expect(shopper.get_by_text(re.compile("away"))).to_be_visible()

    shopper.get_by_role("link", name=re.compile("Haircut and wash")).first.click()
    expect(shopper.get_by_role("heading", name="Haircut and wash")).to_be_visible()
    _shot(shopper, "deal-page")
    deal_url = shopper.url

    # buy one: straight to the (sandbox) payment page
    shopper.get_by_role("button", name="Buy", exact=True).click()
    expect(shopper.get_by_role("heading", name="Sandbox payment")).to_be_visible()
    shopper.get_by_role("button", name="Pay", exact=True).click()
    order = Order.objects.get(buyer=buyer)
    assert order.state == Order.State.PAID and order.total == Decimal("39.00")
    voucher = Voucher.objects.get(order=order)
    assert voucher.state == Voucher.State.VALID
    assert balance(ledger.escrow("CNY")).amount == Decimal("39.00")  # held until the visit
    assert balance(ledger.seller_available(salon, "CNY")).amount == Decimal("0")

    # My vouchers → the voucher: a QR code and the code
    shopper.goto(f"{base}{reverse('o2o:vouchers')}")
    shopper.get_by_role("link", name=re.compile("Haircut and wash")).first.click()
    expect(shopper.locator(".voucher-qr svg")).to_be_visible()
    code = shopper.locator(".voucher-code strong").inner_text()
    assert code.replace(" ", "").replace("-", "") == voucher.code.replace(" ", "").replace("-", "")
    _shot(shopper, "voucher")
    voucher_url = shopper.url

    # the staff member redeems it on a phone: place, code, the preview, Confirm
    counter = _person(browser, base, staff.email, viewport=PHONE)
    counter.goto(f"{base}{reverse('o2o:console_redeem', args=[salon.pk])}")
    counter.get_by_label("Place").select_option(str(place.pk))
    counter.get_by_label("Voucher code").fill(code)
    counter.get_by_role("button", name="Check code").click()
    preview = counter.locator(".redeem-preview")
    expect(preview.get_by_role("heading", name="Haircut and wash")).to_be_visible()
    expect(preview.get_by_text("Mei")).to_be_visible()
    _shot(counter, "redeem-phone")
    preview.get_by_role("button", name="Confirm redemption").click()
    expect(counter.locator(".redeem-result").get_by_text("Redeemed", exact=True)).to_be_visible()
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.REDEEMED and voucher.redeemed_place_id == place.pk
    assert balance(ledger.escrow("CNY")).amount == Decimal("0")
    assert (
        balance(ledger.seller_available(salon, "CNY")).amount
        == Decimal("39.00") - Decimal("39.00") * order.commission_rate
    )

    # the consumer reviews the visit from My reviews; the place page shows it, marked as a verified visit
    shopper.goto(f"{base}{reverse('reviews:mine')}")
    shopper.get_by_role("link", name="Write a review").first.click()
    expect(shopper.get_by_text("Verified visit").first).to_be_visible()
    for picker, choice in zip(shopper.locator("fieldset .star-picker").all(), ("_0", "_0", "_1", "_0"), strict=False):
        picker.locator(f"label[for$='{choice}']").click()  # choices run 5 → 1: _0 is 5 stars, _1 is 4
    shopper.get_by_label("Tell others about your visit").fill("Lin listened and the cut is exactly what I asked for.")
    shopper.get_by_role("button", name="Publish the review").click()
    expect(shopper.get_by_text("your review is published")).to_be_visible()
    shopper.goto(f"{base}{reverse('o2o:place', args=[place.pk])}")
    review = shopper.locator(".review", has_text="Lin listened and the cut is exactly what I asked for.")
    expect(review).to_be_visible()
    expect(review.get_by_text("Verified visit")).to_be_visible()
    review.scroll_into_view_if_needed()
    _shot(shopper, "place-page")

    # a phone: neither the deal page nor the voucher page scrolls sideways
    _no_sideways_scroll(shopper, deal_url)
    _no_sideways_scroll(shopper, voucher_url)
    shopper.context.close()
    counter.context.close()


def test_the_guide_pages_in_chinese_booking_slots_the_console_calendar_and_a_request(live_server, browser: Browser):
    """The pages the O2O guide shows beside the visit, in Simplified Chinese: a service's free slots, the console's
    bookings of the day, a request with two answers. Quick, and it checks each page fits a phone."""
    base = live_server.url
    salon = local.local_business("Lotus Hair Studio")
    salon.owner.name = "周婷"
    salon.owner.save(update_fields=["name"])
    place = local.place(salon)
    service = local.service(place, title="Cut and blow-dry", price="88.00")
    service.product.__class__.objects.filter(pk=service.product_id).update(title_zh="洗剪吹")
    guest = factories.UserFactory(name="陈晓")
    today = timezone.localtime(clock.now()).date()
    tomorrow = today + timedelta(days=1)
    for hour in (10, 14):
        starts = timezone.make_aware(datetime.combine(tomorrow, time(hour, 0)))
        bookings.book(actor=guest, service_id=service.pk, place_id=place.pk, starts_at=starts)

    consumer = factories.UserFactory(name="林美")
    sparkle = cleaner("Sparkle Home", at=(32.0475, 118.7850), price="300.00")
    nest = cleaner("Fresh Nest", at=(32.0301, 118.7702), price="280.00")
    Product.objects.filter(seller__in=[sparkle, nest]).update(title_zh="家庭保洁")
    request = request_for(
        consumer, title="周六深度保洁 90 平米两居室", details="两间卧室、厨房和阳台。", city="南京", district="玄武区"
    )
    answer_from(sparkle, request, price="320.00", message="两位保洁员，四小时，自带用品。")
    answer_from(nest, request, price="290.00", message="一位保洁员，五小时。")

    visitor = _person(browser, base, consumer.email, language="zh-hans")
    visitor.goto(f"{base}{reverse('o2o:service', args=[service.pk])}?day={tomorrow.isoformat()}")
    expect(visitor.get_by_role("heading", name="洗剪吹").first).to_be_visible()
    _shot(visitor, "service-slots-zh")
    visitor.goto(f"{base}{reverse('o2o:request', args=[request.pk])}")
    expect(visitor.get_by_text("两位保洁员，四小时，自带用品。")).to_be_visible()
    _shot(visitor, "request-answers-zh")
    _no_sideways_scroll(visitor, f"{base}{reverse('o2o:service', args=[service.pk])}")

    owner = _person(browser, base, salon.owner.email, language="zh-hans")
    owner.goto(f"{base}{reverse('o2o:console_bookings', args=[salon.pk])}?day={tomorrow.isoformat()}")
    expect(owner.get_by_text("陈晓").first).to_be_visible()
    _shot(owner, "console-bookings-zh")
    visitor.context.close()
    owner.context.close()
