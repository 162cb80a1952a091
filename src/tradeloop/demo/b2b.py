"""The demo's B2B trade, written through the services like the rest of the demo (idempotent: what exists is kept).

Hengsheng sells its 24-bit AD converters by the box with quantity tiers, a minimum order on its references, and a
contract price list for Suzhou Lianchuang. Lianchuang is an approved company on Net 30 with a credit limit; Xu Jing
buys (spending limit ¥20,000) and Zhou Min approves. One RFQ is open with a quote thread (the supplier's quote, the
buyer's counter: the supplier's turn); an earlier RFQ was accepted, shipped and invoiced, and the invoice is unpaid.
Hengsheng's showcase (profile in English and Chinese) and six RFQs of the last 90 days, five quoted within hours,
give its store page the response figures company buyers see.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tradeloop.accounts.models import Organization, User
from tradeloop.b2b import approvals, companies, quotes, rfqs, showcase
from tradeloop.b2b.models import Company, Rfq, SupplierProfile
from tradeloop.catalog.models import Variant
from tradeloop.core import clock
from tradeloop.fulfilment import services as fulfilment
from tradeloop.negotiation.services import Draft, LineDraft
from tradeloop.orders.models import Order
from tradeloop.pricing import services as pricing
from tradeloop.pricing.models import PriceList, QuantityTier

CREDIT_LIMIT = "200000.00"
PURCHASER_LIMIT = "20000.00"
OPEN_RFQ = "HS1262 converters for the 2027 balance line"
INVOICED_RFQ = "Voltage references for the Q1 pilot run"
CONTRACT = "Lianchuang 2026 contract"


def _variant(sku: str) -> Variant:
    return Variant.objects.select_related("product").get(sku=sku)


def _member(org: Organization, email: str):
    return org.memberships.select_related("user").get(user__email=email)


def approved_company(operator: User, org: Organization) -> Company:
    """The company profile of a demo buyer organization, approved by the operator, on Net 30."""
    company, created = Company.objects.get_or_create(organization=org, defaults={"currency": org.currency})
    if company.state != Company.State.APPROVED:
        companies.decide(operator=operator, company=company, to=Company.State.APPROVED, reason="demo: papers checked")
    if created or not company.credit_limit:
        companies.set_terms(operator=operator, company=company, payment_terms="net30", credit_limit=CREDIT_LIMIT)
    if not company.addresses.exists():
        companies.add_address(
            actor=org.owner,
            company=company,
            label="Main plant",
            name="Xu Jing (徐静)",
            phone="+86 512 6288 0000",
            line1="8 Xinghu Street, Suzhou Industrial Park (苏州工业园区星湖街8号)",
            city="Suzhou",
            region="Jiangsu",
            postcode="215000",
            is_default=True,
        )
    return company


def staff_limits(company: Company, purchaser_email: str) -> None:
    purchaser = _member(company.organization, purchaser_email)
    if not hasattr(purchaser, "spending_limit"):
        approvals.set_spending_limit(
            actor=company.organization.owner, company=company, membership_id=purchaser.pk, amount=PURCHASER_LIMIT
        )


def supplier_prices(supplier: Organization, buyer: Organization) -> None:
    """Tiers by the box on the HS1262, a minimum order on the 2.5 V references, a contract list for the buyer."""
    owner = supplier.owner
    box = _variant("HS1262-50")  # a box of 50 at ¥2,450
    if not QuantityTier.objects.filter(variant=box).exists():
        pricing.set_tiers(
            actor=owner,
            seller=supplier,
            variant_id=box.pk,
            tiers=[pricing.TierInput(10, Decimal("2350.00")), pricing.TierInput(40, Decimal("2250.00"))],
        )
    pricing.set_order_rule(
        actor=owner, seller=supplier, variant_id=_variant("HSREF25-50").pk, min_quantity=4, multiple=2
    )
    if not PriceList.objects.filter(seller=supplier, name=CONTRACT).exists():
        pricing.save_price_list(
            actor=owner,
            seller=supplier,
            price_list_id=None,
            data=pricing.PriceListInput(name=CONTRACT, currency="CNY", priority=10),
            buyers=[buyer.pk],
            entries=[
                pricing.EntryInput(Decimal("2300.00"), sku="HS1262-50"),
                pricing.EntryInput(Decimal("2200.00"), sku="HS1262-50", min_quantity=20),
            ],
        )


def _rfq(buyer: User, org: Organization, title: str, lines: list, **audience) -> Rfq:
    """A direct RFQ (audience: supplier=…) or an open one to the suppliers of a category (category=…)."""
    found = Rfq.objects.filter(buyer_org=org, title=title).first()
    if found is not None:
        return found
    return rfqs.create_rfq(
        actor=buyer,
        buyer_org=org,
        data=rfqs.RfqIn(
            title=title,
            lines=lines,
            deadline=clock.now() + timedelta(days=14),
            delivery_terms="DAP Suzhou, tray packing",
            required_by=(clock.now() + timedelta(days=45)).date(),
            **audience,
        ),
    )


def open_rfq_with_thread(buyer: User, org: Organization, supplier: Organization) -> None:
    """An RFQ open to every AD-converter supplier, with Hengsheng's quote (v1) and the buyer's counter (v2): the
    supplier's turn."""
    box = _variant("HS1262-50")
    lines = [rfqs.RfqLineIn(40, variant=box, target_price=Decimal("2150.00"))]
    rfq = _rfq(buyer, org, OPEN_RFQ, lines, category=box.product.category)
    if rfq.quotes.exists():
        return
    quote = quotes.submit_quote(
        actor=supplier.owner,
        rfq_id=rfq.pk,
        supplier=supplier,
        draft=Draft(
            lines=[LineDraft(40, Decimal("2280.00"), variant=box)],
            shipping=Decimal("60.00"),
            payment_terms="net30",
            note="Date code 2026+, 2 weeks from order.",
        ),
    )
    quotes.counter(
        actor=buyer,
        quote_id=quote.pk,
        version=1,
        draft=Draft(
            lines=[LineDraft(40, Decimal("2220.00"), variant=box)],
            shipping=Decimal("60.00"),
            payment_terms="net30",
            note="We can order 40 boxes now at 2,220 if shipping stays 60.",
        ),
    )


