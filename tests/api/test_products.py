from decimal import Decimal

import pytest

from tests import factories
from tests.api.conftest import assert_error, png
from tradeloop.catalog import services as catalog


@pytest.fixture
def shelf(merchant, rival):
    """A small catalogue: fruit (with a subcategory) and tea from two sellers, one product out of stock."""
    food = factories.CategoryFactory(slug="food", name="Food")
    fruit = factories.CategoryFactory(slug="fruit", name="Fruit", parent=food)
    tea = factories.CategoryFactory(slug="tea", name="Tea")
    return {
        "apples": factories.published_product(merchant, title="Fuji apples", price="12.50", category=fruit),
        "pears": factories.published_product(merchant, title="Snow pears", price="30", category=fruit, stock=0),
        "longjing": factories.published_product(rival, title="Longjing green tea", price="88", category=tea),
        "bike": factories.published_product(rival, title="Old bicycle", price="200", kind="listing"),
        "food": food,
    }


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


@pytest.mark.django_db
def test_product_cards_carry_money_as_strings_and_the_seller(api, shelf, merchant):
    [card] = api.get("products", {"q": "fuji"}).json()["items"]

    assert card["price_from"] == "12.50"
    assert card["currency"] == "CNY"
    assert card["compare_at_from"] is None
    assert card["seller"]["slug"] == merchant.slug
    assert card["category"]["slug"] == "fruit"
    assert card["in_stock"] is True


@pytest.mark.django_db
def test_filters_narrow_the_list(api, shelf, rival):
    assert set(titles(api.get("products", {"category": "food"}))) == {"Fuji apples", "Snow pears"}
    assert titles(api.get("products", {"kind": "listing"})) == ["Old bicycle"]
    assert set(titles(api.get("products", {"seller": rival.slug}))) == {"Longjing green tea", "Old bicycle"}
    assert set(titles(api.get("products", {"min_price": "20", "max_price": "100"}))) == {
        "Snow pears",
        "Longjing green tea",
    }
    assert "Snow pears" not in titles(api.get("products", {"in_stock": "true"}))
    assert titles(api.get("products", {"q": "green tea"})) == ["Longjing green tea"]


@pytest.mark.django_db
def test_sorting_by_price(api, shelf):
    assert titles(api.get("products", {"sort": "price_asc"})) == [
        "Fuji apples",
        "Snow pears",
        "Longjing green tea",
        "Old bicycle",
    ]
    assert titles(api.get("products", {"sort": "price_desc"}))[0] == "Old bicycle"


@pytest.mark.django_db
def test_bad_filters_are_4xx_with_the_error_body(api, shelf):
    assert_error(api.get("products", {"category": "no-such"}), 400, "invalid", "category")
    assert_error(api.get("products", {"seller": "no-such"}), 400, "invalid", "seller")
    assert_error(api.get("products", {"kind": "spaceship"}), 422, "invalid", "kind")
    assert_error(api.get("products", {"sort": "cheapest"}), 422, "invalid", "sort")
    assert_error(api.get("products", {"min_price": "lots"}), 422, "invalid", "min_price")
    assert_error(api.get("products", {"limit": 1000}), 422, "invalid", "limit")
    assert_error(api.get("products", {"limit": 0}), 422, "invalid", "limit")
    assert_error(api.get("products", {"cursor": "%%%not-a-cursor"}), 400, "invalid", "cursor")
    assert_error(api.get("products", {"cursor": "WyJ4Il0"}), 400, "invalid", "cursor")  # ["x"]: wrong shape


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["new", "price_asc", "price_desc", "rating"])
def test_following_next_cursor_visits_every_product_exactly_once(api, merchant, clock, sort):
    made = set()
    for i in range(27):
        # Equal prices and equal timestamps on purpose: ties are where keyset paging goes wrong.
        made.add(factories.published_product(merchant, title=f"Item {i}", price=str(10 + i % 4)).pk)
        if i % 5 == 0:
            clock.advance(seconds=1)

    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 5, "sort": sort} | ({"cursor": cursor} if cursor else {})
        page = api.get("products", params).json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert len(seen) == len(made) and set(seen) == made
    assert pages == 6


@pytest.mark.django_db
def test_product_detail_has_variants_images_attributes_seller_and_category(api, merchant, media, clock):
    product = factories.published_product(merchant, title="Gift box", price="99.9", variants=2)
    catalog.update_product(actor=merchant.owner, product=product, attributes={"origin": "Yantai"})
    catalog.save_variant(
        actor=merchant.owner,
        product=product,
        variant_id=product.variants.get(sku="SKU-0").pk,
        data=catalog.VariantInput(sku="SKU-0", price="99.9", compare_at_price="120", stock=3),
    )
    catalog.add_image(actor=merchant.owner, product=product, upload=png("box.png"), alt="The box")

    body = api.get(f"products/{product.pk}").json()

    assert body["title"] == "Gift box"
    assert body["attributes"] == {"origin": "Yantai"}
    assert body["seller"]["id"] == merchant.pk
    assert [(v["sku"], v["price"], v["compare_at_price"]) for v in body["variants"]] == [
        ("SKU-0", "99.90", "120.00"),
        ("SKU-1", "100.90", None),
    ]
    [image] = body["images"]
    assert image["url"].startswith("http://testserver/media/products/")
    assert image["thumbnail_url"].endswith(".jpg")
    assert image["alt"] == "The box"
    assert body["cover_url"] == image["thumbnail_url"]


@pytest.mark.django_db
def test_unpublished_and_missing_products_are_not_found(api, merchant):
    draft = catalog.create_product(
        actor=merchant.owner, seller=merchant, title="Secret", variants=[catalog.VariantInput(sku="S", price="1")]
    )
    gone = factories.published_product(merchant, title="Gone")
    catalog.unpublish(actor=merchant.owner, product=gone)

    assert_error(api.get(f"products/{draft.pk}"), 404, "not_found")
    assert_error(api.get(f"products/{gone.pk}"), 404, "not_found")
    assert_error(api.get("products/987654321"), 404, "not_found")
    assert titles(api.get("products")) == []


@pytest.mark.django_db
def test_categories_come_as_a_flat_tree(api, shelf):
    body = api.get("categories").json()

    by_slug = {c["slug"]: c for c in body}
    assert [c["slug"] for c in body] == ["food", "fruit", "tea"]
    assert by_slug["fruit"]["parent_id"] == by_slug["food"]["id"]
    assert (by_slug["food"]["depth"], by_slug["fruit"]["depth"]) == (0, 1)
    assert by_slug["fruit"]["path"] == "food/fruit/"


@pytest.mark.django_db
def test_discounted_card_shows_the_original_price(api, merchant):
    product = factories.published_product(merchant, title="Sale")
    variant = product.variants.get()
    catalog.save_variant(
        actor=merchant.owner,
        product=product,
        variant_id=variant.pk,
        data=catalog.VariantInput(sku=variant.sku, price=Decimal("8"), compare_at_price=Decimal("12.5"), stock=1),
    )

    [card] = api.get("products").json()["items"]

    assert (card["price_from"], card["compare_at_from"]) == ("8.00", "12.50")
