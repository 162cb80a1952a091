"""Each mode's block on the dashboard, registered by the mode (analytics never imports the modes), and visits of O2O
place pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tests.analytics.conftest import flush
from tests.o2o import local
from tests.o2o.dealing import bought, owner, vouchers_of
from tradeloop.analytics import selectors
from tradeloop.analytics.models import VisitCount
from tradeloop.o2o import redemption, vouchers

pytestmark = pytest.mark.django_db


def _blocks(seller, actor=None):
    report = selectors.report(actor=actor or owner(seller), seller=seller, period=selectors.parse_period(days=7))
    return {b.key: b for b in report.blocks}


def test_a_local_business_sees_deal_sales_and_the_redemption_rate():
    place = local.place()
    deal = local.deal(place)
    first, second, _third = (vouchers_of(bought(deal))[0] for _ in range(3))
    redemption.redeem(actor=owner(place.seller), place_id=place.pk, code=first.code)
    vouchers.refund(actor=second.buyer, voucher_id=second.pk)
    blocks = _blocks(place.seller)
    assert set(blocks) == {"o2o"}
    o2o = blocks["o2o"]
    assert [(s.key, s.value) for s in o2o.funnel] == [("sold", 3), ("redeemed", 1)]
    figures = {f.key: f.value for f in o2o.figures}
    assert figures["redemption_rate"] == Decimal("33.3") and figures["refunded"] == 1
    assert figures["sales"].amount == Decimal("78.00")  # two of 39.00 not refunded


def test_a_private_seller_sees_offers_and_escrow():
    seller = factories.seller_with_owner(kind="personal")
    factories.paid_order(seller=seller, mode="c2c")
    c2c = _blocks(seller)["c2c"]
    assert [s.key for s in c2c.funnel] == ["offers", "accepted"]
    held = {f.key: f.value for f in c2c.figures}["held"]
    assert held.amount > 0  # the paid C2C order's money is held in escrow


def test_a_merchant_sees_the_inquiry_funnel_and_the_operator_every_block():
    merchant = factories.seller_with_owner(kind="merchant")
    b2b = _blocks(merchant, merchant.owner)["b2b"]
    assert [s.key for s in b2b.funnel] == ["received", "quoted", "won"]
    staff = factories.UserFactory(is_staff=True)
    platform = selectors.report(actor=staff, seller=None, period=selectors.parse_period(days=7))
    assert {b.key for b in platform.blocks} >= {"b2b", "c2c", "o2o"}


def test_the_blocks_render_on_the_page(client):
    place = local.place()
    bought(local.deal(place))
    client.force_login(owner(place.seller))
    html = client.get(reverse("analytics:console_dashboard", args=[place.seller_id])).content.decode()
    assert 'data-block="o2o"' in html and "block-o2o-funnel-title" in html


def test_a_place_page_counts_a_visit_for_its_business(client):
    place = local.place()
    assert client.get(reverse("o2o:place", args=[place.pk])).status_code == 200
    assert not VisitCount.objects.exists()
    flush()
    row = VisitCount.objects.get(kind="place", object_id=place.pk)
    assert (row.seller_id, row.views, row.visitors) == (place.seller_id, 1, 1)
