"""A product's sold count follows its paid order lines: what search ranks by and cards show as "N sold"."""

from __future__ import annotations

import pytest

from tests import factories
from tradeloop.catalog.models import Product
from tradeloop.orders import services as orders

pytestmark = pytest.mark.django_db


def sold(product: Product) -> int:
    return Product.objects.get(pk=product.pk).sold_count


def test_paid_lines_count_once_and_a_cancelled_paid_order_takes_them_back(merchant):
    product = factories.published_product(merchant, variants=2)
    first, second = product.variants.order_by("id")
    factories.paid_order(seller=merchant, items=[(first, 2), (second, 3)])
    assert sold(product) == 5
    other = factories.paid_order(seller=merchant, items=[(first, 1)])
    assert sold(product) == 6
    orders.cancel(order=other, actor=None, reason="out of stock")
    assert sold(product) == 5


def test_an_unpaid_order_does_not_count_and_its_cancellation_takes_nothing(merchant):
    product = factories.published_product(merchant)
    buyer = factories.UserFactory()
    from decimal import Decimal

    order = orders.place_order(
        actor=buyer,
        buyer=buyer,
        seller=merchant,
        mode="b2c",
        currency="CNY",
        lines=[orders.LineIn(product.variants.get(), 2, Decimal("12.50"))],
        adjustments=[],
        commission_rate=Decimal("0.05"),
        shipping_method="Standard",
        shipping_address={"name": "A", "line1": "1 Road", "city": "Shanghai"},
    )
    assert sold(product) == 0
    orders.cancel(order=order, actor=None, reason="unpaid")
    assert sold(product) == 0


def test_cards_and_the_product_page_say_how_many_were_sold_in_both_languages(client, merchant):
    from django.utils import translation

    product = factories.published_product(merchant, title="Longjing tea")
    factories.paid_order(seller=merchant, items=[(product.variants.get(), 3)])
    page = client.get("/products/").content.decode()
    assert "3 sold" in page
    assert "3 sold" in client.get(f"/p/{product.pk}/", follow=True).content.decode()
    with translation.override("zh-hans"):
        page = client.get("/products/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已售 3" in page
