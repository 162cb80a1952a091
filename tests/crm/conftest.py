from decimal import Decimal

import pytest

from tests import factories
from tradeloop.crm.models import Customer


@pytest.fixture
def shop(db):
    """A merchant and its owner (shop.owner)."""
    return factories.seller_with_owner(kind="merchant", name="Green Tea House")


@pytest.fixture
def buy(shop, django_capture_on_commit_callbacks):
    """buy(buyer, price="50.00", city="Shanghai") -> a paid order of `shop`; the CRM receivers run (on commit)."""

    def _buy(buyer=None, price="50.00", city="Shanghai", shipping="0"):
        buyer = buyer or factories.UserFactory()
        product = factories.published_product(seller=shop, price=Decimal(price))
        with django_capture_on_commit_callbacks(execute=True):
            order = factories.paid_order(
                seller=shop, buyer=buyer, items=[(product.variants.get(), 1)], shipping=shipping
            )
            if city != "Shanghai":
                order.shipping_address = {**order.shipping_address, "city": city}
                order.save(update_fields=["shipping_address"])
                from tradeloop.crm import services

                services.refresh_for(order)
        return order

    return _buy


def row(shop, buyer) -> Customer:
    return Customer.objects.get(seller=shop, user=buyer)
