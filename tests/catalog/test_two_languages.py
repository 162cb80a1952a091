"""Product content in English and Simplified Chinese: each language falls back to the other, every interface
writes and reads both, and the storefront shows the reader's language."""

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import translation

from tests import factories
from tradeloop.catalog import services as catalog
from tradeloop.catalog.imports import import_catalog
from tradeloop.catalog.models import Product, Variant
from tradeloop.core.errors import ValidationFailed

migration = importlib.import_module("tradeloop.catalog.migrations.0003_product_content_in_two_languages")


def bilingual(seller, **fields) -> Product:
    product = catalog.create_product(
        actor=seller.owner,
        seller=seller,
        title=fields.pop("title", "Yantai apples"),
        title_zh=fields.pop("title_zh", "烟台苹果"),
        description=fields.pop("description", "<p>Crisp and sweet.</p>"),
        description_zh=fields.pop("description_zh", "<p>脆甜多汁。</p>"),
        attributes=fields.pop("attributes", {"Origin": "Yantai"}),
        attributes_zh=fields.pop("attributes_zh", {"产地": "烟台"}),
        variants=[catalog.VariantInput(sku="AP-1", name="1 kg", name_zh="1 公斤", price="18.80", stock=5)],
        **fields,
    )
    return catalog.publish(actor=seller.owner, product=product)


def in_chinese(client):
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    return client


# --- the one helper ----------------------------------------------------------------------------------------


def test_each_language_falls_back_to_the_other():
    english_only = Product(title="Apples", description="<p>Sweet</p>", attributes={"Origin": "Yantai"})
    chinese_only = Product(title_zh="苹果", description_zh="<p>甜</p>", attributes_zh={"产地": "烟台"})
    with translation.override("zh-hans"):
        assert english_only.display_title == "Apples"
        assert english_only.display_attributes == {"Origin": "Yantai"}
        assert chinese_only.display_title == "苹果"
        assert str(chinese_only) == "苹果"
    with translation.override("en"):
        assert chinese_only.display_title == "苹果"
        assert chinese_only.display_description == "<p>甜</p>"
        assert english_only.display_title == "Apples"
    both = Product(title="Apples", title_zh="苹果")
    assert both.localized("title", "zh-hans") == "苹果"
    assert both.localized("title", "en") == "Apples"
    with pytest.raises(ValueError):
        both.localized("slug")


def test_variant_names_fall_back_too():
    with translation.override("zh-hans"):
        assert Variant(name="1 kg", name_zh="1 公斤").display_name == "1 公斤"
        assert Variant(name="1 kg").display_name == "1 kg"
    with translation.override("en"):
        assert Variant(name_zh="1 公斤").display_name == "1 公斤"


# --- services ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_product_may_have_only_a_chinese_title_but_needs_one(merchant):
    product = catalog.create_product(actor=merchant.owner, seller=merchant, title_zh="烟台苹果")
    assert (product.title, product.title_zh, product.slug) == ("", "烟台苹果", "烟台苹果")
    with pytest.raises(ValidationFailed) as failed:
        catalog.create_product(actor=merchant.owner, seller=merchant, title=" ", title_zh="")
    assert failed.value.field == "title"
    catalog.update_product(actor=merchant.owner, product=product, title="Yantai apples")
    assert product.slug == "yantai-apples"
    catalog.update_product(actor=merchant.owner, product=product, title_zh="")
    with pytest.raises(ValidationFailed):
        catalog.update_product(actor=merchant.owner, product=product, title="")
    product.refresh_from_db()
    assert product.title == "Yantai apples"


@pytest.mark.django_db
def test_the_database_refuses_a_product_without_any_title(merchant):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(seller=merchant, title="", title_zh="", slug="x")


