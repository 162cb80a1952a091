"""Store decoration: sections, order, colours, preview for members only, publishing, sanitising, query budget."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests import factories
from tradeloop.core.errors import NotFound, PermissionDenied, ValidationFailed
from tradeloop.storefront import design as services
from tradeloop.storefront.models import StoreDesign

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>Big &lt;img src=y onerror=alert(2)&gt; sale'


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(name="banner.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (1200, 400), (200, 60, 20)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def design_url(name, org):
    return reverse(f"store_design:{name}", args=[org.pk])


def store_url(org, preview=False):
    return reverse("storefront:store", args=[org.slug]) + ("?preview=1" if preview else "")


def build(merchant, *kinds):
    for kind in kinds:
        services.add_section(actor=merchant.owner, seller=merchant, kind=kind)


def test_sections_are_added_ordered_and_removed(merchant):
    build(merchant, "banner", "notice", "coupon_strip")
    services.move_section(actor=merchant.owner, seller=merchant, index=2, direction="up")
    services.move_section(actor=merchant.owner, seller=merchant, index=0, direction="up")  # already first: no change
    services.remove_section(actor=merchant.owner, seller=merchant, index=2)
    design = StoreDesign.objects.get(seller=merchant)
    assert [s["type"] for s in design.draft_sections] == ["banner", "coupon_strip"]
    assert design.published_sections == []  # nothing reaches buyers before publishing
    with pytest.raises(NotFound):
        services.move_section(actor=merchant.owner, seller=merchant, index=9, direction="down")
    with pytest.raises(ValidationFailed):
        services.add_section(actor=merchant.owner, seller=merchant, kind="marquee")


def test_only_org_managers_decorate(merchant):
    with pytest.raises(PermissionDenied):
        services.add_section(actor=factories.member(merchant, "catalog"), seller=merchant, kind="notice")
    with pytest.raises(NotFound):
        services.add_section(actor=factories.UserFactory(), seller=merchant, kind="notice")


def test_text_is_sanitised(merchant):
    build(merchant, "banner")
    services.update_section(actor=merchant.owner, seller=merchant, index=0, data={"heading": XSS, "text": "a & b"})
    section = StoreDesign.objects.get(seller=merchant).draft_sections[0]
    assert section["heading"] == "Big  sale"
    assert section["text"] == "a & b"


def test_script_and_onerror_never_reach_the_page(client, merchant):
    build(merchant, "banner", "notice")
    services.update_section(actor=merchant.owner, seller=merchant, index=0, data={"heading": XSS, "text": XSS})
    services.update_section(actor=merchant.owner, seller=merchant, index=1, data={"text": XSS, "tone": "warning"})
    services.publish(actor=merchant.owner, seller=merchant)
    page = client.get(store_url(merchant)).content.decode()
    assert "Big  sale" in page
    assert "<script>alert" not in page and "onerror" not in page


def test_featured_products_must_be_own_published_products(merchant, product):
    build(merchant, "featured_products")
    theirs = factories.published_product(factories.seller_with_owner())
    with pytest.raises(ValidationFailed):
        services.update_section(
            actor=merchant.owner, seller=merchant, index=0, data={"heading": "Top", "product_ids": [theirs.pk]}
        )
    services.update_section(
        actor=merchant.owner, seller=merchant, index=0, data={"heading": "Top", "product_ids": [product.pk]}
    )


def test_banner_image_is_verified_with_pillow(merchant):
    build(merchant, "banner")
    fake = SimpleUploadedFile("x.png", b"<?php echo 1; ?>", content_type="image/png")
    with pytest.raises(ValidationFailed) as exc:
        services.update_section(actor=merchant.owner, seller=merchant, index=0, data={"heading": "Hi"}, upload=fake)
    assert exc.value.field == "image"
    services.update_section(actor=merchant.owner, seller=merchant, index=0, data={"heading": "Hi"}, upload=png())
    assert StoreDesign.objects.get(seller=merchant).draft_sections[0]["image"].startswith(f"stores/{merchant.pk}/")


def test_colours_are_validated_and_low_contrast_warns(merchant):
    with pytest.raises(ValidationFailed):
        services.set_colours(actor=merchant.owner, seller=merchant, primary="red", accent="#0f766e")
    with pytest.raises(ValidationFailed):
        services.set_colours(actor=merchant.owner, seller=merchant, primary="#123", accent="#0f766e")
    dark = services.set_colours(actor=merchant.owner, seller=merchant, primary="#1D4ED8", accent="#0f766e")
    assert dark.warnings == [] and dark.design.primary_colour == "#1d4ed8"
    light = services.set_colours(actor=merchant.owner, seller=merchant, primary="#fde047", accent="#0f766e")
    assert len(light.warnings) == 1 and "4.5:1" in light.warnings[0]
    assert round(services.contrast_with_white("#767676"), 1) == 4.5


def test_preview_is_for_members_only_and_publish_makes_it_public(client, merchant):
    build(merchant, "notice")
    services.update_section(actor=merchant.owner, seller=merchant, index=0, data={"text": "Closed for Spring Festival"})
    services.set_colours(actor=merchant.owner, seller=merchant, primary="#1d4ed8", accent="#0f766e")
    assert "Spring Festival" not in client.get(store_url(merchant)).content.decode()
    client.force_login(factories.UserFactory())
    assert "Spring Festival" not in client.get(store_url(merchant, preview=True)).content.decode()
    client.force_login(factories.member(merchant, "support"))
    preview = client.get(store_url(merchant, preview=True)).content.decode()
    assert "Spring Festival" in preview and "previewing the unpublished draft" in preview
    assert "--color-brand: #1d4ed8" in preview
    services.publish(actor=merchant.owner, seller=merchant)
    client.logout()
    public = client.get(store_url(merchant)).content.decode()
    assert "Spring Festival" in public and "--color-brand: #1d4ed8" in public and "previewing" not in public


def test_discard_goes_back_to_the_published_design(merchant):
    build(merchant, "notice")
    services.update_section(actor=merchant.owner, seller=merchant, index=0, data={"text": "Old"})
    services.publish(actor=merchant.owner, seller=merchant)
    build(merchant, "banner")
    services.discard_draft(actor=merchant.owner, seller=merchant)
    assert [s["type"] for s in StoreDesign.objects.get(seller=merchant).draft_sections] == ["notice"]


def test_console_page_edits_the_draft(client, merchant, product):
    client.force_login(merchant.owner)
    assert client.get(design_url("edit", merchant)).status_code == 200
    client.post(design_url("add", merchant), {"type": "featured_products"})
    client.post(design_url("add", merchant), {"type": "banner"})
    response = client.post(
        design_url("section", merchant), {"index": "0", "s0-heading": "Our picks", "s0-product_ids": [str(product.pk)]}
    )
    assert response.status_code == 302
    response = client.post(design_url("section", merchant), {"index": "1", "s1-heading": "", "s1-text": ""})
    assert response.status_code == 400 and "needs a heading or an image" in response.content.decode()
    response = client.post(
        design_url("section", merchant), {"index": "1", "s1-heading": "Spring", "s1-image": png()}, follow=True
    )
    assert response.status_code == 200
    client.post(design_url("move", merchant), {"index": "1", "direction": "up"})
    response = client.post(design_url("colours", merchant), {"primary_colour": "#fde047", "accent_colour": "#0f766e"})
    assert response.status_code == 302
    assert "4.5:1" in client.get(design_url("edit", merchant)).content.decode()  # the warning message
    assert (
        client.post(design_url("colours", merchant), {"primary_colour": "x", "accent_colour": "#0f766e"}).status_code
        == 400
    )
    client.post(design_url("publish", merchant))
    page = client.get(store_url(merchant)).content.decode()
    assert page.index("Spring") < page.index("Our picks") and product.title in page
    assert client.post(design_url("move", merchant), {"index": "7", "direction": "up"}).status_code == 404


def test_console_needs_org_manage(client, merchant):
    client.force_login(factories.member(merchant, "catalog"))
    assert client.get(design_url("edit", merchant)).status_code == 403
    client.force_login(factories.seller_with_owner().owner)
    assert client.get(design_url("edit", merchant)).status_code == 404


def test_store_page_with_a_design_has_a_query_budget(client, merchant, django_assert_max_num_queries):
    products = [factories.published_product(merchant, title=f"Tea {i}") for i in range(12)]
    category = factories.CategoryFactory()
    build(merchant, "banner", "featured_products", "category_grid", "coupon_strip", "notice")
    owner = merchant.owner
    services.update_section(actor=owner, seller=merchant, index=0, data={"heading": "Hello"})
    services.update_section(actor=owner, seller=merchant, index=1, data={"product_ids": [p.pk for p in products]})
    services.update_section(actor=owner, seller=merchant, index=2, data={"category_ids": [category.pk]})
    services.update_section(actor=owner, seller=merchant, index=4, data={"text": "Ships in 24 h"})
    services.publish(actor=owner, seller=merchant)
    factories.promotion(merchant, code="TEA5", kind="fixed", value=5)
    factories.promotion(merchant, name="Tea 10%", value=10)
    client.get(store_url(merchant))
    with django_assert_max_num_queries(8):
        page = client.get(store_url(merchant)).content.decode()
    assert "TEA5" in page and "Tea 10%" not in page or "10% off" in page
