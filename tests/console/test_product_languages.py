"""The product editor takes title, description, attributes and variant names in both languages."""

import pytest

from tests.console.conftest import product_form, url, variant_row
from tradeloop.catalog.models import Product


@pytest.mark.django_db
def test_the_product_editor_has_labelled_fields_for_both_languages(owner_client, merchant):
    page = owner_client.get(url("product_create", merchant)).content.decode()
    for name, label in (
        ("title", "Title (English)"),
        ("title_zh", "Title (Simplified Chinese)"),
        ("description_zh", "Description (Simplified Chinese)"),
        ("attributes_zh", "Attributes (Simplified Chinese)"),
        ("variants-0-name_zh", "Name (Simplified Chinese)"),
    ):
        assert f'<label for="id_{name}">{label}</label>' in page, name

    data = product_form(
        title="",
        title_zh="龙井绿茶",
        attributes_zh="产地: 杭州",
        variants=[variant_row("LJ-1", name_zh="250 克")],
    )
    response = owner_client.post(url("product_create", merchant), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    product = Product.objects.get(seller=merchant)
    assert (product.title, product.title_zh, product.attributes_zh) == ("", "龙井绿茶", {"产地": "杭州"})
    assert product.variants.get().name_zh == "250 克"
    edit = owner_client.get(url("product_edit", merchant, product.pk)).content.decode()
    assert 'value="龙井绿茶"' in edit

    refused = owner_client.post(url("product_create", merchant), product_form(title="", variants=[variant_row("X")]))
    assert refused.status_code == 400 and refused.context["form"].errors["title"]
