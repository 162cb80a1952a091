"""API: GET promotions, GET/POST/PATCH seller/promotions, POST promotions/validate."""

from datetime import timedelta

import pytest

from tests import factories
from tests.api.conftest import Api, assert_error
from tradeloop.accounts.services import issue_token
from tradeloop.core import clock
from tradeloop.promotions.models import Promotion

pytestmark = pytest.mark.django_db


def api_as(client, user=None) -> Api:
    return Api(client, issue_token(user=user)[1] if user else None)


def test_public_list_shows_running_automatic_and_public_coupons(client, merchant):
    auto = factories.promotion(merchant, name="Auto")
    coupon = factories.promotion(merchant, code="PUBLIC", kind="fixed", value=5)
    factories.promotion(merchant, code="SECRET", is_public=False)
    factories.promotion(merchant, name="Later", starts_at=clock.now() + timedelta(days=1))
    factories.promotion(merchant, name="Off", is_active=False)
    other = factories.promotion(factories.seller_with_owner(), name="Elsewhere")
    body = api_as(client).get("promotions", {"seller": merchant.slug}).json()
    assert {p["id"] for p in body["items"]} == {auto.pk, coupon.pk}
    fixed = next(p for p in body["items"] if p["id"] == coupon.pk)
    assert (fixed["value"], fixed["seller"]["slug"], fixed["code"]) == ("5.00", merchant.slug, "PUBLIC")
    assert other.pk in {p["id"] for p in api_as(client).get("promotions").json()["items"]}
    assert_error(api_as(client).get("promotions", {"seller": "nope"}), 400, field="seller")


def test_public_list_query_budget(client, merchant, django_assert_max_num_queries):
    for i in range(40):
        factories.promotion(merchant, name=f"P{i}", code=f"C{i}")
    with django_assert_max_num_queries(3):
        assert len(api_as(client).get("promotions", {"limit": 40}).json()["items"]) == 40


def test_seller_creates_lists_and_patches(client, merchant, product):
    api = api_as(client, merchant.owner)
    created = api.post(
        "seller/promotions",
        {
            "organization": merchant.pk,
            "name": "Apples 20%",
            "kind": "percent",
            "value": "20",
            "scope": "product",
            "product_ids": [product.pk],
            "code": "apple20",
            "usage_limit": 50,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["code"], body["product_ids"], body["status"], body["currency"]) == (
        "APPLE20",
        [product.pk],
        "running",
        "CNY",
    )
    listed = api.get("seller/promotions", {"organization": merchant.pk}).json()
    assert [p["id"] for p in listed["items"]] == [body["id"]]
    patched = api.patch(f"seller/promotions/{body['id']}", {"value": "25", "is_active": False})
    assert patched.status_code == 200, patched.content
    assert (patched.json()["value"], patched.json()["is_active"], patched.json()["status"]) == ("25", False, "off")
    cleared = api.patch(f"seller/promotions/{body['id']}", {"usage_limit": None})
    assert cleared.json()["usage_limit"] is None


def test_seller_api_errors(client, merchant):
    api = api_as(client, merchant.owner)
    bad = api.post("seller/promotions", {"organization": merchant.pk, "name": "X", "kind": "percent", "value": "0"})
    assert_error(bad, 400, field="value")
    factories.promotion(merchant, code="DUP")
    dup = api.post(
        "seller/promotions", {"organization": merchant.pk, "name": "X", "kind": "percent", "value": "5", "code": "dup"}
    )
    assert_error(dup, 409, code="duplicate_code", field="code")
    theirs = factories.promotion(factories.seller_with_owner(), code="THEIRS")
    assert_error(api.get(f"seller/promotions/{theirs.pk}"), 404)
    assert_error(api.patch(f"seller/promotions/{theirs.pk}", {"value": "1"}), 404)
    support = factories.member(merchant, "support")
    assert_error(api_as(client, support).get("seller/promotions", {"organization": merchant.pk}), 403)
    assert_error(api_as(client).get("seller/promotions", {"organization": merchant.pk}), 401)
    assert Promotion.objects.count() == 2


def test_seller_list_query_budget(client, merchant, product, django_assert_max_num_queries):
    for i in range(30):
        factories.promotion(merchant, name=f"P{i}", scope="product", products=[product])
    api = api_as(client, merchant.owner)
    with django_assert_max_num_queries(8):
        assert len(api.get("seller/promotions", {"organization": merchant.pk, "limit": 30}).json()["items"]) == 30


def test_validate_previews_a_breakdown_per_seller(client, merchant, user):
    apples = factories.published_product(merchant, title="Apples", price="100")
    other = factories.seller_with_owner()
    bread = factories.published_product(other, title="Bread", price="20")
    factories.promotion(merchant, name="Auto 10%", value=10)
    factories.promotion(other, code="BREAD5", kind="fixed", value=5)
    items = [
        {"variant_id": apples.variants.first().pk, "quantity": 2},
        {"variant_id": bread.variants.first().pk, "quantity": 1},
    ]
    response = api_as(client, user).post("promotions/validate", {"codes": ["bread5", "NOPE"], "items": items})
    assert response.status_code == 200, response.content
    body = response.json()
    by_store = {o["seller"]["slug"]: o for o in body["orders"]}
    mine, theirs = by_store[merchant.slug], by_store[other.slug]
    assert (mine["subtotal"], mine["discount_total"], mine["total"]) == ("200.00", "20.00", "180.00")
    assert mine["adjustments"][0]["label"] == "Auto 10%" and mine["adjustments"][0]["amount"] == "-20.00"
    assert (theirs["discount_total"], theirs["adjustments"][0]["code"]) == ("5.00", "BREAD5")
    assert body["errors"] == ["There is no coupon NOPE."]
    assert Promotion.objects.get(code="BREAD5").used_count == 0  # a preview uses nothing


def test_validate_rejects_items_not_for_sale(client):
    response = api_as(client).post("promotions/validate", {"items": [{"variant_id": 999999, "quantity": 1}]})
    assert_error(response, 400, field="items")
    assert_error(api_as(client).post("promotions/validate", {"items": []}), 422)
