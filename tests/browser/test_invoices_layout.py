"""Invoice pages in Chromium: the buyer's list and detail, the console's desk and detail, at 1280 and 390 px, in
English and Chinese; nothing scrolls sideways on a phone."""

from tests.browser.people import sign_in
from tests.invoicing.conftest import company, ship, supplier, supplier_finance, terms_order  # noqa: F401 - fixtures

PAGE_WIDTH = "document.documentElement.scrollWidth"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def test_invoice_pages_fit_and_read_in_both_languages(page, live_server, screenshot, request):
    seller, buyer = request.getfixturevalue("supplier"), request.getfixturevalue("company")
    seller_finance = request.getfixturevalue("supplier_finance")
    order = terms_order(supplier=seller, company=buyer)
    ship(order)
    invoice = order.invoices.get()
    base = live_server.url
    pages = {
        "buyer": (buyer.owner.email, [("invoices", "/invoices/"), ("invoice", f"/invoices/{invoice.pk}/")]),
        "supplier": (
            seller_finance.email,
            [
                ("console-invoices", f"/console/{seller.pk}/invoices/"),
                ("console-invoice", f"/console/{seller.pk}/invoices/{invoice.pk}/"),
            ],
        ),
    }
    for who, (email, urls) in pages.items():
        page.context.clear_cookies()
        sign_in(page, base, email)
        for language in ("en", "zh-hans"):
            page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
            for size, viewport in SIZES.items():
                page.set_viewport_size(viewport)
                for name, url in urls:
                    page.goto(base + url)
                    assert invoice.number in page.content()
                    assert page.evaluate(PAGE_WIDTH) <= viewport["width"], f"{who} {name} {language} {size}"
                    screenshot(f"invoicing-{name}-{language}-{size}")
