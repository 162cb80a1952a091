"""The product page shows the tier table, the minimum order and, for a company member, the contract price."""

import pytest
from django.urls import reverse

from tradeloop.pricing import services as pricing

pytestmark = pytest.mark.django_db


def page(client, variant):
    product = variant.product
    return client.get(reverse("storefront:product", args=[product.pk, product.slug])).content.decode()


@pytest.fixture
def adc(trade):
    supplier = trade["supplier"]
    pricing.set_order_rule(
        actor=supplier.owner, seller=supplier, variant_id=trade["adc"].pk, min_quantity=50, multiple=10
    )
    return trade["adc"]


def test_a_guest_sees_the_public_tiers_and_the_rule(client, adc):
    html = page(client, adc)
    assert "Price by quantity" in html and "Minimum order is 50, in multiples of 10." in html
    for cells in ("50–99", "100–499", "500+", "¥10.00", "¥9.00", "¥8.00"):
        assert cells in html, cells
    assert "Your contract price" not in html


def test_the_quantity_box_starts_at_the_minimum_and_steps_by_the_multiple(client, adc):
    html = page(client, adc)
    assert 'name="quantity" value="50" min="50" step="10"' in html


def test_a_company_member_sees_the_contract_price(client, adc, trade):
    client.force_login(trade["purchaser"])
    html = page(client, adc)
    assert "Your contract price" in html and "¥9.50" in html and "Acme 2026" in html
    assert "Your prices by quantity" in html and "200+" in html and "¥8.50" in html
    client.force_login(trade["consumer"])
    assert "Your contract price" not in page(client, adc)


def test_in_chinese(client, adc, trade):
    client.force_login(trade["purchaser"])
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = page(client, adc)
    assert "Your contract price" not in html and "Price by quantity" not in html
    assert "50–99" in html and "¥9.50" in html


def test_a_product_without_tiers_or_rules_shows_no_table(client, merchant):
    from tests import factories

    variant = factories.published_product(merchant).variants.get()
    assert "data-tier-table" not in page(client, variant)


def test_the_table_costs_no_query_once_cached_for_a_guest(client, adc, django_assert_max_num_queries):
    page(client, adc)
    product = adc.product
    url = reverse("storefront:product", args=[product.pk, product.slug])
    with django_assert_max_num_queries(6):  # the page's own budget (tests/storefront/test_pages.py)
        assert client.get(url).status_code == 200


def test_a_tier_change_shows_at_once(client, adc, trade):
    page(client, adc)
    supplier = trade["supplier"]
    pricing.set_tiers(actor=supplier.owner, seller=supplier, variant_id=adc.pk, tiers=[pricing.TierInput(1000, "7.25")])
    html = page(client, adc)
    assert "1000+" in html and "¥7.25" in html and "¥9.00" not in html
