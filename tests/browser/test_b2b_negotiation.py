"""The whole B2B negotiation in a browser, two sessions: a purchaser of an approved company on Net 30 and a
supplier's owner. RFQ from the product page → the supplier's quote → the buyer's counter → the supplier accepts it →
the order at the countered price, confirmed on terms → shipped → the invoice → paid online through the sandbox.

Then the approval: a purchaser over the spending limit accepts a quote, the order waits; the approver decides in
the approvals inbox with a comment, which the order's timeline shows. Only the setup calls services; every step
after it is a page. Screenshots feed docs/b2b.md.
"""

import re
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.people import sign_in
from tradeloop.b2b import approvals, companies
from tradeloop.catalog import services as catalog
from tradeloop.core import clock
from tradeloop.demo.pictures import picture
from tradeloop.invoicing.models import Invoice
from tradeloop.ledger import selectors as ledger
from tradeloop.ledger import services as books
from tradeloop.orders.models import Order

LIST_PRICE, QUOTED, COUNTERED = Decimal("20.00"), Decimal("17.50"), Decimal("16.20")
QUANTITY = 500
SHIPPING = Decimal("40.00")
TRACKING = "SF7788990011"


def a_supplier():
    """An electronics supplier with 24-bit AD converters at a list price of 20.00."""
    supplier = factories.seller_with_owner(kind="supplier", name="Acme Components")
    supplier.city = "Shenzhen"
    supplier.save()
    electronics = factories.CategoryFactory(slug="electronics", name="Electronics")
    adc = factories.CategoryFactory(slug="ad-converters", name="AD converters", parent=electronics)
    product = factories.published_product(
        supplier, title="24-bit AD converter, 8 channels", price=str(LIST_PRICE), stock=5000, category=adc
    )
    upload = SimpleUploadedFile("adc.jpg", picture("ADC 24", colours=("#dbeafe", "#1d4ed8"), motif="box"), "image/jpeg")
    catalog.add_image(actor=supplier.owner, product=product, upload=upload, alt=product.title)
    product.variants.update(sku="ADC-24-8CH", name="", name_zh="")  # one variant: no option name
    supplier.owner.name = "Zhou Wei"
    supplier.owner.save(update_fields=["name"])
    return supplier, product


def an_approved_company(*, credit_limit="50000.00"):
    """A buyer company approved by the operator, on Net 30 with a credit limit (the back office's services)."""
    operator = factories.UserFactory(is_staff=True, email="operator@example.com")
    owner = factories.UserFactory(email="lin@beta-instruments.example", name="Lin Hao")
    company = companies.register_company(actor=owner, name="Beta Instruments", city="Suzhou")
    companies.decide(operator=operator, company=company, to="approved", reason="business licence checked")
    companies.set_terms(operator=operator, company=company, payment_terms="net30", credit_limit=credit_limit)
    company.refresh_from_db()
    company.organization.owner = owner
    return company


def staff(company, role: str, *, email: str, name: str, limit: str | None = None):
    person = factories.member(company.organization, role)
    person.email, person.name = email, name
    person.save(update_fields=["email", "name"])
    if limit is not None:
        membership = company.organization.memberships.get(user=person)
        owner = company.organization.owner
        approvals.set_spending_limit(actor=owner, company=company, membership_id=membership.pk, amount=limit)
    return person


def open_session(browser, base: str, email: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, base, email)
    return page


def shoot(page: Page, name: str) -> None:
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def send_rfq(buyer: Page, base: str, product, *, quantity: int, target: str, title: str) -> None:
    buyer.goto(f"{base}/p/{product.pk}/{product.slug}/")
    buyer.get_by_role("link", name="Request a quote").click()
    expect(buyer.get_by_role("heading", name="New RFQ")).to_be_visible()
    buyer.get_by_label("What do you need?").fill(title)
    buyer.get_by_label("Quantity 1").fill(str(quantity))
    buyer.get_by_label("Target unit price 1").fill(target)
    buyer.get_by_label("Quotes until").fill((clock.now() + timedelta(days=10)).date().isoformat())
    buyer.get_by_label("Required by").fill((clock.now() + timedelta(days=45)).date().isoformat())
    buyer.get_by_label("Delivery terms").fill("DAP Suzhou, on pallets")


