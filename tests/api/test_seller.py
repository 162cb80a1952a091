import pytest

from tests import factories
from tests.api.conftest import assert_error, png
from tradeloop.catalog.models import Product, ProductImage, Variant
from tradeloop.core.models import Event


def new_product(merchant, **overrides) -> dict:
    return {
        "organization": merchant.pk,
        "title": "Fuji apples",
        "description": "<p>Crisp</p><script>alert(1)</script>",
        "category": "fruit",
        "attributes": {"origin": "Yantai"},
        "variants": [
            {"sku": "APL-5", "name": "5 kg", "price": "59.90", "stock": 8, "options": {"size": "5 kg"}},
            {"sku": "APL-10", "name": "10 kg", "price": "109", "compare_at_price": "129", "stock": 0},
        ],
        **overrides,
    }


@pytest.fixture
def fruit(db):
    return factories.CategoryFactory(slug="fruit", name="Fruit")


@pytest.mark.django_db
def test_create_a_draft_with_variants_then_publish_it(merchant, owner_api, fruit, api):
    response = owner_api.post("seller/products", new_product(merchant))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["description"] == "<p>Crisp</p>"
    assert body["category"]["slug"] == "fruit"
    assert [(v["sku"], v["price"], v["compare_at_price"], v["stock"]) for v in body["variants"]] == [
        ("APL-5", "59.90", None, 8),
        ("APL-10", "109.00", "129.00", 0),
    ]
    assert (body["price_from"], body["in_stock"]) == ("59.90", True)
    assert_error(api.get(f"products/{body['id']}"), 404)  # drafts are not public

    published = owner_api.post(f"seller/products/{body['id']}/publish")

    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    assert api.get(f"products/{body['id']}").status_code == 200

    assert owner_api.post(f"seller/products/{body['id']}/unpublish").json()["status"] == "unpublished"
    assert_error(owner_api.post(f"seller/products/{body['id']}/unpublish"), 409, "illegal_transition")


@pytest.mark.django_db
def test_a_product_without_variants_cannot_be_published(merchant, owner_api):
    product = owner_api.post("seller/products", {"organization": merchant.pk, "title": "Empty"}).json()

    assert_error(owner_api.post(f"seller/products/{product['id']}/publish"), 400, "invalid", "variants")
    assert Product.objects.get(pk=product["id"]).status == "draft"


@pytest.mark.django_db
def test_edit_only_the_fields_sent(merchant, owner_api, fruit):
    product = owner_api.post("seller/products", new_product(merchant)).json()

    response = owner_api.patch(f"seller/products/{product['id']}", {"title": "Red Fuji apples", "category": None})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["category"]) == ("Red Fuji apples", None)
    assert body["attributes"] == {"origin": "Yantai"}


@pytest.mark.django_db
def test_variants_are_added_edited_and_removed(merchant, owner_api):
    product = owner_api.post("seller/products", new_product(merchant, category=None)).json()
    base = f"seller/products/{product['id']}/variants"

    added = owner_api.post(base, {"sku": "APL-20", "price": "199", "stock": 2})
    assert added.status_code == 201, added.content
    variant_id = added.json()["id"]

    edited = owner_api.patch(f"{base}/{variant_id}", {"price": "189.5", "name": "20 kg"})
    assert edited.status_code == 200, edited.content
    assert (edited.json()["price"], edited.json()["name"], edited.json()["stock"]) == ("189.50", "20 kg", 2)

    assert_error(owner_api.post(base, {"sku": "APL-20", "price": "1"}), 409, "conflict", "sku")
    assert owner_api.delete(f"{base}/{variant_id}").status_code == 204
    assert_error(owner_api.delete(f"{base}/{variant_id}"), 404, "not_found")
    assert_error(owner_api.patch(f"{base}/{variant_id}", {"price": "1"}), 404, "not_found")
    assert set(Variant.objects.filter(product_id=product["id"]).values_list("sku", flat=True)) == {"APL-5", "APL-10"}


