"""Bad input gets a 4xx with {"code", "message", "field"} and changes nothing."""

import pytest

from tests.api.conftest import assert_error
from tradeloop.catalog.models import Product, Variant
from tradeloop.core.models import Event


def product_with(merchant, **variant) -> dict:
    return {
        "organization": merchant.pk,
        "title": "Apples",
        "variants": [{"sku": "A-1", "price": "10", "stock": 1}, {"sku": "A-2", "price": "12", **variant}],
    }


@pytest.fixture
def nothing_written(merchant):
    before = (Product.objects.count(), Variant.objects.count(), Event.objects.count())
    yield
    assert (Product.objects.count(), Variant.objects.count(), Event.objects.count()) == before


@pytest.mark.django_db
def test_negative_price(merchant, owner_api, nothing_written):
    body = assert_error(owner_api.post("seller/products", product_with(merchant, price="-1")), 400, "invalid", "price")
    assert "negative" in body["message"]


@pytest.mark.django_db
def test_original_price_below_the_price(merchant, owner_api, nothing_written):
    response = owner_api.post("seller/products", product_with(merchant, compare_at_price="5"))
    assert_error(response, 400, "invalid", "compare_at_price")


@pytest.mark.django_db
def test_unknown_category(merchant, owner_api, nothing_written):
    response = owner_api.post("seller/products", {"organization": merchant.pk, "title": "X", "category": "nope"})
    assert_error(response, 400, "invalid", "category")


@pytest.mark.django_db
def test_bad_currency(merchant, owner_api, nothing_written):
    response = owner_api.post("seller/products", product_with(merchant, currency="XYZ"))
    assert_error(response, 422, "invalid", "variants.1.currency")


@pytest.mark.django_db
def test_price_with_too_many_decimals_or_digits(merchant, owner_api, nothing_written):
    assert_error(owner_api.post("seller/products", product_with(merchant, price="1.23456")), 422, "invalid")
    assert_error(owner_api.post("seller/products", product_with(merchant, price="1e30")), 422, "invalid")
    assert_error(owner_api.post("seller/products", product_with(merchant, price="NaN")), 422, "invalid")


@pytest.mark.django_db
def test_missing_and_wrongly_typed_fields(merchant, owner_api, nothing_written):
    body = assert_error(owner_api.post("seller/products", {"title": "X"}), 422, "invalid", "organization")
    assert "required" in body["message"].lower()
    # No title in either language is the service's rule (title or title_zh): a 400 naming the field.
    assert_error(owner_api.post("seller/products", {"organization": merchant.pk}), 400, "invalid", "title")
    assert_error(owner_api.post("seller/products", {"organization": "mine", "title": "X"}), 422, field="organization")
    response = owner_api.post("seller/products", {"organization": merchant.pk, "title": "X", "variants": {"a": 1}})
    assert_error(response, 422, field="variants")


@pytest.mark.django_db
def test_blank_title(merchant, owner_api, nothing_written):
    assert_error(
        owner_api.post("seller/products", {"organization": merchant.pk, "title": "   "}), 400, "invalid", "title"
    )


@pytest.mark.django_db
def test_nul_characters_are_refused_not_a_database_error(merchant, owner_api, api, nothing_written):
    response = owner_api.post("seller/products", {"organization": merchant.pk, "title": "A\x00B"})
    assert_error(response, 422, "invalid", "title")
    assert_error(api.get("products", {"q": "a\x00b"}), 422, "invalid", "q")


@pytest.mark.django_db
def test_bad_json_body(merchant, owner_api, nothing_written):
    response = owner_api.client.post(
        "/api/v1/seller/products",
        '{"organization": 1, "title": ',
        content_type="application/json",
        headers=owner_api._headers(),
    )
    assert_error(response, 400, "bad_request", "body")


@pytest.mark.django_db
def test_json_that_is_not_an_object(owner_api, nothing_written):
    response = owner_api.client.post(
        "/api/v1/seller/products", "[1, 2]", content_type="application/json", headers=owner_api._headers()
    )
    assert 400 <= response.status_code < 500
    assert_error(response, response.status_code)


@pytest.mark.django_db
def test_out_of_range_ids(api, owner_api):
    assert_error(api.get("products/0"), 422, "invalid", "product_id")
    assert_error(api.get(f"products/{2**70}"), 422, "invalid", "product_id")
    assert_error(api.get("products/abc"), 422, "invalid", "product_id")
    assert_error(owner_api.get("organizations/99999999"), 404, "not_found")


@pytest.mark.django_db
def test_unknown_path_and_wrong_method_are_json_too(api):
    assert_error(api.get("no/such/thing"), 404, "not_found")
    response = api.delete("categories")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


@pytest.mark.django_db
def test_api_root_points_to_the_docs(api):
    body = api.get("").json()
    assert (body["openapi"], body["docs"]) == ("/api/v1/openapi.json", "/api/v1/docs")


@pytest.mark.django_db
def test_cursor_with_values_we_never_write(api):
    import base64

    crafted = base64.urlsafe_b64encode(b"[null, null]").decode().rstrip("=")
    assert_error(api.get("products", {"cursor": crafted}), 400, "invalid", "cursor")


@pytest.mark.django_db
def test_body_over_the_size_limit(owner_api, settings, nothing_written):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = owner_api.post("seller/products", {"organization": 1, "title": "x" * 2000})
    assert_error(response, 413, "too_large")
