"""List endpoints cost a fixed number of queries, however many rows a page holds."""

import pytest

from tests import factories


@pytest.fixture
def big_catalogue(merchant):
    category = factories.CategoryFactory(slug="fruit")
    for i in range(64):
        factories.published_product(merchant, title=f"Product {i}", category=category, variants=2)
    return merchant


@pytest.mark.django_db
def test_public_product_list_and_detail(api, big_catalogue, django_assert_max_num_queries):
    api.get("categories")  # the category tree is cached, as it is on a live site
    with django_assert_max_num_queries(2):
        response = api.get("products", {"limit": 100, "category": "fruit", "sort": "price_asc"})
    assert len(response.json()["items"]) == 64

    product = big_catalogue.products.first()
    api.get(f"products/{product.pk}")  # pricing's tier table and order rules are cached, as on a live site
    with django_assert_max_num_queries(3):
        assert len(api.get(f"products/{product.pk}").json()["variants"]) == 2


@pytest.mark.django_db
def test_seller_product_and_stock_lists(owner_api, big_catalogue, django_assert_max_num_queries):
    owner_api.get("me")  # the token's last-used stamp is written once, not on every request
    with django_assert_max_num_queries(4):
        response = owner_api.get("seller/products", {"organization": big_catalogue.pk, "limit": 100})
    assert len(response.json()["items"]) == 64

    with django_assert_max_num_queries(4):
        response = owner_api.get("seller/stock", {"organization": big_catalogue.pk, "limit": 100})
    assert len(response.json()["items"]) == 100
    assert response.json()["next_cursor"]


@pytest.mark.django_db
def test_members_list(merchant, owner_api, django_assert_max_num_queries):
    for role in ["catalog", "fulfilment", "finance", "support"] * 8:
        factories.member(merchant, role)
    owner_api.get("me")
    with django_assert_max_num_queries(4):
        response = owner_api.get(f"organizations/{merchant.pk}/members", {"limit": 100})
    assert len(response.json()["items"]) == 33


@pytest.mark.django_db
def test_me_and_my_organizations(user, api_as, django_assert_max_num_queries):
    for i in range(12):
        factories.seller_with_owner(name=f"Shop {i}", owner=user)
    me = api_as(user)
    with django_assert_max_num_queries(3):  # token, its last-used stamp (at most every 5 minutes), memberships
        assert len(me.get("me").json()["memberships"]) == 12
    with django_assert_max_num_queries(2):
        assert len(me.get("organizations").json()["items"]) == 12
