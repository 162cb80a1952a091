from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tests.console.conftest import login_as, png, product_form, queries_to_get, url, variant_row
from tradeloop.catalog.models import Product, ProductImage, Variant
from tradeloop.catalog.services import VariantInput, save_variant


def two_variants():
    return [
        variant_row("TEA-50", "38.00", name="50 g tin", options="Weight=50g; Grade=A", compare_at_price="45.00"),
        variant_row("TEA-100", "68.00", name="100 g tin", options="Weight=100g", stock="4"),
    ]


@pytest.mark.django_db
def test_owner_creates_a_product_with_variants_and_an_image_and_publishes_it(owner_client, merchant, client):
    category = factories.CategoryFactory(name="Tea")
    data = product_form(
        variants=two_variants(),
        category=str(category.pk),
        description="<p>Spring harvest<script>alert(1)</script></p>",
        attributes="Origin: Hangzhou\nHarvest: 2026",
        image=png(),
        alt="A tin of green tea",
    )
    response = owner_client.post(url("product_create", merchant), data)
    product = Product.objects.get(seller=merchant)
    assert response.status_code == 302
    assert response["Location"] == url("product_edit", merchant, product.pk)
    assert product.status == "draft"
    assert product.category == category
    assert product.attributes == {"Origin": "Hangzhou", "Harvest": "2026"}
    assert product.description == "<p>Spring harvest</p>"
    variants = {v.sku: v for v in product.variants.all()}
    assert variants["TEA-50"].options == {"Weight": "50g", "Grade": "A"}
    assert variants["TEA-50"].compare_at_price == Decimal("45.00")
    assert variants["TEA-100"].stock == 4
    assert product.images.get().alt == "A tin of green tea"
    assert product.price_from == Decimal("38.00") and product.cover

    edit_page = owner_client.get(response["Location"])
    assert "TEA-100" in edit_page.text and product.images.get().thumbnail.url in edit_page.text

    published = owner_client.post(url("product_status", merchant, product.pk), {"action": "publish"})
    assert published.status_code == 302
    product.refresh_from_db()
    assert product.status == "published"

    client.logout()
    storefront = client.get(reverse("storefront:products"))
    assert "Longjing green tea" in storefront.text


@pytest.mark.django_db
def test_save_and_publish_in_one_step(owner_client, merchant):
    data = product_form(variants=[variant_row("ONE")], publish="1")
    assert owner_client.post(url("product_create", merchant), data).status_code == 302
    assert Product.objects.get(seller=merchant).status == "published"


