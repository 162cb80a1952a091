"""The one search box, on the fixed corpus of tests/search/conftest.py: the same expected results on SQLite and on
PostgreSQL (run this file with DATABASE_URL for the second)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from tradeloop.catalog.models import Product, Variant
from tradeloop.feedback.models import DemandSearch
from tradeloop.search import engine, indexing, selectors
from tradeloop.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def found(**params) -> list[str]:
    result = engine.search(engine.parse({"limit": "100", **params}))
    return [h.title or h.title_zh for h in result.hits]


def run(**params) -> engine.SearchResult:
    return engine.search(engine.parse(params))


def test_english_stems_chinese_segments_and_typos_are_corrected(corpus):
    # "strawberry" finds the plural, and the titled match comes first
    assert found(q="strawberry")[:2] == ["Fresh strawberries", "Strawberry jam"]
    assert "Strawberry picking ticket" in found(q="strawberries")
    # 苹果 finds 红富士苹果 (segmented from one run of characters) and a product whose only Chinese text holds it
    apples = found(q="苹果")
    assert apples[0] == "红富士苹果"
    assert "Crisp orchard fruit box" in apples  # only its Chinese description says 苹果
    assert "Apple juice" in apples  # its Chinese title 苹果汁
    # a Chinese-only query finds an English-titled product by its Chinese title
    assert found(q="无线耳机") == ["Wireless headphones"]
    assert found(q="耳机") == ["Wireless headphones"]
    # misspellings are corrected against the vocabulary, and say so
    typo = run(q="strawbery")
    assert typo.corrected == "strawberry"
    assert [h.title for h in typo.hits][:2] == ["Fresh strawberries", "Strawberry jam"]
    assert run(q="choclate").corrected == "chocolate"
    assert found(q="choclate") == ["Dark chocolate bar", "Milk chocolate truffles"]
    assert run(q="strawberry").corrected is None
    # both languages in one query, a word in the description, the seller's and the category's names
    assert found(q="fresh 草莓") == ["Fresh strawberries"]
    assert found(q="longjing") == ["Green tea"]
    assert "Mango" in found(q="水果")  # the category's Chinese name
    assert len(found(q="green valley")) == 33  # the seller's name is on everything
    # nothing at all: no correction invents one
    assert found(q="zzqx") == []


def test_trust_lifts_well_rated_goods_and_lowers_below_standard_sellers(corpus):
    from tradeloop.search.ranking import trust_factor

    good = SearchDocument(rating=Decimal("4.9"), rating_count=50, seller_level="top", seller_trust=1.0)
    poor = SearchDocument(rating=Decimal("2.0"), rating_count=50, seller_level="below", seller_trust=1.0)
    unrated = SearchDocument(rating=Decimal(0), rating_count=0, seller_level="", seller_trust=1.0)
    assert trust_factor(good) > trust_factor(unrated) == 1.0 > trust_factor(poor) >= 0.5
    # two teas match "tea" in their titles alike; the better-rated Green tea (4.9) ranks above Oolong (4.1)
    assert found(q="tea")[:2] == ["Green tea", "Oolong tea"]
    SearchDocument.objects.filter(title="Green tea").update(seller_level="below")
    order = found(q="tea")
    assert order[0] == "Oolong tea" and order.index("Green tea") > 0


def test_facets_count_the_matches(corpus):
    result = run(q="strawberry")
    facets = {name: {f.value: f.count for f in values} for name, values in result.facets.items()}
    assert result.total == 4
    assert facets["kind"] == {"physical": 2, "deal": 1, "place": 1}
    assert facets["category"] == {"food": 2, "food-deals": 1}
    assert facets["price"] == {"-50": 2, "50-100": 1}
    assert facets["rating"] == {"4": 4, "3": 4}
    assert facets["in_stock"] == {"1": 4}
    # inside a category the facet lists its subcategories
    fruit = run(category="food")
    assert {f.value: f.count for f in fruit.facets["category"]} == {"fruit": 6, "pantry": 7}
    # filters narrow the results and the counts
    assert found(q="chocolate", in_stock="1") == ["Dark chocolate bar"]
    assert found(q="tea", kind="place") == ["Shanghai Tea House"]
    assert set(found(kind="listing,deal", price_max="60")) == {
        "Coffee and cake",
        "Strawberry picking ticket",
        "Kids' books bundle",
    }
    assert found(q="chocolate", rating_min="4") == ["Dark chocolate bar"]


def test_sort_orders_and_cursor_pages(corpus):
    prices = [h.price for h in run(q="green valley", sort="price_asc", limit="100").hits if h.price is not None]
    assert prices == sorted(prices) and prices[0] == 12
    prices = [h.price for h in run(q="green valley", sort="price_desc", limit="100").hits if h.price is not None]
    assert prices == sorted(prices, reverse=True) and prices[0] == 1800
    assert found(category="fruit", sort="newest")[0] == "Pineapple"  # the last one created
    ratings = [h.rating for h in run(category="food", sort="rating").hits]
    assert ratings == sorted(ratings, reverse=True) and ratings[0] == 4.9
    if hasattr(Product, "sold_count"):
        assert found(category="food", sort="sales")[0] == "Green tea"  # 700 sold
    # the cursor walks every result exactly once
    seen, cursor = [], None
    while True:
        params = {"category": "food", "sort": "price_asc", "limit": "4"} | ({"cursor": cursor} if cursor else {})
        page = run(**params)
        seen += [h.id for h in page.hits]
        cursor = page.next_cursor
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 13


def test_places_near_a_position_with_distances(corpus):
    result = run(q="strawberry", near="32.0416,118.7784")
    salon = next(h for h in result.hits if h.kind == "place")
    assert salon.distance_km < 0.01
    assert [f.value for f in result.facets["distance"]] == ["1", "3", "5", "10"]
    # the Shanghai place is 270 km away: a Nanjing search leaves it out, products stay
    assert found(q="tea", near="32.0416,118.7784") == ["Green tea", "Oolong tea", "Ceramic teapot"]
    places = run(kind="place", near="32.0416,118.7784", sort="distance")
    assert [h.title for h in places.hits] == ["Strawberry Hair Salon", "Golden Apple Cafe"]
    assert [h.title for h in run(kind="place", near="32.0416,118.7784", radius_km="1").hits] == [
        "Strawberry Hair Salon"
    ]


def test_the_index_follows_edits_unpublishing_deletion_and_prices(corpus, django_capture_on_commit_callbacks):
    jam = corpus["products"]["Strawberry jam"]
    with django_capture_on_commit_callbacks(execute=True):
        jam.title = "Raspberry jam"
        jam.save()
    assert "Strawberry jam" not in found(q="strawberry")
    assert found(q="raspberry") == ["Raspberry jam"]
    assert run(q="rasberry").corrected == "raspberry"  # the new word joined the vocabulary
    with django_capture_on_commit_callbacks(execute=True):
        Variant.objects.create(product=jam, sku="J-1", price=Decimal("18"), stock=3)
        Product.objects.filter(pk=jam.pk).update(price_from=Decimal("7.50"))
        Variant.objects.filter(product=jam).first().save()  # a variant saved: its product's summary is read again
    assert run(q="raspberry").hits[0].price == 7.5
    assert found(q="raspberry", price_max="10") == ["Raspberry jam"]
    from tradeloop.catalog.services import refresh_stock_flags

    with django_capture_on_commit_callbacks(execute=True):  # stock written set-based (inventory): the flag follows
        Variant.objects.filter(product=jam).update(stock=0)
        refresh_stock_flags(Variant.objects.filter(product=jam).values("product_id"))
    assert found(q="raspberry", in_stock="1") == []
    assert found(q="raspberry") == ["Raspberry jam"]
    with django_capture_on_commit_callbacks(execute=True):
        jam.status = Product.Status.UNPUBLISHED
        jam.save()
    assert found(q="raspberry") == []
    mango = corpus["products"]["Mango"]
    with django_capture_on_commit_callbacks(execute=True):
        mango.delete()
    assert found(q="mango") == []
    # reindex puts back what is findable and drops what is gone
    SearchDocument.objects.all().delete()
    written = indexing.reindex_all()
    assert written == {"product": 28, "place": 3}
    assert found(q="strawberry") == ["Fresh strawberries", "Strawberry Hair Salon", "Strawberry picking ticket"]


def test_places_follow_their_changes(corpus, django_capture_on_commit_callbacks):
    cafe = corpus["places"]["Golden Apple Cafe"]
    with django_capture_on_commit_callbacks(execute=True):
        cafe.name = "Golden Pear Cafe"
        cafe.save()
    assert "Golden Pear Cafe" in found(q="pear")
    with django_capture_on_commit_callbacks(execute=True):
        cafe.is_active = False
        cafe.save()
    assert found(q="pear") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "spaceship"}, "kind"),
        ({"sort": "cheapest"}, "sort"),
        ({"sort": "distance"}, "sort"),
        ({"price_min": "ten"}, "price_min"),
        ({"price_min": "-1"}, "price_min"),
        ({"price_min": "50", "price_max": "10"}, "price_min"),
        ({"rating_min": "6"}, "rating_min"),
        ({"near": "north"}, "near"),
        ({"near": "95,10"}, "near"),
        ({"near": "32,118", "radius_km": "500"}, "radius_km"),
        ({"category": "no-such"}, "category"),
        ({"cursor": "garbage!"}, "cursor"),
        ({"in_stock": "maybe"}, "in_stock"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(client, db, params, field):
    answer = client.get("/api/v1/search", params)
    assert answer.status_code in (400, 422), answer.content  # 422: the schema's own checks (length, choices)
    assert answer.json()["field"] == field
    page = client.get("/search/", params)
    assert page.status_code == 400
    assert b"alert-error" in page.content


def test_api_answers_results_facets_and_the_correction(client, corpus):
    answer = client.get("/api/v1/search", {"q": "strawbery", "limit": "2"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["corrected_query"] == "strawberry"
    assert body["total"] == 4 and body["total_capped"] is False
    first = body["results"][0]
    assert first["title"] == "Fresh strawberries" and first["kind"] == "physical"
    assert first["price"] == "25.00" and first["url"].endswith(f"/p/{corpus['products']['Fresh strawberries'].pk}/p0/")
    assert {f["value"]: f["count"] for f in body["facets"]["kind"]} == {"physical": 2, "deal": 1, "place": 1}
    more = client.get("/api/v1/search", {"q": "strawbery", "limit": "2", "cursor": body["next_cursor"]}).json()
    assert [r["title"] for r in more["results"]] == ["Strawberry Hair Salon", "Strawberry picking ticket"]
    assert more["next_cursor"] is None
    with translation.override("zh-hans"):
        zh = client.get("/api/v1/search", {"q": "strawberry", "limit": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert zh["results"][0]["title"] == "新鲜草莓"
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/search" in schema["paths"]


def test_few_results_are_noted_as_unmet_demand_with_the_region(client, corpus):
    client.get("/api/v1/search", {"q": "durian"})
    client.get("/search/", {"q": "durian", "near": "32.0416,118.7784"})
    noted = {(d.term, d.region): d.searches for d in DemandSearch.objects.all()}
    assert sum(n for (term, _), n in noted.items()) == 2
    assert {region for (_, region) in noted} == {"", "Nanjing"}
    client.get("/api/v1/search", {"q": "strawberry"})  # 4 results: not unmet
    client.get("/api/v1/search", {"kind": "place"})  # no words: not a search for something
    assert sum(d.searches for d in DemandSearch.objects.all()) == 2


def test_query_budget_whatever_the_page_size(client, corpus, django_assert_max_num_queries):
    client.get("/search/", {"q": "green valley"})  # warm the category tree cache and jieba
    for limit in ("2", "50"):
        with django_assert_max_num_queries(12):
            assert client.get("/search/", {"q": "green valley", "limit": limit}).status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get("/api/v1/search", {"q": "strawbery", "limit": limit}).status_code == 200


def test_results_page_shows_cards_facets_sorting_and_both_languages(client, corpus):
    page = client.get("/search/", {"q": "strawbery"}).content.decode()
    assert "Showing results for “strawberry”" in page
    assert "Fresh strawberries" in page and "Strawberry Hair Salon" in page
    assert 'data-facet="kind"' in page and "Local deals" in page
    assert 'name="sort"' in page
    zh = client.get("/search/", {"q": "草莓"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "新鲜草莓" in zh
    empty = client.get("/search/", {"q": "durian"}).content.decode()
    assert "Nothing matches your search" in empty
    header = client.get("/search/").content.decode()
    assert 'action="/search/"' in header  # the header's box opens this page
    assert selectors.FEW_RESULTS == 3


def test_a_filtered_search_looks_through_the_newest_text_matches_only(corpus, monkeypatch):
    """A narrow filter over a common word costs the same at any catalogue size: it reads a bounded number of the
    newest text matches (engine.SCAN), so an old match only the filter keeps may be left out."""
    matches = sorted(h.id for h in run(q="strawberry", limit="100").hits)
    priced = {h.id for h in run(q="strawberry", price_max="1000000", limit="100").hits}
    monkeypatch.setattr(engine, "SCAN", 2)
    bounded = {h.id for h in run(q="strawberry", price_max="1000000", limit="100").hits}
    assert bounded == priced & set(matches[-2:])
    assert len(bounded) < len(priced)
    assert sorted(h.id for h in run(q="strawberry", limit="100").hits) == matches  # no filter: nothing left out
