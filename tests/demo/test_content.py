"""The demo catalog speaks both languages: a shopper reading Simplified Chinese sees no English titles."""

import pytest
from django.urls import reverse

from tradeloop.catalog.models import Product, Variant
from tradeloop.demo import content, loader

OFFERS = [offer for seller in content.SELLERS for offer in seller.offers]


@pytest.mark.parametrize("offer", OFFERS, ids=lambda offer: offer.title)
def test_every_offer_has_its_chinese_content(offer):
    assert offer.title_zh and offer.description_zh.startswith("<p>")
    assert set(offer.attributes_zh) == {content.ATTRIBUTE_NAMES_ZH[name] for name in offer.attributes}
    for _sku, name, *_rest in offer.variants:
        assert not name or name in content.VARIANT_NAMES_ZH, name


@pytest.mark.django_db
def test_the_loaded_demo_shows_chinese_titles_on_chinese_pages(client):
    loader.load()
    assert not Product.objects.filter(title_zh="").exists()
    assert not Variant.objects.exclude(name="").filter(name_zh="").exists()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(reverse("storefront:products"), {"q": "苹果"}).content.decode()
    assert "烟台红富士苹果" in page and "Yantai Fuji apples" not in page


@pytest.mark.django_db
def test_loading_again_fills_in_chinese_content_loaded_before_it_existed():
    loader.load()
    apples = Product.objects.get(title="Yantai Fuji apples")
    Product.objects.filter(pk=apples.pk).update(title_zh="", description_zh="", attributes_zh={})
    loader.load()
    apples.refresh_from_db()
    assert (apples.title_zh, apples.attributes_zh["产地"]) == ("烟台红富士苹果", "山东烟台")
