"""The marked slot in search results (web and API) and on category pages; the click URL charges once, redirects."""

from __future__ import annotations

import re

import pytest

from tests.sponsored.conftest import CHROME
from tradeloop.sponsored.models import Click, DayStat

pytestmark = pytest.mark.django_db


def click_urls(html: str) -> list[str]:
    return re.findall(r'href="(/sponsored/click/[^"]+/)"', html)


def test_search_page_shows_the_marked_slot_and_counts_an_impression(client, campaign, shop):
    page = client.get("/search/?q=apples").content.decode()
    assert 'data-testid="sponsored-mark"' in page and "Sponsored" in page
    assert len(click_urls(page)) == 1
    assert DayStat.objects.get(campaign=campaign).impressions == 1
    other = client.get("/search/?q=pears").content.decode()
    assert "sponsored-mark" not in other


def test_chinese_page_marks_it_推广(client, campaign):
    page = client.get("/search/?q=apples", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "推广" in page


def test_click_url_redirects_to_the_item_and_charges_once(client, campaign, shop):
    url = click_urls(client.get("/search/?q=apples").content.decode())[0]
    first = client.get(url, HTTP_USER_AGENT=CHROME)
    assert first.status_code == 302 and f"/{shop.apples.pk}/" in first["Location"]
    client.get(url, HTTP_USER_AGENT=CHROME)
    assert list(Click.objects.values_list("outcome", flat=True).order_by("id")) == ["charged", "repeat"]
    assert client.get("/sponsored/click/forged/").status_code == 404


def test_search_api_carries_the_sponsored_items(client, campaign, shop):
    body = client.get("/api/v1/search?q=apples").json()
    assert [s["id"] for s in body["sponsored"]] == [shop.apples.pk]
    item = body["sponsored"][0]
    assert item["label"] == "Sponsored" and "/sponsored/click/" in item["click_url"]
    assert client.get("/api/v1/search?q=pears").json()["sponsored"] == []


def test_category_page_slot_is_a_per_request_fragment(client, campaign, shop, fruit):
    page = client.get(f"/c/{fruit.slug}/").content.decode()
    assert f"/sponsored/slot/category/{fruit.slug}/?organic=2" in page  # a placeholder: the cached page holds no item
    assert "sponsored-mark" not in page
    fragment = client.get(f"/sponsored/slot/category/{fruit.slug}/?organic=5").content.decode()
    assert "sponsored-mark" in fragment and len(click_urls(fragment)) == 1
    assert client.get(f"/sponsored/slot/category/{fruit.slug}/?organic=0").content.decode().strip() == ""
    assert client.get("/sponsored/slot/category/nope/").status_code == 404


def test_search_page_query_budget(client, campaign, django_assert_max_num_queries):
    client.get("/search/?q=apples")
    with django_assert_max_num_queries(30):
        assert client.get("/search/?q=apples").status_code == 200