def supplier_quotes(supplier_page: Page, base: str, supplier, *, title: str, price: Decimal, shot: bool) -> None:
    supplier_page.goto(f"{base}/console/{supplier.pk}/")
    supplier_page.get_by_role("link", name="Quotes").first.click()
    inbox_row = supplier_page.get_by_role("row", name=re.compile(title))
    expect(inbox_row).to_be_visible()
    if shot:
        shoot(supplier_page, "b2b-02-inbox")
    inbox_row.get_by_role("link").first.click()
    expect(supplier_page.get_by_role("heading", name="Your quote")).to_be_visible()
    supplier_page.get_by_label("Unit price 1").fill(str(price))
    supplier_page.get_by_label("Shipping").fill(str(SHIPPING))
    supplier_page.get_by_label("Payment terms").select_option("net30")
    supplier_page.get_by_label("Valid until").fill((clock.now() + timedelta(days=14)).date().isoformat())
    supplier_page.get_by_label("Note").fill("Price includes anti-static packaging. Lead time 10 days.")
    if shot:
        shoot(supplier_page, "b2b-03-quote-form")
    supplier_page.get_by_role("button", name="Send quote").click()
    expect(supplier_page.get_by_text("Your quote is sent.")).to_be_visible()


def test_rfq_quote_counter_accept_ship_invoice_pay(live_server, page: Page, browser, settings, celery_eager):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the sandbox hands its signed webhook over in-process
    supplier, product = a_supplier()
    company = an_approved_company()
    purchaser = staff(company, "purchaser", email="mei@beta-instruments.example", name="Mei Chen")
    base = live_server.url
    title = "AD converters for the new power meter"

    # 1. the buyer asks for a quote from the supplier's product page
    buyer = page
    buyer.set_viewport_size({"width": 1280, "height": 900})
    sign_in(buyer, base, purchaser.email)
    send_rfq(buyer, base, product, quantity=QUANTITY, target="15.00", title=title)
    shoot(buyer, "b2b-01-rfq")
    buyer.get_by_role("button", name="Send RFQ").click()
    expect(buyer.get_by_text("Your RFQ is sent.")).to_be_visible()

    # 2. the supplier answers from its console's Quotes inbox
    seller = open_session(browser, base, supplier.owner.email)
    supplier_quotes(seller, base, supplier, title=title, price=QUOTED, shot=True)

    # 3. the buyer reads the quote in My RFQs and counters with a lower unit price
    buyer.locator("nav.sidenav").get_by_role("link", name="My RFQs").click()
    buyer.get_by_role("link", name=title).click()
    buyer.locator("[data-quote]").get_by_role("link", name="Answer").click()
    expect(buyer.get_by_role("heading", name=re.compile("Quote from Acme Components"))).to_be_visible()
    buyer.get_by_role("link", name="Counter-offer").click()
    buyer.get_by_label("Unit price 1").fill(str(COUNTERED))
    buyer.get_by_label("Note").fill("We order 500 every quarter; 16.20 would win it.")
    buyer.get_by_role("button", name="Send counter-offer").click()
    expect(buyer.get_by_text("Your counter-offer is sent.")).to_be_visible()
    diff = buyer.locator('[data-diff="1-2"]')
    price_change = diff.get_by_role("listitem").filter(has_text="unit price")
    expect(price_change.locator("del")).to_have_text("CN¥17.50")
    expect(price_change.locator("ins")).to_have_text("CN¥16.20")
    expect(diff).not_to_contain_text("Valid until")  # the counter keeps the quote's validity
    shoot(buyer, "b2b-04-thread")

    # 4. the supplier accepts the counter: the order is placed at the countered price, confirmed on Net 30
    seller.reload()
    expect(seller.locator('[data-version="2"]')).to_be_visible()
    seller.get_by_role("button", name="Accept the buyer's terms").click()
    message = seller.get_by_text(re.compile(r"Quote accepted: order \S+ is placed\."))
    expect(message).to_be_visible()
    order = Order.objects.get(seller=supplier, buyer_org=company.organization)
    assert order.state == Order.State.CONFIRMED and order.payment_terms == "net30"
    line = order.lines.get()
    assert (line.quantity, line.unit_price) == (QUANTITY, COUNTERED)  # the agreed price, not the list price
    assert order.total == COUNTERED * QUANTITY + SHIPPING
    seller.goto(f"{base}/console/{supplier.pk}/orders/")
    seller.get_by_role("link", name=order.number).click()
    expect(seller.get_by_role("heading", name=re.compile(order.number))).to_contain_text("Confirmed on terms")
    shoot(seller, "b2b-05-accepted")

    # 5. the supplier ships it; the invoice is issued, due in 30 days, on the console's Invoices desk
    seller.get_by_label("Carrier").fill("SF Express")
    seller.get_by_label("Tracking number").fill(TRACKING)
    seller.get_by_role("button", name="Ship", exact=True).click()
    expect(seller.get_by_role("heading", name=re.compile(order.number))).to_contain_text("Shipped")
    invoice = Invoice.objects.get(order=order)
    assert invoice.total == order.total
    assert invoice.due_at.date() == (invoice.issued_at + timedelta(days=30)).date()
    seller.get_by_role("link", name="Invoices").first.click()
    expect(seller.get_by_role("link", name=invoice.number)).to_be_visible()
    shoot(seller, "b2b-06-console-invoices")

    # 6. the buyer pays the invoice online through the sandbox provider
    receivable = books.buyer_receivable(company.organization, order.currency)
    assert ledger.balance(receivable).amount == order.total
    buyer.goto(f"{base}/orders/")
    buyer.locator("nav.sidenav").get_by_role("link", name="Invoices").click()
    buyer.get_by_role("link", name=invoice.number).click()
    due_day = timezone.localtime(invoice.due_at).date().isoformat()  # the page shows the site's day
    expect(buyer.get_by_text(due_day).first).to_be_visible()
    buyer.get_by_role("button", name=re.compile("Pay .* online")).click()
    expect(buyer.get_by_role("heading", name="Sandbox payment")).to_be_visible()
    buyer.get_by_role("button", name="Pay", exact=True).click()
    expect(buyer.get_by_role("heading", name=re.compile(invoice.number))).to_contain_text("Paid")
    shoot(buyer, "b2b-07-invoice-paid")

    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.PAID and invoice.paid_amount == order.total
    assert ledger.balance(receivable).amount == 0  # the company owes nothing any more
    seller.context.close()


