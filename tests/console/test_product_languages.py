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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "", "title_zh": ""}, "title"),  # no title left in either language
        ({"attributes_zh": "产地 杭州"}, "attributes_zh"),  # a line without "Name: Value"
        ({"title_zh": "长" * 201}, "title_zh"),
    ],
)
def test_bad_content_in_either_language_is_a_form_error_and_changes_nothing(owner_client, merchant, fields, field):
    created = owner_client.post(
        url("product_create", merchant), product_form(title_zh="龙井绿茶", variants=[variant_row("LJ-1")])
    )
    assert created.status_code == 302
    product = Product.objects.get(seller=merchant)
    before = (product.title, product.title_zh, product.attributes_zh, product.slug)
    variant = product.variants.get()
    row = variant_row("LJ-1", id=str(variant.pk))
    data = product_form(title_zh="龙井绿茶", variants=[row], initial=1) | fields
    refused = owner_client.post(url("product_edit", merchant, product.pk), data)
    assert refused.status_code == 400 and refused.context["form"].errors[field]
    product.refresh_from_db()
    assert (product.title, product.title_zh, product.attributes_zh, product.slug) == before