@pytest.mark.django_db
def test_image_upload_and_removal(merchant, owner_api, media):
    product = owner_api.post("seller/products", new_product(merchant, category=None)).json()
    path = f"seller/products/{product['id']}/images"

    uploaded = owner_api.upload(path, {"image": png("apples.png"), "alt": "A crate of apples"})

    assert uploaded.status_code == 201, uploaded.content
    image = uploaded.json()
    assert image["url"].startswith("http://testserver/media/products/") and image["url"].endswith(".png")
    assert image["alt"] == "A crate of apples"
    detail = owner_api.get(f"seller/products/{product['id']}").json()
    assert detail["cover_url"] == image["thumbnail_url"]

    assert owner_api.delete(f"{path}/{image['id']}").status_code == 204
    assert not ProductImage.objects.exists()


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused(merchant, owner_api, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    product = owner_api.post("seller/products", new_product(merchant, category=None)).json()
    fake = SimpleUploadedFile("evil.png", b"<?php echo 1; ?>", content_type="image/png")

    assert_error(owner_api.upload(f"seller/products/{product['id']}/images", {"image": fake}), 400, "invalid", "image")
    assert_error(owner_api.upload(f"seller/products/{product['id']}/images", {}), 422, "invalid", "image")
    assert not ProductImage.objects.exists()


@pytest.mark.django_db
def test_seller_lists_products_by_status_and_sku(merchant, owner_api):
    live = factories.published_product(merchant, title="Live one")
    owner_api.post("seller/products", new_product(merchant, category=None, title="Draft one"))

    listed = owner_api.get("seller/products", {"organization": merchant.pk}).json()
    assert {p["title"] for p in listed["items"]} == {"Live one", "Draft one"}
    drafts = owner_api.get("seller/products", {"organization": merchant.pk, "status": "draft"}).json()
    assert [p["title"] for p in drafts["items"]] == ["Draft one"]
    by_sku = owner_api.get("seller/products", {"organization": merchant.pk, "q": "APL-10"}).json()
    assert [p["title"] for p in by_sku["items"]] == ["Draft one"]
    assert live.pk in {p["id"] for p in listed["items"]}


@pytest.mark.django_db
def test_stock_is_listed_and_set(merchant, owner_api, api):
    product = factories.published_product(merchant, title="Pears", stock=3, variants=2)
    first, second = product.variants.order_by("id")

    rows = owner_api.get("seller/stock", {"organization": merchant.pk}).json()["items"]
    assert [(r["variant_id"], r["stock"], r["product_title"]) for r in rows] == [
        (first.pk, 3, "Pears"),
        (second.pk, 3, "Pears"),
    ]

    assert owner_api.patch(f"seller/stock/{first.pk}", {"stock": 0}).json()["stock"] == 0
    response = owner_api.patch(f"seller/stock/{second.pk}", {"stock": 0})
    assert response.status_code == 200, response.content

    assert api.get(f"products/{product.pk}").json()["in_stock"] is False
    low = owner_api.get("seller/stock", {"organization": merchant.pk, "low": "true"}).json()["items"]
    assert len(low) == 2
    event = Event.objects.filter(subject_type="catalog.variant", subject_id=second.pk).get()
    assert (event.old, event.new, event.actor_id) == ("3", "0", merchant.owner.pk)


@pytest.mark.django_db
def test_negative_or_huge_stock_is_refused(merchant, owner_api):
    variant = factories.published_product(merchant, stock=4).variants.get()

    assert_error(owner_api.patch(f"seller/stock/{variant.pk}", {"stock": -1}), 422, "invalid", "stock")
    assert_error(owner_api.patch(f"seller/stock/{variant.pk}", {"stock": 2**40}), 422, "invalid", "stock")
    assert_error(owner_api.patch(f"seller/stock/{variant.pk}", {"stock": "many"}), 422, "invalid", "stock")
    variant.refresh_from_db()
    assert variant.stock == 4


# --- tenancy and roles ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_tenants_catalog_answers_404(merchant, rival, api_as):
    theirs = factories.published_product(rival, title="Theirs")
    variant = theirs.variants.get()
    me = api_as(merchant.owner)

    assert_error(me.get(f"seller/products/{theirs.pk}"), 404, "not_found")
    assert_error(me.patch(f"seller/products/{theirs.pk}", {"title": "Mine"}), 404)
    assert_error(me.post(f"seller/products/{theirs.pk}/unpublish"), 404)
    assert_error(me.post(f"seller/products/{theirs.pk}/variants", {"sku": "X", "price": "1"}), 404)
    assert_error(me.delete(f"seller/products/{theirs.pk}/variants/{variant.pk}"), 404)
    assert_error(me.patch(f"seller/stock/{variant.pk}", {"stock": 0}), 404)
    assert_error(me.get("seller/products", {"organization": rival.pk}), 404)
    assert_error(me.get("seller/stock", {"organization": rival.pk}), 404)
    assert_error(me.post("seller/products", new_product(rival, category=None)), 404)
    theirs.refresh_from_db()
    variant.refresh_from_db()
    assert (theirs.title, theirs.status, variant.stock) == ("Theirs", "published", 10)
    assert rival.products.count() == 1


@pytest.mark.django_db
def test_fulfilment_staff_cannot_touch_the_catalog(merchant, api_as):
    packer = api_as(factories.member(merchant, "fulfilment"))
    product = factories.published_product(merchant)
    variant = product.variants.get()

    assert_error(packer.post("seller/products", new_product(merchant, category=None)), 403, "permission_denied")
    assert_error(packer.get("seller/products", {"organization": merchant.pk}), 403)
    assert_error(packer.patch(f"seller/products/{product.pk}", {"title": "Packed"}), 403)
    assert_error(packer.post(f"seller/products/{product.pk}/unpublish"), 403)
    assert_error(packer.patch(f"seller/stock/{variant.pk}", {"stock": 0}), 403)
    assert merchant.products.count() == 1
    variant.refresh_from_db()
    assert variant.stock == 10


@pytest.mark.django_db
def test_catalog_staff_can(merchant, api_as):
    clerk = api_as(factories.member(merchant, "catalog"))

    assert clerk.post("seller/products", new_product(merchant, category=None)).status_code == 201


@pytest.mark.django_db
def test_seller_endpoints_need_sign_in(api, merchant):
    assert_error(api.get("seller/products", {"organization": merchant.pk}), 401, "not_authenticated")
    assert_error(api.post("seller/products", new_product(merchant)), 401, "not_authenticated")
