from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests import factories
from tradeloop.catalog import selectors, services
from tradeloop.catalog.models import Product
from tradeloop.catalog.services import VariantInput
from tradeloop.core.errors import Conflict, IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from tradeloop.core.states import history


def png(name="apple.png", size=(800, 600)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_description_html_is_sanitised(merchant):
    product = services.create_product(
        actor=merchant.owner,
        seller=merchant,
        title="Pears",
        description='<p onclick="x()">Sweet<script>alert(1)</script> <b>pears</b></p>',
    )
    assert product.description == "<p>Sweet <b>pears</b></p>"


@pytest.mark.django_db
def test_a_product_without_variants_cannot_be_published(merchant):
    product = services.create_product(actor=merchant.owner, seller=merchant, title="Empty")
    with pytest.raises(ValidationFailed) as error:
        services.publish(actor=merchant.owner, product=product)
    assert error.value.field == "variants"


@pytest.mark.django_db
def test_publishing_is_recorded_and_shows_on_the_storefront(merchant):
    product = factories.published_product(seller=merchant)
    assert [e.new for e in history(product)] == ["published", "draft"]
    assert selectors.storefront_products(filters=selectors.ProductFilters()).items == [product]
    services.unpublish(actor=merchant.owner, product=product)
    assert selectors.storefront_products(filters=selectors.ProductFilters()).items == []
    with pytest.raises(IllegalTransition):
        services.unpublish(actor=merchant.owner, product=product)


@pytest.mark.django_db
def test_list_summary_follows_the_variants(merchant):
    product = factories.published_product(seller=merchant, price="20", variants=2, stock=0)
    assert (product.price_from, product.in_stock) == (20, False)
    services.save_variant(
        actor=merchant.owner,
        product=product,
        data=VariantInput(sku="CHEAP", price="9.99", compare_at_price="15", stock=4),
    )
    product.refresh_from_db()
    assert (str(product.price_from), str(product.compare_at_from), product.in_stock) == ("9.9900", "15.0000", True)
    assert product.is_discounted


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        (VariantInput(sku="A", price="-1"), "price"),
        (VariantInput(sku="A", price="abc"), "price"),
        (VariantInput(sku="", price="1"), "sku"),
        (VariantInput(sku="A", price="10", compare_at_price="5"), "compare_at_price"),
        (VariantInput(sku="A", price="1", stock=-3), "stock"),
        (VariantInput(sku="A", price="1", currency="XYZ"), "currency"),
    ],
)
def test_bad_variants_are_refused_and_nothing_is_written(merchant, data, field):
    with pytest.raises(ValidationFailed) as error:
        services.create_product(actor=merchant.owner, seller=merchant, title="Bad", variants=[data])
    assert error.value.field == field
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_duplicate_sku_in_a_product_is_a_conflict(product, merchant):
    with pytest.raises(Conflict):
        services.save_variant(actor=merchant.owner, product=product, data=VariantInput(sku="SKU-0", price="1"))


@pytest.mark.django_db
def test_images_get_a_thumbnail_and_become_the_cover(product, merchant):
    services.add_image(actor=merchant.owner, product=product, upload=png(), alt="Red apple")
    product.refresh_from_db()
    image = product.images.get()
    assert image.thumbnail.width <= 480 and image.thumbnail.height <= 480
    assert product.cover == image.thumbnail.name


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused(product, merchant):
    fake = SimpleUploadedFile("evil.png", b"<?php echo 1; ?>", content_type="image/png")
    with pytest.raises(ValidationFailed) as error:
        services.add_image(actor=merchant.owner, product=product, upload=fake)
    assert error.value.field == "image"
    assert not product.images.exists()


@pytest.mark.django_db
def test_roles_and_tenants_are_enforced(product, merchant):
    packer = factories.member(merchant, "fulfilment")
    with pytest.raises(PermissionDenied):
        services.update_product(actor=packer, product=product, title="Hacked")
    stranger = factories.seller_with_owner()
    with pytest.raises(NotFound):
        services.seller_product(actor=stranger.owner, product_id=product.pk)
    catalog_staff = factories.member(merchant, "catalog")
    services.update_product(actor=catalog_staff, product=product, title="Better apples")
    product.refresh_from_db()
    assert product.title == "Better apples"


@pytest.mark.django_db
def test_storefront_filters(merchant):
    fruit = factories.CategoryFactory(slug="fruit", name="Fruit")
    apples = factories.CategoryFactory(slug="apples", name="Apples", parent=fruit)
    cheap = factories.published_product(seller=merchant, title="Cheap apples", price="5", category=apples)
    dear = factories.published_product(seller=merchant, title="Dear mangoes", price="50", category=fruit, stock=0)

    def ids(**kw):
        return [p.pk for p in selectors.storefront_products(filters=selectors.ProductFilters(**kw)).items]

    assert ids(category=fruit) == [dear.pk, cheap.pk]
    assert ids(category=apples) == [cheap.pk]
    assert ids(q="mango") == [dear.pk]
    assert ids(min_price=10) == [dear.pk]
    assert ids(in_stock=True) == [cheap.pk]
    assert ids(sort="price_asc") == [cheap.pk, dear.pk]
    with pytest.raises(ValidationFailed):
        ids(sort="random")
