"""Every B2B page fits a phone: at 390 px nothing scrolls sideways, for a company's purchaser and approver, a
supplier's console and a merchant restocking from it, in English and in Simplified Chinese.

The B2B counterpart of test_phone_layout (its `check`, `phone_page` and `OVERFLOW`): a supplier with long names,
quantity tiers, an order rule and a contract price list; an approved company on Net 30 whose purchaser has an RFQ
in negotiation (three versions), an accepted quote shipped and invoiced, an order held for approval and a
requisition list; a merchant with a supply source and a purchase order to receive. Only the setup calls services.
Set TRADELOOP_LAYOUT_SHOTS=/some/dir to save a screenshot of every page visited.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from tests import factories
from tests.browser.people import sign_in
from tests.browser.test_phone_layout import LANGUAGES, OVERFLOW, SHOTS, check, phone_page
from tradeloop.b2b import approvals, companies, quotes, rfqs
from tradeloop.b2b.models import OrderApproval
from tradeloop.checkout import cart as carts
from tradeloop.checkout import purchases, requisitions
from tradeloop.checkout.cart import CartOwner
from tradeloop.core import clock
from tradeloop.fulfilment import services as fulfilment
from tradeloop.inventory import services as inventory
from tradeloop.inventory import supply
from tradeloop.inventory.models import Stock
from tradeloop.inventory.services import default_warehouse
from tradeloop.invoicing import services as invoicing
from tradeloop.invoicing.models import Invoice
from tradeloop.negotiation.services import Draft, LineDraft
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order
from tradeloop.pricing import services as pricing
from tradeloop.pricing.models import PriceList

SUPPLIER = "Shenzhen Hengsheng Precision Microelectronics & Mixed-Signal Components Co., Ltd."
COMPANY = "Suzhou Lianchuang Intelligent Measurement Instruments Manufacturing Co., Ltd."
MERCHANT = "Hangzhou Xihu Maker Electronics, Sensors & Development Boards Store"
TITLE = "24-bit sigma-delta AD converter, 8 differential channels, SPI, TSSOP-28, industrial -40 to +105 °C"
TITLE_ZH = "24位Σ-Δ模数转换器，8路差分通道，SPI接口，TSSOP-28封装，工业级 -40 至 +105 °C"
SKU = "HS1262-24B-8CH-TSSOP28-IND"
MODULE_SKU = "XH-ADC8-BREAKOUT-V2"
THREAD_RFQ = "AD converters for the 2027 three-phase power-quality analyser, second production batch"


def rfq(purchaser, company, supplier, variant, title: str, quantity: int, target: str):
    line = rfqs.RfqLineIn(quantity=quantity, variant=variant, target_price=Decimal(target))
    data = rfqs.RfqIn(
        title=title,
        lines=[line],
        supplier=supplier,
        deadline=clock.now() + timedelta(days=10),
        required_by=(clock.now() + timedelta(days=45)).date(),
        delivery_terms="DAP Suzhou Industrial Park, anti-static trays on EUR pallets, tail-lift delivery",
    )
    return rfqs.create_rfq(actor=purchaser, buyer_org=company.organization, data=data)


def terms(variant, quantity: int, price: str, note: str = "") -> Draft:
    return Draft(
        lines=[LineDraft(quantity, Decimal(price), variant=variant)],
        shipping=Decimal("40.00"),
        payment_terms="net30",
        note=note,
    )


def a_supplier():
    """The supplier: a long name, an AD converter with public tiers, minimum 50 in multiples of 10."""
    supplier = factories.seller_with_owner(kind="supplier", name=SUPPLIER)
    supplier.owner.name = "Zhou Weiming (周伟明), key-account sales manager"
    supplier.owner.save(update_fields=["name"])
    electronics = factories.CategoryFactory(slug="electronics", name="Electronics", name_zh="电子元器件")
    adc = factories.CategoryFactory(
        slug="ad-converters", name="AD converters", name_zh="模数转换器", parent=electronics
    )
    product = factories.published_product(supplier, title=TITLE, price="20.00", stock=5000, category=adc)
    product.title_zh = TITLE_ZH
    product.save(update_fields=["title_zh"])
    product.variants.update(sku=SKU, name="", name_zh="")
    variant = product.variants.get()
    pricing.update_tiers_and_rule(
        actor=supplier.owner,
        seller=supplier,
        variant_id=variant.pk,
        tiers=[
            pricing.TierInput(100, Decimal("18.50")),
            pricing.TierInput(500, Decimal("17.20")),
            pricing.TierInput(1000, Decimal("16.40")),
        ],
        min_quantity=50,
        multiple=10,
    )
    return supplier, product, variant


def a_company(operator, supplier, variant):
    """The buyer: approved, Net 30, a credit limit, a long delivery address, a contract price list."""
    owner = factories.UserFactory(email="xu.jing.procurement.director@lianchuang-instruments.example", name="Xu Jing")
    company = companies.register_company(actor=owner, name=COMPANY, city="Suzhou")
    companies.decide(operator=operator, company=company, to="approved", reason="business licence checked")
    companies.set_terms(operator=operator, company=company, payment_terms="net30", credit_limit="200000.00")
    company.refresh_from_db()
    company.organization.owner = owner
    companies.add_address(
        actor=owner,
        company=company,
        label="Main plant, goods-in dock 3 (north gate)",
        name="Chen Meiling (陈美玲), goods-in supervisor",
        phone="+86 512 6288 0000",
        line1="8 Xinghu Street, Building C, Suzhou Industrial Park (苏州工业园区星湖街8号C栋)",
        city="Suzhou",
        region="Jiangsu",
        postcode="215000",
        is_default=True,
    )
    purchaser = factories.member(company.organization, "purchaser")
    purchaser.email, purchaser.name = "chen.meiling.purchasing@lianchuang-instruments.example", "Chen Meiling (陈美玲)"
    purchaser.save(update_fields=["email", "name"])
    membership = company.organization.memberships.get(user=purchaser)
    approvals.set_spending_limit(actor=owner, company=company, membership_id=membership.pk, amount="5000.00")
    approver = factories.member(company.organization, "approver")
    approver.email, approver.name = "wang.fang.finance@lianchuang-instruments.example", "Wang Fang (王芳), CFO"
    approver.save(update_fields=["email", "name"])
    pricing.save_price_list(
        actor=supplier.owner,
        seller=supplier,
        price_list_id=None,
        data=pricing.PriceListInput(name="Lianchuang 2026 framework contract, all SPI converters", currency="CNY"),
        buyers=[company.organization.pk],
        entries=[
            pricing.EntryInput(Decimal("16.80"), variant_id=variant.pk),
            pricing.EntryInput(Decimal("15.90"), variant_id=variant.pk, min_quantity=500),
        ],
    )
    return company, purchaser, approver


def negotiations(supplier, company, purchaser, variant):
    """A thread in three versions (the buyer's turn), an accepted quote shipped and invoiced, one held for approval,
    and an RFQ the supplier has not answered yet."""
    thread = rfq(purchaser, company, supplier, variant, THREAD_RFQ, 500, "15.00")
    quote = quotes.submit_quote(
        actor=supplier.owner,
        rfq_id=thread.pk,
        supplier=supplier,
        draft=terms(variant, 500, "17.50", "Price includes anti-static packaging and a certificate of conformity."),
    )
    quotes.counter(
        actor=purchaser,
        quote_id=quote.pk,
        version=1,
        draft=terms(variant, 500, "16.20", "We order 500 every quarter; 16.20 would win the framework contract."),
    )
    quotes.counter(
        actor=supplier.owner,
        quote_id=quote.pk,
        version=2,
        draft=terms(variant, 500, "16.60", "16.60 is our best for date code 2026+; lead time stays 10 days."),
    )

    def accepted(title: str, quantity: int, price: str) -> Order:
        found = rfq(purchaser, company, supplier, variant, title, quantity, price)
        offer = quotes.submit_quote(
            actor=supplier.owner, rfq_id=found.pk, supplier=supplier, draft=terms(variant, quantity, price)
        )
        return Order.objects.get(number=quotes.accept(actor=purchaser, quote_id=offer.pk, version=1).result_ref)

    shipped = accepted("Converters for the pilot run of the single-phase meter", 100, "17.90")
    fulfilment.ship(
        actor=supplier.owner, order=shipped, lines=None, carrier="SF Express", tracking_number="SF7788990011"
    )
    held = accepted("Converters for the full production run of the single-phase meter", 500, "17.50")
    assert held.state == Order.State.AWAITING_APPROVAL  # 8,790.00 is over the purchaser's 5,000.00
    unanswered = rfq(purchaser, company, supplier, variant, "Spare converters for the field-service kits", 60, "18.00")
    return {"thread": thread, "quote": quote, "shipped": shipped, "held": held, "unanswered": unanswered}


def a_merchant(supplier, variant):
    """A merchant that restocks from the supplier: a purchase order shipped to it and partly received, its invoice
    paid offline, and still low on its own converter module."""
    merchant = factories.approved_company(factories.seller_with_owner(name=MERCHANT))
    merchant.owner.name = "Lin Xiaoyu (林晓雨), shop owner and buyer"
    merchant.owner.save(update_fields=["name"])
    own = factories.published_product(
        merchant, title="AD converter breakout module, 8 channels, with headers and a 2.5 V reference", stock=3
    ).variants.get()
    own.sku = MODULE_SKU
    own.save(update_fields=["sku"])
    supply.save_source(
        actor=merchant.owner,
        merchant=merchant,
        variant_id=own.pk,
        supplier_variant_id=variant.pk,
        units_per_pack=1,
        note="Solder one converter per module; order in tens",
    )
    purchase = orders.place_order(
        actor=merchant.owner,
        buyer=merchant.owner,
        buyer_org=merchant,
        seller=supplier,
        mode=Order.Mode.B2B,
        currency="CNY",
        lines=[orders.LineIn(variant, 200, Decimal("17.20"))],
        payment_terms="net30",
    )
    fulfilment.ship(actor=supplier.owner, order=purchase, lines=None, carrier="SF Express", tracking_number="SF55")
    purchases.receive(
        actor=merchant.owner,
        merchant=merchant,
        order_id=purchase.pk,
        quantities={purchase.lines.get().pk: 80},
        warehouse_id=default_warehouse(merchant).pk,
        reference="Delivery note DN-2026-00042, first pallet",
    )
    stock = Stock.objects.get(variant=own)
    inventory.set_threshold(actor=merchant.owner, stock_id=stock.pk, threshold=100)  # 83 on hand: still low
    invoice = Invoice.objects.get(order=purchase)
    invoicing.record_offline_payment(
        actor=supplier.owner, invoice_id=invoice.pk, amount=invoice.total, reference="Bank transfer ICBC 6222-0042"
    )
    return merchant, purchase


def a_b2b_marketplace():
    operator = factories.UserFactory(is_staff=True, email="operator@example.com")
    supplier, product, variant = a_supplier()
    company, purchaser, approver = a_company(operator, supplier, variant)
    deals = negotiations(supplier, company, purchaser, variant)
    merchant, purchase = a_merchant(supplier, variant)
    saved = requisitions.save_list(
        actor=purchaser,
        name="Monthly converters and references for the Suzhou assembly line",
        lines=[requisitions.LineIn(variant.pk, 200), requisitions.LineIn(variant.pk, 500)],
    )
    carts.add_item(owner=CartOwner(user=purchaser), variant_id=variant.pk, quantity=200)
    return {
        "supplier": supplier,
        "product": product,
        "variant": variant,
        "company": company,
        "purchaser": purchaser,
        "approver": approver,
        "merchant": merchant,
        "purchase": purchase,
        "list": saved,
        "invoice": Invoice.objects.get(order=deals["shipped"]),
        "approval": OrderApproval.objects.get(order=deals["held"]),
        "price_list": PriceList.objects.get(seller=supplier),
        **deals,
    }


def purchaser_pages(m) -> list[str]:
    product, org = m["product"], m["company"].organization_id
    return [
        reverse("storefront:product", args=[product.pk, product.slug]),
        reverse("checkout:quick_order"),
        reverse("checkout:requisition_lists"),
        reverse("checkout:requisition_list", args=[m["list"].pk]),
        reverse("b2b:company", args=[org]),
        reverse("b2b:rfq_list"),
        reverse("b2b:rfq_new") + f"?variant={m['variant'].pk}&quantity=500",
        reverse("b2b:rfq_detail", args=[m["thread"].pk]),
        reverse("b2b:quote", args=[m["quote"].pk]),
        reverse("invoicing:list"),
        reverse("invoicing:detail", args=[m["invoice"].pk]),
        reverse("orders:detail", args=[m["shipped"].number]),
        reverse("orders:detail", args=[m["held"].number]),
        reverse("checkout:checkout"),
    ]


def approver_pages(m) -> list[str]:
    org = m["company"].organization_id
    return [reverse("b2b:approvals", args=[org]), reverse("b2b:approval", args=[org, m["approval"].pk])]


def supplier_pages(m) -> list[str]:
    org = m["supplier"].pk
    inbox = reverse("b2b:console_rfqs", args=[org])
    invoices = reverse("invoicing:console_invoices", args=[org])
    return [
        *(f"{inbox}?tab={tab}" for tab in ("new", "quoted", "all")),
        reverse("b2b:console_rfq", args=[org, m["unanswered"].pk]),  # the quote form
        reverse("b2b:console_rfq", args=[org, m["thread"].pk]),
        reverse("b2b:console_quote", args=[org, m["quote"].pk]),
        reverse("b2b:console_funnel", args=[org]),
        reverse("b2b:console_funnel", args=[org]) + "?period=week",
        reverse("pricing:console_price_lists", args=[org]),
        reverse("pricing:console_price_list", args=[org, m["price_list"].pk]),
        reverse("pricing:console_tier_products", args=[org]),
        reverse("pricing:console_product_tiers", args=[org, m["product"].pk]),
        invoices,
        *(f"{invoices}?status={status}" for status in ("unpaid", "overdue", "paid", "void")),
        reverse("invoicing:console_invoice", args=[org, m["invoice"].pk]),  # unpaid: the offline payment form
        reverse("orders:console_order", args=[org, m["held"].pk]),
    ]


def merchant_pages(m) -> list[str]:
    org = m["merchant"].pk
    stock = reverse("inventory:console_stock", args=[org])
    return [
        stock,
        stock + "?low=1",
        reverse("checkout:console_purchases", args=[org]),
        reverse("checkout:console_purchase", args=[org, m["purchase"].pk]),
    ]


def check_here(page: Page, label: str, problems: list[str]) -> None:
    """`check` for a page reached by a form post (no URL to go to)."""
    found = page.evaluate(OVERFLOW)
    if found["scrollWidth"] > found["width"] or found["scrollers"]:
        problems.append(f"{label}: {found['scrollWidth']}px wide; {found['culprits']} {found['scrollers']}")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')}.png", full_page=True)


def resolve_quick_order(page: Page, base: str, label: str, problems: list[str]) -> None:
    """The quick order's resolved lines: one ready, one below the supplier's minimum, one unknown SKU."""
    page.goto(base + reverse("checkout:quick_order"))
    page.locator("#quick-text").fill(f"{MODULE_SKU}, 20\n{SKU}, 45\nNO-SUCH-PART-4711-REV-B, 10")
    page.locator("button[name=action][value=resolve]").click()
    page.wait_for_load_state()
    assert page.locator("[data-line]").count() == 3, f"{label} quick order: no resolved lines"
    check_here(page, f"{label} quick order (resolved)", problems)


def visit(browser: Browser, base: str, language: str, email: str, label: str, urls, problems) -> Page:
    person = phone_page(browser, base, language)
    sign_in(person, base, email)
    for url in urls:
        check(person, base + url, label, problems)
    return person


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_b2b_page_scrolls_sideways_on_a_phone(live_server, browser: Browser, language):
    m = a_b2b_marketplace()
    base = live_server.url
    problems: list[str] = []

    buyer = visit(browser, base, language, m["purchaser"].email, f"{language} purchaser", purchaser_pages(m), problems)
    resolve_quick_order(buyer, base, f"{language} purchaser", problems)
    buyer.context.close()
    people = (
        ("approver", m["approver"].email, approver_pages(m)),
        ("supplier", m["supplier"].owner.email, supplier_pages(m)),
        ("merchant", m["merchant"].owner.email, merchant_pages(m)),
    )
    for who, email, urls in people:
        visit(browser, base, language, email, f"{language} {who}", urls, problems).context.close()

    assert not problems, "\n".join(problems)