def unpaid_invoice(buyer: User, org: Organization, supplier: Organization) -> None:
    """An accepted quote on Net 30, shipped: its invoice waits for payment."""
    refs = _variant("HSREF25-50")
    lines = [rfqs.RfqLineIn(8, variant=refs, target_price=Decimal("380.00"))]
    rfq = _rfq(buyer, org, INVOICED_RFQ, lines, supplier=supplier)
    if rfq.quotes.exists():
        return
    quote = quotes.submit_quote(
        actor=supplier.owner,
        rfq_id=rfq.pk,
        supplier=supplier,
        draft=Draft(lines=[LineDraft(8, Decimal("385.00"), variant=refs)], payment_terms="net30"),
    )
    accepted = quotes.accept(actor=buyer, quote_id=quote.pk, version=1)
    order = Order.objects.get(number=accepted.result_ref)
    fulfilment.ship(actor=supplier.owner, order=order, lines=None, carrier="SF Express", tracking_number="SF1402776501")


# --- the supplier showcase (helper H3): Hengsheng's company profile and its inquiries of the last weeks ---------------

SHOWCASE = showcase.ProfileIn(
    year_founded=2009,
    factory_size_m2=12000,
    employees=320,
    certifications=["ISO 9001", "ISO 14001", "IATF 16949", "CE", "RoHS", "REACH"],
    main_markets=["Mainland China", "Europe", "Japan", "South Korea", "North America"],
    main_markets_zh=["中国大陆", "欧洲", "日本", "韩国", "北美"],
    capacity="3 SMT lines and a final-test floor, 2 shifts; reels and boxes packed in-house",
    capacity_zh="3条SMT产线与成品测试车间，两班生产；卷盘与整盒包装自有",
    capacity_per_month=1_200_000,
    typical_moq=500,
    lead_time_days=14,
    introduction="Hengsheng designs and tests precision data converters and voltage references in Shenzhen "
    "since 2009: 24-bit delta-sigma ADCs for weigh scales and strain gauges, low-drift references for "
    "instruments. Every lot is tested at three temperatures and shipped with its test report; samples in "
    "3 days, volume orders in about two weeks.",
    introduction_zh="恒晟精密电子2009年成立于深圳，专注高精度数据转换器与电压基准的设计与测试：用于电子秤和应变片的"
    "24位ΣΔ ADC、仪器仪表用低温漂基准。每批产品经三温测试并随货附测试报告；样品3天发出，批量订单约两周交付。",
)
# Past inquiries to Hengsheng: (title, days ago, hours until its quote or None): answered within hours, one not
PAST_INQUIRIES = (
    ("HS1262 samples for the bench scale", 78, 1.5),
    ("Converters for the strain-gauge amplifier", 64, 3),
    ("HS1262 for the Q2 weigh-module batch", 51, 2),
    ("Second source for the load-cell ADC", 37, 26),
    ("HS1262 boxes for the spare-parts stock", 23, 4),
    ("Price check: 100 boxes of HS1262", 12, None),
)


def supplier_showcase(buyer: User, org: Organization, supplier: Organization) -> None:
    """Hengsheng's showcase in English and Chinese, and enough recent inquiries for its response figures."""
    if not SupplierProfile.objects.filter(organization=supplier).exists():
        showcase.save_profile(actor=supplier.owner, supplier=supplier, data=SHOWCASE)
    box = _variant("HS1262-50")
    started, wall = clock.now(), timezone.now()
    try:
        for title, days, hours in PAST_INQUIRIES:
            if Rfq.objects.filter(buyer_org=org, title=title).exists():
                continue
            clock.travel(started - timedelta(days=days))
            lines = [rfqs.RfqLineIn(20, variant=box, target_price=Decimal("2200.00"))]
            rfq = _rfq(buyer, org, title, lines, supplier=supplier)
            if hours is None:
                continue
            clock.advance(hours=hours)
            quotes.submit_quote(
                actor=supplier.owner,
                rfq_id=rfq.pk,
                supplier=supplier,
                draft=Draft(lines=[LineDraft(20, Decimal("2300.00"), variant=box)], payment_terms="net30"),
            )
    finally:
        clock.travel(started + (timezone.now() - wall))
    showcase.forget(supplier)


def load(*, operator: User, supplier: Organization, buyer_org: Organization, purchaser_email: str) -> None:
    company = approved_company(operator, buyer_org)
    staff_limits(company, purchaser_email)
    supplier_prices(supplier, buyer_org)
    purchaser = User.objects.get(email=purchaser_email)
    open_rfq_with_thread(purchaser, buyer_org, supplier)
    unpaid_invoice(purchaser, buyer_org, supplier)
    supplier_showcase(purchaser, buyer_org, supplier)
