"""The supplier showcase in Chromium: a company buyer opens a supplier's store, reads its showcase (facts,
certifications, response figures, the verified badge) and clicks Send inquiry, landing on the RFQ form with the
supplier chosen; a signed-out visitor signs in on the way. The supplier edits its showcase in the console (a bad
year is a form error). At 1280 and 390 px, in English and Chinese, nothing scrolls sideways.
TRADELOOP_DOCS_SHOTS=1 saves docs/images/trust/showcase-*.png."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from tests import factories
from tests.browser.people import LAPTOP, PHONE, assert_fits, docs_shot, person_page
from tradeloop.b2b import quotes, rfqs, showcase
from tradeloop.core import clock
from tradeloop.negotiation.services import Draft, LineDraft

PROFILE = showcase.ProfileIn(
    year_founded=2009,
    factory_size_m2=12000,
    employees=320,
    certifications=["ISO 9001", "ISO 14001", "IATF 16949", "CE", "RoHS"],
    main_markets=["Mainland China", "Europe", "Japan", "North America"],
    main_markets_zh=["中国大陆", "欧洲", "日本", "北美"],
    capacity="3 SMT lines and a final-test floor, 2 shifts",
    capacity_zh="3条SMT产线与成品测试车间，两班生产",
    capacity_per_month=1_200_000,
    typical_moq=500,
    lead_time_days=14,
    introduction="Precision data converters and voltage references from Shenzhen since 2009. Every lot is tested "
    "at three temperatures and shipped with its test report.",
    introduction_zh="2009年起在深圳生产高精度数据转换器与电压基准。每批产品经三温测试，随货附测试报告。",
)


def a_supplier_with_history():
    """A verified supplier with a showcase, and eight inquiries of a company: seven quoted within a few hours."""
    supplier = factories.seller_with_owner(kind="supplier", name="Hengsheng Precision (恒晟精密)")
    product = factories.published_product(supplier, title="24-bit AD converter", price="20.00", stock=5000)
    variant = product.variants.get()
    showcase.save_profile(actor=supplier.owner, supplier=supplier, data=PROFILE)
    company = factories.buying_company("Beta Instruments")
    purchaser = factories.member(company, "buyer")
    clock.advance(days=-60)
    for hours in (1, 2, 3, 2, 4, 1, 6, None):
        rfq = rfqs.create_rfq(
            actor=purchaser,
            buyer_org=company,
            data=rfqs.RfqIn(
                title="AD converters",
                lines=[rfqs.RfqLineIn(500, variant=variant)],
                deadline=clock.now() + timedelta(days=7),
                supplier=supplier,
            ),
        )
        if hours is not None:
            clock.advance(hours=hours)
            quotes.submit_quote(
                actor=supplier.owner,
                rfq_id=rfq.pk,
                supplier=supplier,
                draft=Draft(lines=[LineDraft(500, Decimal("18.00"), variant=variant)]),
            )
        clock.advance(days=6)
    clock.reset()
    return supplier, purchaser


@pytest.mark.parametrize(
    "language, viewport, suffix",
    [("en", LAPTOP, ""), ("zh-hans", LAPTOP, "-zh"), ("en", PHONE, "-phone"), ("zh-hans", PHONE, "-phone-zh")],
)
def test_a_company_buyer_reads_the_showcase_and_sends_an_inquiry(
    live_server, browser: Browser, language, viewport, suffix
):
    base = live_server.url
    supplier, purchaser = a_supplier_with_history()
    page = person_page(browser, base, purchaser.email, language=language, viewport=viewport)
    page.goto(f"{base}{reverse('storefront:store', args=[supplier.slug])}")
    block = page.get_by_test_id("supplier-showcase")
    expect(block).to_be_visible()
    english = language == "en"
    expect(block).to_contain_text("Responds to 88 % of inquiries · usually within 2 h" if english else "询价回复率 88%")
    expect(block).to_contain_text("IATF 16949")
    expect(block).to_contain_text("Europe, Japan" if english else "欧洲、日本")
    expect(block).to_contain_text("2009")
    expect(block.locator(".verified-badge")).to_be_visible()
    assert_fits(page)
    block.scroll_into_view_if_needed()
    docs_shot(page, f"showcase{suffix}", guide="trust")
    block.get_by_test_id("send-inquiry").click()
    expect(page).to_have_url(re.compile(r"/rfqs/new/\?supplier=\d+$"))
    expect(page.locator("select[name=supplier]")).to_have_value(str(supplier.pk))
    expect(page.locator("input[name=audience][value=direct]")).to_be_checked()
    assert_fits(page)
    if suffix == "":
        page.locator("select[name=supplier]").scroll_into_view_if_needed()
        docs_shot(page, "showcase-inquiry", guide="trust")
    page.context.close()


def test_a_signed_out_visitor_signs_in_and_lands_on_the_inquiry(live_server, browser: Browser):
    base = live_server.url
    supplier, purchaser = a_supplier_with_history()
    context = browser.new_context(viewport=LAPTOP, device_scale_factor=1)
    page = context.new_page()
    page.goto(f"{base}{reverse('storefront:store', args=[supplier.slug])}")
    page.get_by_test_id("send-inquiry").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label(re.compile("E-mail|电子邮件|邮箱")).fill(purchaser.email)
    page.get_by_label(re.compile("Password|密码")).fill(factories.PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/rfqs/new/\?supplier=\d+$"))
    expect(page.locator("select[name=supplier]")).to_have_value(str(supplier.pk))
    context.close()


@pytest.mark.parametrize("language, viewport, suffix", [("en", LAPTOP, ""), ("zh-hans", PHONE, "-phone-zh")])
def test_the_supplier_edits_its_showcase_in_the_console(live_server, browser: Browser, language, viewport, suffix):
    base = live_server.url
    supplier, _ = a_supplier_with_history()
    page = person_page(browser, base, supplier.owner.email, language=language, viewport=viewport)
    page.goto(f"{base}{reverse('console:dashboard', args=[supplier.pk])}")
    page.goto(f"{base}{reverse('b2b:console_showcase', args=[supplier.pk])}")
    expect(page.locator("input[name=certifications]")).to_have_value("ISO 9001, ISO 14001, IATF 16949, CE, RoHS")
    assert_fits(page)
    if suffix == "":
        expect(page.locator(".sidenav").get_by_role("link", name="Showcase")).to_be_visible()
        docs_shot(page, "showcase-console", guide="trust")
    page.locator("input[name=year_founded]").fill(str(clock.now().year + 3))
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("#id_year_founded_error")).to_be_visible()
    assert_fits(page)
    page.locator("input[name=year_founded]").fill("2008")
    page.locator("input[name=typical_moq]").fill("1000")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("input[name=typical_moq]")).to_have_value("1000")
    page.goto(base + page.get_by_test_id("showcase-preview").get_attribute("href"))
    expect(page.get_by_test_id("supplier-showcase")).to_contain_text("2008")
    page.context.close()
