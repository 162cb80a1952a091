"""Storefront pages as a shopper sees them: content, filters, pagination, errors and query budgets."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tradeloop.catalog import services as catalog
from tradeloop.catalog.models import Product
from tradeloop.storefront.templatetags.ui import console_home_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    electronics = catalog.create_category(name="Electronics", slug="electronics", name_zh="数码")
    phones = catalog.create_category(name="Phones", slug="phones", parent=electronics)
    food = catalog.create_category(name="Food", slug="food")
    return {"electronics": electronics, "phones": phones, "food": food}


@pytest.fixture
def market(tree):
    """65 published products from 5 sellers across 3 categories, some with several variants."""
    sellers = [factories.seller_with_owner(name=f"Shop {i}") for i in range(5)]
    categories = list(tree.values())
    products = []
    for i in range(65):
        products.append(
            factories.published_product(
                sellers[i % 5],
                title=f"Item {i:02d}",
                price=str(10 + i),
                category=categories[i % 3],
                variants=1 + i % 3,
                stock=0 if i % 10 == 0 else 5,
            )
        )
    return {"sellers": sellers, "products": products}


def cards(response) -> list[str]:
    return [p.title for p in response.context["page"].items]


# --- home -----------------------------------------------------------------


def test_home_shows_categories_and_featured_products(client, tree, product):
    response = client.get(reverse("storefront:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Electronics" in page and reverse("storefront:category", args=["food"]) in page
    assert product.title in page
    assert reverse("storefront:product", args=[product.pk, product.slug]) in page


def test_home_without_products_invites_sellers(client, db):
    response = client.get(reverse("storefront:home"))
    assert response.status_code == 200
    assert reverse("accounts:profile") in response.content.decode()


def test_home_query_budget(client, market, django_assert_max_num_queries):
    client.get("/")  # warm the category cache as production traffic would
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200


# --- product list ---------------------------------------------------------


def test_list_pages_through_all_products_with_a_cursor(client, market):
    first = client.get(reverse("storefront:products"))
    assert first.status_code == 200
    assert len(cards(first)) == 24
    seen = cards(first)
    response = first
    while response.context["page"].next_cursor:
        response = client.get(reverse("storefront:products"), {"cursor": response.context["page"].next_cursor})
        assert response.status_code == 200
        seen += cards(response)
    assert sorted(seen) == sorted(p.title for p in market["products"])


def test_next_link_keeps_the_filters(client, market):
    response = client.get(reverse("storefront:products"), {"sort": "price_asc", "q": "Item"})
    html = response.content.decode()
    cursor = response.context["page"].next_cursor
    assert f"cursor={cursor}" in html
    assert "sort=price_asc" in html.split(f"cursor={cursor}")[0].rsplit('href="', 1)[1]


def test_filters_narrow_the_list(client, market, tree):
    response = client.get(
        reverse("storefront:products"), {"min": "20", "max": "30", "in_stock": "on", "sort": "price_desc"}
    )
    assert response.status_code == 200
    prices = [p.price_from for p in response.context["page"].items]
    assert prices == sorted(prices, reverse=True)
    assert all(Decimal(20) <= price <= Decimal(30) for price in prices)
    assert all(p.in_stock for p in response.context["page"].items)
    assert "Item 20" not in cards(response)  # out of stock


def test_search_finds_by_title(client, market):
    response = client.get(reverse("storefront:products"), {"q": "Item 07"})
    assert cards(response) == ["Item 07"]


def test_category_filter_on_the_list_includes_subcategories(client, market):
    response = client.get(reverse("storefront:products"), {"category": "electronics", "sort": "price_asc"})
    titles = cards(response)
    assert "Item 00" in titles and "Item 01" in titles  # electronics and its child, phones
    assert "Item 02" not in titles  # food


@pytest.mark.parametrize(
    "params",
    [
        {"min": "abc"},
        {"max": "-5"},
        {"min": "50", "max": "10"},
        {"sort": "cheapest"},
        {"kind": "spaceship"},
        {"category": "no-such-category"},
        {"cursor": "not-a-cursor!!"},
        {"cursor": "WyJ4Il0"},  # valid base64 JSON, wrong shape
    ],
)
def test_bad_filters_get_a_friendly_400(client, product, params):
    response = client.get(reverse("storefront:products"), params)
    assert response.status_code == 400
    assert 'class="alert alert-error"' in response.content.decode()


def test_empty_result_says_so(client, product):
    response = client.get(reverse("storefront:products"), {"q": "nothing-like-this"})
    assert response.status_code == 200
    assert "Nothing matches these filters" in response.content.decode()


def test_list_query_budget(client, market, django_assert_max_num_queries):
    client.get(reverse("storefront:products"))
    with django_assert_max_num_queries(4):
        response = client.get(reverse("storefront:products"), {"sort": "rating", "in_stock": "on"})
    assert len(cards(response)) == 24


def test_signed_in_list_query_budget(client, market, user, django_assert_max_num_queries):
    client.force_login(user)
    client.get(reverse("storefront:products"))
    with django_assert_max_num_queries(6):  # + session, user, memberships for the header
        assert client.get(reverse("storefront:products")).status_code == 200


# --- category -------------------------------------------------------------


def test_category_page_shows_breadcrumbs_subcategories_and_subtree(client, market, tree):
    response = client.get(reverse("storefront:category", args=["electronics"]), {"sort": "price_asc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("storefront:category", args=["phones"]) in html
    titles = cards(response)
    assert "Item 01" in titles and "Item 02" not in titles

    child = client.get(reverse("storefront:category", args=["phones"]), {"sort": "price_asc"})
    assert 'aria-label="Breadcrumbs"' in child.content.decode()
    assert child.context["ancestors"] == [tree["electronics"]]
    assert "Item 00" not in cards(child)


def test_category_page_uses_chinese_name_in_chinese(client, tree):
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    response = client.get(reverse("storefront:category", args=["electronics"]))
    assert "<h1>数码</h1>" in response.content.decode()


def test_unknown_category_is_404(client, db):
    assert client.get(reverse("storefront:category", args=["nope"])).status_code == 404


def test_category_query_budget(client, market, django_assert_max_num_queries):
    url = reverse("storefront:category", args=["electronics"])
    client.get(url)
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


# --- product detail -------------------------------------------------------


def test_product_page_shows_what_a_buyer_needs(client, merchant, tree):
    product = catalog.create_product(
        actor=merchant.owner,
        seller=merchant,
        title="Green tea",
        category=tree["food"],
        description="<p>Fresh <strong>spring</strong> leaves</p><script>alert(1)</script>",
        attributes={"Origin": "Hangzhou"},
        variants=[
            catalog.VariantInput(sku="T-250", name="250 g", price="98", compare_at_price="128", stock=3),
            catalog.VariantInput(sku="T-500", name="500 g", price="180", stock=0, options={"Weight": "500g"}),
        ],
    )
    catalog.publish(actor=merchant.owner, product=product)
    response = client.get(reverse("storefront:product", args=[product.pk, product.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Green tea" in html
    assert reverse("storefront:store", args=[merchant.slug]) in html
    assert "<strong>spring</strong>" in html and "<script>" not in html
    assert "Hangzhou" in html and "Origin" in html
    assert "¥98.00" in html and "¥128.00" in html
    assert "250 g" in html and "500 g" in html
    assert "In stock" in html

    second = response.context["variants"][1]
    picked = client.get(reverse("storefront:product", args=[product.pk, product.slug]), {"variant": second.pk})
    assert picked.context["variant"] == second
    assert "Out of stock" in picked.content.decode()


def test_product_without_slug_redirects_to_canonical_url(client, product):
    response = client.get(reverse("storefront:product_short", args=[product.pk]))
    assert response.status_code == 301
    assert response["Location"] == reverse("storefront:product", args=[product.pk, product.slug])
    wrong = client.get(reverse("storefront:product", args=[product.pk, "old-title"]))
    assert wrong["Location"] == reverse("storefront:product", args=[product.pk, product.slug])


def test_listing_shows_its_condition(client, db):
    person = factories.seller_with_owner(kind="personal")
    listing = factories.published_product(person, title="Old bike", kind="listing")
    catalog.update_product(actor=person.owner, product=listing, condition="good")
    html = client.get(reverse("storefront:product", args=[listing.pk, listing.slug])).content.decode()
    assert "Condition" in html and "Good" in html


def test_unpublished_and_unknown_products_are_404(client, product, merchant):
    catalog.unpublish(actor=merchant.owner, product=product)
    assert client.get(reverse("storefront:product", args=[product.pk, product.slug])).status_code == 404
    assert client.get(reverse("storefront:product", args=[999999, "x"])).status_code == 404
    draft = catalog.create_product(actor=merchant.owner, seller=merchant, title="Draft")
    assert client.get(reverse("storefront:product_short", args=[draft.pk])).status_code == 404


def test_product_page_offers_no_fake_checkout(client, product):
    html = client.get(reverse("storefront:product", args=[product.pk, product.slug])).content.decode()
    assert "coming soon" not in html.lower()


def test_product_detail_query_budget(client, market, django_assert_max_num_queries):
    product = market["products"][5]
    product.refresh_from_db()
    url = reverse("storefront:product", args=[product.pk, product.slug])
    client.get(url)
    # product, variants, images, related cards, order rules, and the reviews summary
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


# --- store ----------------------------------------------------------------


def test_store_page_lists_the_sellers_products(client, market):
    shop = market["sellers"][1]
    shop.description = "Best shop in town"
    shop.city = "Hangzhou"
    shop.save()
    response = client.get(reverse("storefront:store", args=[shop.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert shop.name in html and "Best shop in town" in html and "Hangzhou" in html
    assert {p.seller_id for p in response.context["page"].items} == {shop.pk}
    assert len(cards(response)) == 13


def test_store_is_paginated(client, market):
    shop = market["sellers"][0]
    for i in range(20):
        factories.published_product(shop, title=f"Extra {i}")
    first = client.get(reverse("storefront:store", args=[shop.slug]))
    assert len(cards(first)) == 24
    second = client.get(reverse("storefront:store", args=[shop.slug]), {"cursor": first.context["page"].next_cursor})
    assert len(cards(second)) == 33 - 24


def test_unknown_or_non_selling_store_is_404(client, db):
    buyer = factories.seller_with_owner(kind="buyer_company")
    assert client.get(reverse("storefront:store", args=[buyer.slug])).status_code == 404
    assert client.get(reverse("storefront:store", args=["nope"])).status_code == 404


def test_store_query_budget(client, market, django_assert_max_num_queries):
    url = reverse("storefront:store", args=[market["sellers"][2].slug])
    client.get(url)
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


# --- shared page shell ----------------------------------------------------


def test_product_card_marks_discounts_and_stock(client, merchant):
    sale = catalog.create_product(
        actor=merchant.owner,
        seller=merchant,
        title="On sale",
        variants=[catalog.VariantInput(sku="A", price="80", compare_at_price="100", stock=0)],
    )
    catalog.publish(actor=merchant.owner, product=sale)
    Product.objects.filter(pk=sale.pk).update(rating_avg=Decimal("4.6"), rating_count=12)
    html = client.get(reverse("storefront:products")).content.decode()
    assert 'class="price-original"' in html and "¥100.00" in html
    assert "Out of stock" in html
    assert "★★★★★" in html and "(12)" in html
    assert merchant.name in html


def test_header_shows_console_link_only_to_sellers(client, merchant, user):
    client.force_login(user)
    assert "Seller console" not in client.get("/").content.decode()
    client.force_login(merchant.owner)
    html = client.get("/").content.decode()
    assert "Sign out" in html
    if console_home_url():  # the console app may not have routes in every checkout
        assert console_home_url() in html


def test_search_box_and_language_switcher_are_on_every_page(client, db):
    html = client.get("/").content.decode()
    assert f'action="{reverse("storefront:products")}"' in html and 'name="q"' in html
    assert f'action="{reverse("set_language")}"' in html
    assert "English" in html and "简体中文" in html
    assert 'class="cart-badge"' in html
