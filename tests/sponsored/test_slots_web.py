"""The marked slot in search results (web and API) and on category pages; the click URL charges once, redirects."""

from __future__ import annotations

import re

import pytest

from tests.sponsored.conftest import CHROME
from tradeloop.sponsored import services
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


def test_category_page_slot_is_filled_per_request(client, campaign, shop, fruit):
    first = client.get(f"/c/{fruit.slug}/")
    again = client.get(f"/c/{fruit.slug}/")
    assert again["X-Page-Cache"] == "hit"  # the page comes from the cache, the slot does not
    for page in (first.content.decode(), again.content.decode()):
        assert page.count('data-testid="sponsored-mark"') == 1 and len(click_urls(page)) == 1
        assert "<!--hole:" not in page
    assert DayStat.objects.get(campaign=campaign).impressions == 2  # both views counted


def test_search_page_query_budget(client, campaign, django_assert_max_num_queries):
    client.get("/search/?q=apples")
    with django_assert_max_num_queries(30):
        assert client.get("/search/?q=apples").status_code == 200


def test_a_campaign_started_after_the_category_page_was_cached_shows_on_the_next_view(client, shop, fruit, request):
    client.get(f"/c/{fruit.slug}/")
    before = client.get(f"/c/{fruit.slug}/")
    assert before["X-Page-Cache"] == "hit" and "sponsored-mark" not in before.content.decode()
    campaign = request.getfixturevalue("campaign")
    assert "sponsored-mark" in client.get(f"/c/{fruit.slug}/").content.decode()
    services.set_state(actor=shop.owner, campaign_id=campaign.pk, state="paused")
    assert "sponsored-mark" not in client.get(f"/c/{fruit.slug}/").content.decode()
