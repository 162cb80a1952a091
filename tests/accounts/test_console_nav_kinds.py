"""Each kind of organization sees the desks it uses: a local business gets places, deals, redeem and bookings,
not shipping methods or RFQs; a merchant gets shipping and quotes, not the O2O desks."""

import pytest

from tests import factories
from tradeloop.accounts.console_nav import navigation

pytestmark = pytest.mark.django_db


def labels(kind: str) -> set[str]:
    org = factories.seller_with_owner(kind=kind)
    membership = org.memberships.select_related("role", "organization").get()
    return {str(link.label) for link in navigation(membership, current_url_name="console:dashboard")}


def test_a_local_business_sees_its_o2o_desks_and_no_shipping_or_quotes():
    seen = labels("local_business")
    assert {"Places", "Deals", "Redeem", "Bookings", "Services & staff", "Requests", "Reviews"} <= seen
    assert not {"Shipping", "Quotes"} & seen


def test_a_merchant_sees_shipping_and_quotes_and_no_o2o_desks():
    seen = labels("merchant")
    assert {"Shipping", "Quotes"} <= seen
    assert not {"Places", "Deals", "Redeem", "Bookings"} & seen
