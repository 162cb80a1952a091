"""The seller console's promotions pages: list, create, edit, switch off, flash sale; tenancy and capability."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tradeloop.core import clock
from tradeloop.promotions.models import Promotion

pytestmark = pytest.mark.django_db


def url(name, org, *args):
    return reverse(f"promotions:{name}", args=[org.pk, *args])


def form(**fields):
    data = {"name": "Spring sale", "code": "", "kind": "percent", "value": "10", "scope": "order", "currency": "CNY"}
    data |= {"is_public": "on"}
    return data | fields


@pytest.fixture
def owner(client, merchant):
    client.force_login(merchant.owner)
    return client


def test_create_a_coupon(owner, merchant):
    response = owner.post(url("create", merchant), form(code="spring10", usage_limit="100"))
    assert response.status_code == 302
    promo = Promotion.objects.get(seller=merchant)
    assert (promo.code, promo.value, promo.usage_limit) == ("SPRING10", 10, 100)
    page = owner.get(url("list", merchant))
    assert b"SPRING10" in page.content and b"Running" in page.content


def test_bad_input_is_a_form_error_not_a_500(owner, merchant):
    response = owner.post(url("create", merchant), form(value="150"))
    assert response.status_code == 400
    assert "at most 100" in response.content.decode()
    response = owner.post(url("create", merchant), form(code="a b"))
    assert response.status_code == 400 and "letters, digits" in response.content.decode()
    response = owner.post(url("create", merchant), form(scope="product"))
    assert response.status_code == 400 and "Choose one or more of your products" in response.content.decode()
    assert not Promotion.objects.exists()


def test_duplicate_code_is_a_form_error(owner, merchant):
    factories.promotion(merchant, code="DUP")
    response = owner.post(url("create", merchant), form(code="dup"))
    assert response.status_code == 400 and "already have a coupon" in response.content.decode()


def test_product_scope_only_offers_own_products(owner, merchant, product):
    theirs = factories.published_product(factories.seller_with_owner(), title="Not yours")
    page = owner.get(url("create", merchant)).content.decode()
    assert product.title in page and "Not yours" not in page
    response = owner.post(url("create", merchant), form(scope="product", products=[str(theirs.pk)]))
    assert response.status_code == 400


def test_edit_and_switch_off(owner, merchant):
    promo = factories.promotion(merchant, name="Old", code="OLD", usage_limit=10, used_count=4)
    response = owner.post(url("edit", merchant, promo.pk), form(name="New", code="OLD", usage_limit="3"))
    assert response.status_code == 400 and "cannot be lower" in response.content.decode()
    response = owner.post(url("edit", merchant, promo.pk), form(name="New", code="OLD", usage_limit="20"))
    assert response.status_code == 302
    promo.refresh_from_db()
    assert (promo.name, promo.usage_limit) == ("New", 20)
    owner.post(url("active", merchant, promo.pk), {"active": "0"})
    promo.refresh_from_db()
    assert promo.is_active is False
    assert b"Switched off" in owner.get(url("list", merchant), {"status": "off"}).content


def test_flash_sale_form(owner, merchant, product):
    ends = timezone.localtime(clock.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    data = {"name": "Noon rush", "products": [str(product.pk)], "kind": "fixed", "value": "3", "currency": "CNY"}
    response = owner.post(url("flash_create", merchant), data | {"ends_at": ends, "flash_stock_cap": "20"})
    assert response.status_code == 302
    promo = Promotion.objects.get(name="Noon rush")
    assert (promo.flash_stock_cap, promo.scope, list(promo.products.all())) == (20, "product", [product])


def test_other_tenants_promotion_is_404(owner, merchant):
    theirs = factories.promotion(factories.seller_with_owner(), code="THEIRS")
    assert owner.get(url("edit", merchant, theirs.pk)).status_code == 404
    assert owner.post(url("active", merchant, theirs.pk), {"active": "0"}).status_code == 404
    other = factories.seller_with_owner()
    assert owner.get(url("list", other)).status_code == 404


def test_needs_catalog_capability(client, merchant):
    client.force_login(factories.member(merchant, "support"))
    assert client.get(url("list", merchant)).status_code == 403
    client.force_login(factories.member(merchant, "catalog"))
    assert client.get(url("list", merchant)).status_code == 200


def test_list_query_budget(owner, merchant, django_assert_max_num_queries):
    for i in range(30):
        factories.promotion(merchant, name=f"P{i}", code=f"CODE{i}", usage_limit=5)
    with django_assert_max_num_queries(12):
        response = owner.get(url("list", merchant))
    assert response.status_code == 200 and b"CODE29" in response.content
