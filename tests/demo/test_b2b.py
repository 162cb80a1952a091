"""The demo's B2B trade is there to try: an approved company on terms with a purchaser's limit and an approver,
tiers and a contract price list on the AD converters, an open RFQ waiting on the supplier, an unpaid invoice."""

import pytest

from tradeloop.b2b.credit import outstanding
from tradeloop.b2b.models import Company, Rfq
from tradeloop.demo import b2b, content, loader
from tradeloop.invoicing.models import Invoice
from tradeloop.negotiation.models import Negotiation
from tradeloop.pricing.models import PriceList, QuantityTier

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_whole_b2b_trade_and_loading_again_adds_nothing():
    loader.load()
    loader.load()
    company = Company.objects.get(organization__name=content.LIANCHUANG.name)
    assert company.is_approved and company.payment_terms == "net30" and company.credit_limit == 200000
    roles = dict(company.organization.memberships.values_list("user__email", "role__code"))
    assert roles["xu.jing@example.com"] == "purchaser" and roles["zhou.min@example.com"] == "approver"
    purchaser = company.organization.memberships.get(user__email="xu.jing@example.com")
    assert purchaser.spending_limit.amount == 20000

    assert QuantityTier.objects.filter(variant__sku="HS1262-50").count() == 2
    assert PriceList.objects.get(name=b2b.CONTRACT).buyers.get() == company.organization

    open_rfq = Rfq.objects.get(title=b2b.OPEN_RFQ)
    assert open_rfq.state == Rfq.State.OPEN and open_rfq.category.slug == "adcs"
    thread = Negotiation.objects.get(pk=open_rfq.quotes.get().negotiation_id)
    assert (thread.state, thread.current_version) == (Negotiation.State.OPEN, 2)  # the supplier's turn

    invoice = Invoice.objects.get()
    assert invoice.state == Invoice.State.ISSUED and invoice.buyer_org == company.organization
    assert outstanding(company).amount == invoice.total