def _assert_nothing_written(merchant):
    assert not Product.objects.filter(seller=merchant).exists()
    assert not Variant.objects.exists()
    assert not ProductImage.objects.exists()


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        ([variant_row("A", "-1")], "price", "Price cannot be negative"),
        ([variant_row("A", "10", compare_at_price="9")], "compare_at_price", "Original price must not be below"),
        ([variant_row("A"), variant_row("A", "12")], "sku", "already used"),
        ([variant_row("A", stock="-3")], "stock", "Stock cannot be negative"),
        ([variant_row("A", options="Color Red")], "options", "Color=Red"),
    ],
    ids=["negative-price", "original-below-price", "duplicate-sku", "negative-stock", "unreadable-options"],
)
@pytest.mark.django_db
def test_bad_variants_show_errors_on_their_field_and_write_nothing(owner_client, merchant, rows, field, message):
    response = owner_client.post(url("product_create", merchant), product_form(variants=rows, image=png()))
    assert response.status_code == 400
    errors = [form.errors.get(field, []) for form in response.context["variants"].forms]
    assert any(message in error for field_errors in errors for error in field_errors)
    assert "Nothing was saved" in response.text
    _assert_nothing_written(merchant)


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_written(owner_client, merchant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("tea.png", b"%PDF-1.4 definitely not a picture", content_type="image/png")
    response = owner_client.post(url("product_create", merchant), product_form(variants=two_variants(), image=fake))
    assert response.status_code == 400
    assert "not an image" in response.context["upload"].errors["image"][0]
    _assert_nothing_written(merchant)


@pytest.mark.django_db
def test_a_product_needs_a_title_and_a_variant(owner_client, merchant):
    response = owner_client.post(url("product_create", merchant), product_form(title="", variants=[]))
    assert response.status_code == 400
    assert response.context["form"].errors["title"]
    assert response.context["variants"].non_form_errors()
    _assert_nothing_written(merchant)


@pytest.mark.django_db
def test_a_failed_edit_leaves_the_product_as_it_was(owner_client, merchant):
    product = factories.published_product(merchant, title="Oolong", variants=2)
    first, second = product.variants.all()
    rows = [
        variant_row(first.sku, "99.00", id=str(first.pk)),
        variant_row(second.sku, "-5", id=str(second.pk)),  # the bad one comes after a good change
    ]
    data = product_form(title="Renamed oolong", variants=rows, initial=2)
    response = owner_client.post(url("product_edit", merchant, product.pk), data)
    assert response.status_code == 400
    assert response.context["product"].title == "Oolong"
    product.refresh_from_db()
    first.refresh_from_db()
    assert product.title == "Oolong"
    assert first.price == Decimal("12.50")


@pytest.mark.django_db
def test_edit_changes_adds_and_removes_variants_and_images(owner_client, merchant):
    product = factories.published_product(merchant, title="Oolong", variants=2)
    first, second = product.variants.all()
    owner_client.post(
        url("product_edit", merchant, product.pk),
        product_form(
            title="Oolong",
            variants=[variant_row(first.sku, id=str(first.pk)), variant_row(second.sku, id=str(second.pk))],
            initial=2,
            image=png(),
        ),
    )
    image = product.images.get()
    rows = [
        variant_row(first.sku, "20.00", id=str(first.pk), stock="7"),
        variant_row(second.sku, "13.50", id=str(second.pk), DELETE="on"),
        variant_row("NEW-1", "30.00"),
    ]
    data = product_form(title="Oolong, roasted", variants=rows, initial=2, remove_image=str(image.pk))
    response = owner_client.post(url("product_edit", merchant, product.pk), data)
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.title == "Oolong, roasted"
    assert sorted(product.variants.values_list("sku", "stock")) == [("NEW-1", 10), ("SKU-0", 7)]
    assert not product.images.exists() and product.cover == ""


@pytest.mark.django_db
def test_unpublish_button(owner_client, merchant):
    product = factories.published_product(merchant)
    owner_client.post(url("product_status", merchant, product.pk), {"action": "unpublish"})
    product.refresh_from_db()
    assert product.status == "unpublished"


@pytest.mark.django_db
def test_product_table_filters_by_status_and_searches_title_and_sku(owner_client, merchant):
    factories.published_product(merchant, title="Jasmine pearls")
    draft = factories.published_product(merchant, title="Pu-erh cake")
    owner_client.post(url("product_status", merchant, draft.pk), {"action": "unpublish"})
    save_variant(actor=merchant.owner, product=draft, data=VariantInput(sku="PUER-357", price="120"))

    def titles(**params):
        response = owner_client.get(url("products", merchant), params)
        assert response.status_code == 200
        return [row.product.title for row in response.context["rows"]]

    assert titles() == ["Pu-erh cake", "Jasmine pearls"]
    assert titles(status="unpublished") == ["Pu-erh cake"]
    assert titles(q="jasmine") == ["Jasmine pearls"]
    assert titles(q="PUER-357") == ["Pu-erh cake"]
    assert titles(q="nothing like it") == []


@pytest.mark.django_db
def test_a_tampered_page_link_falls_back_to_the_first_page(owner_client, merchant):
    factories.published_product(merchant)
    response = owner_client.get(url("products", merchant), {"cursor": "not-a-cursor"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1


@pytest.mark.django_db
def test_bulk_publish_and_unpublish(owner_client, merchant):
    live = [factories.published_product(merchant, title=f"Live {i}") for i in range(2)]
    drafts = [factories.published_product(merchant, title=f"Draft {i}") for i in range(2)]
    for product in drafts:
        owner_client.post(url("product_status", merchant, product.pk), {"action": "unpublish"})
    empty = Product.objects.create(seller=merchant, title="No variants yet", slug="no-variants")
    ids = [p.pk for p in drafts] + [empty.pk]

    response = owner_client.post(url("products_bulk", merchant), {"action": "publish", "ids": ids}, follow=True)
    assert response.status_code == 200
    notes = [str(m) for m in response.context["messages"]]
    assert "2 product(s) published." in notes
    assert any("1 product(s) were left" in note for note in notes)
    assert set(Product.objects.filter(status="published").values_list("pk", flat=True)) == {p.pk for p in live + drafts}

    owner_client.post(url("products_bulk", merchant), {"action": "unpublish", "ids": [live[0].pk]})
    live[0].refresh_from_db()
    assert live[0].status == "unpublished"


@pytest.mark.django_db
def test_bulk_action_ignores_other_stores_products(owner_client, merchant):
    other = factories.seller_with_owner(name="Rival")
    theirs = factories.published_product(other)
    owner_client.post(url("products_bulk", merchant), {"action": "unpublish", "ids": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.status == "published"


@pytest.mark.django_db
def test_bulk_action_without_a_selection_says_so(owner_client, merchant):
    response = owner_client.post(url("products_bulk", merchant), {"action": "publish"}, follow=True)
    assert "Select at least one product." in [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
def test_catalog_table_query_count_does_not_grow_with_rows(owner_client, merchant, django_assert_max_num_queries):
    category = factories.CategoryFactory()
    factories.published_product(merchant, title="Tea 0", category=category, variants=2)
    owner_client.get(url("products", merchant))  # warm the category cache
    with_one_row = queries_to_get(owner_client, url("products", merchant))
    for i in range(1, 60):
        factories.published_product(merchant, title=f"Tea {i}", category=category, variants=2)

    with django_assert_max_num_queries(with_one_row):
        response = owner_client.get(url("products", merchant))
    assert len(response.context["rows"]) == 25
    next_page = {"cursor": response.context["page"].next_cursor}
    assert queries_to_get(owner_client, url("products", merchant), next_page) == with_one_row
    assert with_one_row <= 10


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_the_catalog(owner_client, merchant):
    factories.published_product(merchant, variants=2)
    owner_client.get(url("dashboard", merchant))  # warm the category cache
    small = queries_to_get(owner_client, url("dashboard", merchant))
    for i in range(40):
        factories.published_product(merchant, title=f"Tea {i}", variants=2, category=factories.CategoryFactory())
    owner_client.get(url("dashboard", merchant))
    assert queries_to_get(owner_client, url("dashboard", merchant)) == small <= 18


@pytest.mark.django_db
def test_catalog_staff_can_create_products(client, merchant, staff):
    login_as(client, staff("catalog"))
    response = client.post(url("product_create", merchant), product_form(variants=[variant_row("C-1")]))
    assert response.status_code == 302
    assert Product.objects.filter(seller=merchant).count() == 1


@pytest.mark.django_db
def test_saving_the_product_page_does_not_undo_a_sale_made_while_it_was_open(owner_client, merchant):
    from tradeloop.inventory.services import set_available

    product = factories.published_product(merchant, title="Oolong", stock=10)
    variant = product.variants.get()
    set_available(actor=None, variant=variant, available=7)  # three sold after the page showed 10
    row = variant_row(variant.sku, "21.00", id=str(variant.pk), stock="10", stock_shown="10")
    response = owner_client.post(
        url("product_edit", merchant, product.pk), product_form(title="Oolong", variants=[row], initial=1)
    )
    assert response.status_code == 302
    variant.refresh_from_db()
    assert (variant.price, variant.stock) == (Decimal("21.00"), 7)
    row = variant_row(variant.sku, "21.00", id=str(variant.pk), stock="12", stock_shown="7")
    owner_client.post(
        url("product_edit", merchant, product.pk), product_form(title="Oolong", variants=[row], initial=1)
    )
    variant.refresh_from_db()
    assert variant.stock == 12  # a deliberate change still applies
