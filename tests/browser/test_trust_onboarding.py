"""Verified seller onboarding in Chromium, only through the web pages: a new merchant fills in its legal data on the
console's Verification page, uploads its business licence (a PNG) and submits; the operator opens the queue in the
back office, reviews the application and approves it; the store page then shows the verified badge. A private
seller's page and the store page, in Chinese at 390 px, fit without sideways scroll.
TRADELOOP_DOCS_SHOTS=1 saves docs/images/trust/*.png."""

from __future__ import annotations

from io import BytesIO

from django.urls import reverse
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, expect

from tests import factories
from tests.browser.people import LAPTOP, PHONE, assert_fits, docs_shot, person_page
from tests.trust.conftest import GOOD_USCC
from tradeloop.trust.models import Verification


def licence_png() -> bytes:
    image = Image.new("RGB", (640, 420), (250, 246, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 628, 408), outline=(180, 30, 30), width=6)
    draw.text((40, 40), "BUSINESS LICENCE", fill=(120, 20, 20))
    draw.text((40, 90), f"USCC {GOOD_USCC}", fill=(30, 30, 30))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_apply_operator_approves_badge_shows(live_server, browser: Browser):
    base = live_server.url
    store = factories.seller_with_owner(name="Hangzhou Tea House", verified=False)
    factories.published_product(store, title="Longjing green tea", price="88.00", stock=20)
    operator = factories.UserFactory(is_staff=True, is_superuser=True, name="Operator")

    # the seller: console → Verification → legal data, licence, submit
    seller = person_page(browser, base, store.owner.email)
    seller.goto(f"{base}{reverse('console:dashboard', args=[store.pk])}")
    seller.locator(".sidenav").get_by_role("link", name="Verification").click()
    expect(seller.locator("[data-tier=unverified]")).to_be_visible()
    seller.get_by_label("Legal name", exact=True).fill("Hangzhou Tea House Co., Ltd.")
    seller.get_by_label("Registration number").fill(GOOD_USCC)
    seller.get_by_label("Registered address").fill("1 Longjing Road, Xihu District, Hangzhou")
    seller.get_by_label("Contact name").fill("Chen Jing")
    seller.get_by_label("Contact phone").fill("+86 571 8888 0000")
    seller.get_by_label("Contact e-mail").fill("chen@example.com")
    seller.get_by_role("button", name="Save", exact=True).click()
    expect(seller.get_by_text("Saved.")).to_be_visible()
    seller.get_by_label("Kind of document").select_option("business_licence")
    seller.locator("input[type=file]").set_input_files(
        files=[{"name": "licence.png", "mimeType": "image/png", "buffer": licence_png()}]
    )
    seller.get_by_role("button", name="Upload").click()
    expect(seller.get_by_text("Document uploaded.")).to_be_visible()
    docs_shot(seller, "trust-verification-apply", full_page=True, guide="trust")
    seller.get_by_role("button", name="Submit for review").click()
    expect(seller.locator("[data-tier=pending]")).to_be_visible()
    docs_shot(seller, "trust-verification-pending", guide="trust")
    assert Verification.objects.get(organization=store).state == "submitted"

    # the operator: back office → the queue → review → approve
    office = person_page(browser, base, operator.email)
    office.goto(f"{base}{reverse('admin:trust_verification_changelist')}?queue=waiting")
    docs_shot(office, "trust-admin-queue", guide="trust")
    office.get_by_role("link", name="Hangzhou Tea House").first.click()
    office.get_by_role("link", name="Review this application").click()
    expect(office.get_by_role("link", name="Business licence")).to_be_visible()
    office.get_by_label("Approve").check()
    docs_shot(office, "trust-admin-review", full_page=True, guide="trust")
    office.get_by_role("button", name="Record the decision").click()
    expect(office.get_by_text("Decision recorded")).to_be_visible()
    office.context.close()
    assert Verification.objects.get(organization=store).state == "approved"

    # the badge on the store page and the seller's verified status
    seller.goto(f"{base}{reverse('storefront:store', args=[store.slug])}")
    expect(seller.locator(".store-banner [data-verified]")).to_be_visible()
    docs_shot(seller, "trust-store-badge", guide="trust")
    seller.goto(f"{base}{reverse('trust:console', args=[store.pk])}")
    expect(seller.locator("[data-tier=verified]")).to_be_visible()
    seller.context.close()

    # in Chinese on a phone: the store with its badge fits
    visitor = browser.new_context(viewport=PHONE, device_scale_factor=1)
    visitor.add_cookies([{"name": "django_language", "value": "zh-hans", "url": base}])
    phone = visitor.new_page()
    phone.goto(f"{base}{reverse('storefront:store', args=[store.slug])}")
    expect(phone.locator(".store-banner [data-verified]")).to_contain_text("认证卖家")
    assert_fits(phone)
    docs_shot(phone, "trust-store-badge-zh-390", guide="trust")
    visitor.close()


def test_private_seller_page_in_both_languages_and_sizes(live_server, browser: Browser):
    base = live_server.url
    person = factories.seller_with_owner(kind="personal", name="Wang Fang", verified=False)
    url = f"{base}{reverse('trust:console', args=[person.pk])}"
    for language, viewport, name in (
        ("en", LAPTOP, "trust-verification-personal"),
        ("zh-hans", PHONE, "trust-verification-personal-zh-390"),
        ("en", PHONE, ""),
        ("zh-hans", LAPTOP, ""),
    ):
        page = person_page(browser, base, person.owner.email, language=language, viewport=viewport)
        page.goto(url)
        expect(page.locator("[data-tier=unverified]")).to_be_visible()
        expect(page.locator("select[name=identity_level]")).to_be_visible()
        assert_fits(page)
        if name:
            docs_shot(page, name, full_page=True, guide="trust")
        page.context.close()
