"""The seller API writes product content in both languages; every product output carries both, and the one
for the request's language (Accept-Language) with fallback."""

import pytest

from tests import factories
from tests.api.conftest import assert_error


@pytest.mark.django_db
def test_the_seller_api_writes_and_reads_both_languages(merchant, owner_api, api):
    created = owner_api.post(
        "seller/products",
        {
            "organization": merchant.pk,
            "title_zh": "烟台苹果",
            "description_zh": "<p>脆甜</p><script>x</script>",
            "attributes_zh": {"产地": "烟台"},
            "variants": [{"sku": "AP-1", "name": "1 kg", "name_zh": "1 公斤", "price": "9.90", "stock": 3}],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["title"], body["title_zh"], body["display_title"]) == ("", "烟台苹果", "烟台苹果")
    assert (body["description_zh"], body["attributes_zh"]) == ("<p>脆甜</p>", {"产地": "烟台"})
    assert (body["variants"][0]["name_zh"], body["variants"][0]["display_name"]) == ("1 公斤", "1 kg")

    product_id = body["id"]
    patched = owner_api.patch(
        f"seller/products/{product_id}",
        {"title": "Yantai apples", "description": "<p>Crisp</p>", "attributes": {"Origin": "Yantai"}},
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["title"], patched.json()["title_zh"]) == ("Yantai apples", "烟台苹果")
    variant_id = body["variants"][0]["id"]
    renamed = owner_api.patch(f"seller/products/{product_id}/variants/{variant_id}", {"name_zh": "一公斤"})
    assert (renamed.status_code, renamed.json()["name_zh"], renamed.json()["name"]) == (200, "一公斤", "1 kg")
    assert owner_api.post(f"seller/products/{product_id}/publish").status_code == 200

    english = api.get(f"products/{product_id}").json()
    chinese = api.client.get(f"/api/v1/products/{product_id}", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert (english["display_title"], english["display_description"]) == ("Yantai apples", "<p>Crisp</p>")
    assert (chinese["display_title"], chinese["display_attributes"]) == ("烟台苹果", {"产地": "烟台"})
    assert chinese["title"] == english["title"] == "Yantai apples"
    found = api.get("products", {"q": "烟台"}).json()["items"]
    assert [p["id"] for p in found] == [product_id]


@pytest.mark.django_db
def test_the_api_refuses_a_product_without_any_title(merchant, owner_api):
    response = owner_api.post("seller/products", {"organization": merchant.pk, "title": "", "title_zh": ""})
    assert_error(response, 400, field="title")
    product = factories.published_product(merchant, title="Apples")
    assert_error(owner_api.patch(f"seller/products/{product.pk}", {"title": ""}), 400, field="title")