def test_an_order_over_the_spending_limit_waits_for_the_approver(live_server, page: Page, browser, settings):
    supplier, product = a_supplier()
    company = an_approved_company()
    purchaser = staff(company, "purchaser", email="mei@beta-instruments.example", name="Mei Chen", limit="1000.00")
    approver = staff(company, "approver", email="wang@beta-instruments.example", name="Wang Fang")
    base = live_server.url
    title = "AD converters for the pilot run"
    comment = "Approved for the pilot run: budget line 4-17."

    buyer = page
    buyer.set_viewport_size({"width": 1280, "height": 900})
    sign_in(buyer, base, purchaser.email)
    send_rfq(buyer, base, product, quantity=100, target="16.00", title=title)
    buyer.get_by_role("button", name="Send RFQ").click()
    seller = open_session(browser, base, supplier.owner.email)
    supplier_quotes(seller, base, supplier, title=title, price=QUOTED, shot=False)
    seller.context.close()

    # the purchaser accepts the quote: 100 × 17.50 + 40.00 is over her limit of 1,000.00, so the order waits
    buyer.reload()
    buyer.locator("[data-quote]").get_by_role("link", name="Answer").click()
    buyer.get_by_role("button", name="Accept and order").click()
    order = Order.objects.get(seller=supplier, buyer_org=company.organization)
    assert order.state == Order.State.AWAITING_APPROVAL and order.total == QUOTED * 100 + SHIPPING
    expect(buyer.get_by_role("heading", name=re.compile(order.number))).to_contain_text("Awaiting approval")

    # the approver decides in the company's approvals inbox, with a comment
    decider = open_session(browser, base, approver.email)
    decider.locator(".site-header details.menu summary").click()
    decider.locator(".site-header .menu-panel").get_by_role("link", name="My account").click()
    decider.locator("nav.sidenav").get_by_role("link", name="My company").click()
    decider.get_by_role("link", name=re.compile("Approvals")).first.click()
    card = decider.locator("[data-approval]").filter(has_text=order.number)
    expect(card).to_contain_text("spending limit")
    card.get_by_role("link", name=f"Order {order.number}").click()
    decider.get_by_label(re.compile("Comment")).fill(comment)
    shoot(decider, "b2b-08-approval")
    decider.get_by_role("button", name="Approve").click()
    expect(decider.get_by_text(f"Order {order.number} approved.")).to_be_visible()
    order.refresh_from_db()
    assert order.state == Order.State.CONFIRMED  # on Net 30: it ships without payment now
    decider.context.close()

    # the purchaser's order shows the decision and its comment on the timeline
    buyer.goto(f"{base}/orders/{order.number}/")
    expect(buyer.get_by_role("heading", name=re.compile(order.number))).to_contain_text("Confirmed on terms")
    timeline = buyer.locator(".timeline")
    expect(timeline).to_contain_text(comment)
    shoot(buyer, "b2b-09-approved-order")