@pytest.mark.django_db
def test_existing_titles_become_the_content_of_their_language(merchant):
    chinese = Product.objects.create(
        seller=merchant, title="王记烟台苹果 5kg", slug="a", description="<p>脆甜</p>", attributes={"产地": "烟台"}
    )
    english = Product.objects.create(
        seller=merchant, title="HS1262 24-bit ADC (三体)", slug="b", description="<p>x</p>"
    )
    Variant.objects.create(product=chinese, sku="A", name="五公斤装", price=1)
    Variant.objects.create(product=english, sku="B", name="Box of 50", price=1)

    migration.content_to_its_language(django_apps, None)

    chinese.refresh_from_db()
    english.refresh_from_db()
    assert (chinese.title, chinese.title_zh, chinese.description_zh, chinese.attributes_zh) == (
        "",
        "王记烟台苹果 5kg",
        "<p>脆甜</p>",
        {"产地": "烟台"},
    )
    assert (chinese.description, chinese.attributes) == ("", {})
    assert (english.title, english.title_zh, english.description) == ("HS1262 24-bit ADC (三体)", "", "<p>x</p>")
    assert list(Variant.objects.order_by("sku").values_list("name", "name_zh")) == [
        ("", "五公斤装"),
        ("Box of 50", ""),
    ]


# --- storefront --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_chinese_product_page_shows_the_chinese_content(client, merchant):
    product = bilingual(merchant)
    page = in_chinese(client).get(reverse("storefront:product", args=[product.pk, product.slug])).content.decode()
    assert '<h1 id="product-title">烟台苹果</h1>' in page
    assert "<p>脆甜多汁。</p>" in page and "产地" in page
    assert "Yantai apples" not in page and "Crisp and sweet" not in page and "Origin" not in page


@pytest.mark.django_db
def test_the_english_page_shows_english_and_a_missing_language_falls_back(client, merchant):
    product = bilingual(merchant)
    page = client.get(reverse("storefront:product", args=[product.pk, product.slug])).content.decode()
    assert '<h1 id="product-title">Yantai apples</h1>' in page and "Origin" in page and "烟台苹果" not in page
    only_english = factories.published_product(merchant, title="Dandong strawberries")
    page = in_chinese(client).get(reverse("storefront:product", args=[only_english.pk, only_english.slug]))
    assert '<h1 id="product-title">Dandong strawberries</h1>' in page.content.decode()


@pytest.mark.django_db
def test_chinese_list_pages_show_chinese_titles_in_the_same_query_budget(
    client, merchant, django_assert_max_num_queries
):
    for i in range(30):
        bilingual(merchant, title=f"Apples {i}", title_zh=f"苹果{i}号")
    in_chinese(client).get(reverse("storefront:products"))
    with django_assert_max_num_queries(4):  # as tests/storefront/test_pages.py's English list
        page = client.get(reverse("storefront:products")).content.decode()
    assert "苹果29号" in page and "Apples 29" not in page
    store = client.get(reverse("storefront:store", args=[merchant.slug])).content.decode()
    assert "苹果29号" in store and "Apples 29" not in store


@pytest.mark.django_db
def test_search_matches_either_languages_title(client, merchant):
    bilingual(merchant)
    factories.published_product(merchant, title="Pears")
    for word in ("苹果", "yantai"):
        page = client.get(reverse("storefront:products"), {"q": word}).content.decode()
        assert "Yantai apples" in page and "Pears" not in page, word


# --- CSV import --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_import_reads_the_optional_chinese_columns(merchant):
    source = io.StringIO(
        "handle,title,title_zh,description_zh,attributes_zh,sku,price,variant_name,variant_name_zh\n"
        "apples,Yantai apples,烟台苹果,<p>脆甜</p>,产地=烟台; 储存=阴凉,AP-1,9.90,1 kg,1 公斤\n"
        "pears,,库尔勒香梨,,,PR-1,8.80,,\n"
        "nothing,,,,,NO-1,1.00,,\n"
    )
    result = import_catalog(actor=merchant.owner, seller=merchant, source=source)
    assert [(e.row, e.field) for e in result.errors] == [(4, "title")]
    apples = Product.objects.get(title="Yantai apples")
    assert (apples.title_zh, apples.description_zh) == ("烟台苹果", "<p>脆甜</p>")
    assert apples.attributes_zh == {"产地": "烟台", "储存": "阴凉"}
    assert apples.variants.get().name_zh == "1 公斤"
    pears = Product.objects.get(title_zh="库尔勒香梨")
    assert (pears.title, pears.slug) == ("", "库尔勒香梨")

    again = import_catalog(
        actor=merchant.owner, seller=merchant, source=io.StringIO("sku,price,title_zh\nAP-1,9.90,红富士苹果\n")
    )
    assert again.ok and again.products_updated == 1
    apples.refresh_from_db()
    assert (apples.title, apples.title_zh) == ("Yantai apples", "红富士苹果")
