"""Buyers see automatic promotions and flash sales on product cards and pages, and a store's public coupons."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests import factories
from tradeloop.core import clock
from tradeloop.promotions import services

pytestmark = pytest.mark.django_db


def cards_page(client, **params):
    return client.get(reverse("storefront:products"), params).content.decode()


def test_card_shows_the_promotional_price_with_the_original_struck_through(client, merchant):
    factories.published_product(merchant, title="Longjing tea", price="100")
    factories.promotion(merchant, name="Tea week", value=20)
    page = cards_page(client)
    assert "CN¥80.00" in page and '<span class="price-original">' in page and "CN¥100.00" in page
    assert "20% off" in page


def test_flash_sale_badge_and_price_until_sold_out(client, merchant):
    tea = factories.published_product(merchant, title="Longjing tea", price="100")
    promo = factories.promotion(
        merchant,
        kind="fixed",
        value=30,
        scope="product",
        products=[tea],
        flash_stock_cap=5,
        ends_at=clock.now() + timedelta(hours=1),
    )
    page = cards_page(client)
    assert "Flash sale" in page and "CN¥70.00" in page
    detail = client.get(reverse("storefront:product", args=[tea.pk, tea.slug])).content.decode()
    assert "CN¥70.00" in detail and "Ends" in detail
    promo.flash_sold = 5
    promo.save()
    services.forget_cached(merchant.pk)
    assert "Flash sale" not in cards_page(client)
    clock.advance(hours=2)


def test_promotions_that_need_a_minimum_spend_do_not_change_the_card_price(client, merchant):
    factories.published_product(merchant, title="Tea", price="100")
    factories.promotion(merchant, name="Over 500", value=20, min_spend=500)
    factories.promotion(merchant, name="3 for 2", kind="bxgy", buy_quantity=2, get_quantity=1)
    page = cards_page(client)
    assert "CN¥80.00" not in page
    assert "Buy 2 get 1 free" in page  # the badge of the promotion with no minimum spend


def test_scheduled_promotions_show_once_they_start(client, merchant):
    factories.published_product(merchant, title="Tea", price="100")
    factories.promotion(merchant, value=50, starts_at=clock.now() + timedelta(hours=1))
    assert "CN¥50.00" not in cards_page(client)
    clock.advance(hours=1, seconds=1)
    assert "CN¥50.00" in cards_page(client)  # the cached rules are checked against the time of the request


def test_store_page_coupon_strip_shows_public_running_coupons(client, merchant):
    factories.promotion(merchant, code="WELCOME10", kind="fixed", value=10, min_spend=99)
    factories.promotion(merchant, code="VIPONLY", is_public=False)
    factories.promotion(merchant, code="GONE", usage_limit=1, used_count=1)
    page = client.get(reverse("storefront:store", args=[merchant.slug])).content.decode()
    assert "WELCOME10" in page and "CN¥99.00" in page
    assert "VIPONLY" not in page and "GONE" not in page


def test_list_page_query_budget_with_promotions(client, merchant, django_assert_max_num_queries):
    category = factories.CategoryFactory()
    products = [factories.published_product(merchant, title=f"Tea {i}", category=category) for i in range(30)]
    factories.promotion(merchant, value=10)
    factories.promotion(merchant, value=20, scope="category", categories=[category])
    factories.promotion(merchant, kind="fixed", value=5, scope="product", products=products[:10], flash_stock_cap=9)
    factories.promotion(None, value=3, stackable=True)
    with django_assert_max_num_queries(6):  # cold: products + promotions with their categories and products
        client.get(reverse("storefront:products"))
    with django_assert_max_num_queries(3):  # warm: the promotions come from the cache
        page = client.get(reverse("storefront:products")).content.decode()
    assert page.count('class="price-original"') == 24
