"""Malformed input gets the JSON error body with a 4xx, whatever the endpoint: text that is not Unicode, booleans for
numbers, unknown keys, oversized bodies, over-long URLs."""

import json

import pytest

from tests import factories
from tests.api.conftest import assert_error

SURROGATE = "\ud800"  # json.dumps sends it as the escape \ud800: valid JSON, invalid text


@pytest.fixture
def buyer_api(api_as):
    return api_as(factories.UserFactory())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("checkout", {"address_id": 1, "coupon_codes": [SURROGATE]}, "coupon_codes.0"),
        ("checkout/quote", {"coupon_codes": ["OK", "A" + SURROGATE]}, "coupon_codes.1"),
        ("promotions/validate", {"codes": [SURROGATE], "items": [{"variant_id": 1, "quantity": 1}]}, "codes.0"),
        ("cart/items", {"variant_id": 1, "quantity": 1, SURROGATE: 1}, None),
    ],
)
def test_a_lone_surrogate_in_any_text_is_refused(buyer_api, path, body, field):
    body = assert_error(buyer_api.post(path, body), 400, "bad_request")
    assert "Unicode" in body["message"]
    if field:
        assert body["field"] == field


@pytest.mark.django_db
def test_a_lone_surrogate_in_product_attributes_and_variant_options(merchant, owner_api):
    base = {"organization": merchant.pk, "title": "Apples", "variants": [{"sku": "A", "price": "1", "stock": 1}]}
    bad_key = {**base, "attributes": {SURROGATE: "red"}}
    assert_error(owner_api.post("seller/products", bad_key), 400, "bad_request", "attributes")
    bad_option = {**base, "variants": [{"sku": "A", "price": "1", "options": {"colour": SURROGATE}}]}
    assert_error(owner_api.post("seller/products", bad_option), 400, "bad_request", "variants.0.options.colour")


@pytest.mark.django_db
def test_true_is_not_a_quantity(buyer_api):
    assert_error(buyer_api.post("cart/items", {"variant_id": 1, "quantity": True}), 422, "invalid", "quantity")
    assert_error(buyer_api.post("cart/items", {"variant_id": True}), 422, "invalid", "variant_id")
    items = {"items": [{"variant_id": 1, "quantity": True}]}
    assert_error(buyer_api.post("promotions/validate", items), 422, "invalid", "items.0.quantity")


@pytest.mark.django_db
def test_unknown_keys_are_refused_with_the_field_named(buyer_api):
    assert_error(buyer_api.post("checkout/quote", {"shipping": {"abc": 1}}), 422, "invalid", "shipping.abc")
    assert_error(buyer_api.post("checkout/quote", {"shiping": {}}), 422, "invalid", "shiping")
    items = {"items": [{"variant_id": 1, "quantity": 1, "colour": "red"}]}
    assert_error(buyer_api.post("promotions/validate", items), 422, "invalid", "items.0.colour")


@pytest.mark.django_db
def test_json_body_over_the_configured_limit(buyer_api, settings):
    settings.API_MAX_BODY_BYTES = 2000
    body = {"coupon_codes": ["x" * 3000]}
    assert_error(buyer_api.post("checkout/quote", body), 413, "too_large", "body")
    settings.API_MAX_BODY_BYTES = 1024 * 1024
    assert_error(buyer_api.post("checkout/quote", body), 400, "invalid", "cart")  # read, and answered: the cart


def test_the_default_limit_is_one_megabyte():
    from django.conf import settings

    assert settings.API_MAX_BODY_BYTES == 1024 * 1024


@pytest.mark.django_db
def test_a_body_that_is_not_json(buyer_api):
    response = buyer_api.client.post(
        "/api/v1/checkout/quote", b"{nope", content_type="application/json", headers=buyer_api._headers()
    )
    assert_error(response, 400, "bad_request", "body")
    assert json.loads(response.content)["message"]
