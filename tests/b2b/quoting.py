"""Builders for the RFQ and quote tests: a supplier with a SKU in a category, a company buyer and its purchaser."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tradeloop.b2b import quotes, rfqs
from tradeloop.core import clock


@pytest.fixture
def category(db):
    parent = factories.CategoryFactory(slug="electronics", name="Electronics")
    return factories.CategoryFactory(slug="adc", name="AD converters", parent=parent)


@pytest.fixture
def supplier(db):
    return factories.seller_with_owner(kind="supplier", name="Acme Components")


@pytest.fixture
def sku(supplier, category):
    product = factories.published_product(
        seller=supplier, title="24-bit AD converter", price="20.00", stock=1000, category=category
    )
    return product.variants.get()


@pytest.fixture
def company(db):
    return factories.seller_with_owner(kind="buyer_company", name="Beta Instruments")


@pytest.fixture
def purchaser(company):
    return factories.member(company, "buyer")


def rfq_in(**overrides) -> rfqs.RfqIn:
    fields = {
        "title": "AD converters for the new meter",
        "lines": [rfqs.RfqLineIn(quantity=500, description="24-bit AD converter", target_price=Decimal("15.00"))],
        "deadline": clock.now() + timedelta(days=7),
        "delivery_terms": "DAP Shenzhen",
    }
    fields.update(overrides)
    return rfqs.RfqIn(**fields)


@pytest.fixture
def direct_rfq(purchaser, company, supplier, sku):
    return rfqs.create_rfq(
        actor=purchaser,
        buyer_org=company,
        data=rfq_in(supplier=supplier, lines=[rfqs.RfqLineIn(quantity=500, variant=sku, target_price=Decimal("15"))]),
    )


def terms(sku, quantity=500, price="16.00", **kw) -> quotes.Draft:
    kw.setdefault("shipping", Decimal("40.00"))
    kw.setdefault("payment_terms", "prepay")
    return quotes.Draft(lines=[quotes.LineDraft(quantity, Decimal(price), variant=sku)], **kw)


@pytest.fixture
def quote(direct_rfq, supplier, sku):
    """v1: the supplier quotes 500 converters at 16.00 plus 40.00 shipping, prepay."""
    return quotes.submit_quote(actor=supplier.owner, rfq_id=direct_rfq.pk, supplier=supplier, draft=terms(sku))
