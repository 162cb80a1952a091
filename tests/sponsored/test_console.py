"""The seller console: campaigns list (query budget), create with bad input, campaign page, state, wallet top-up."""

from __future__ import annotations

import pytest

from tests.sponsored.conftest import click
from tradeloop.sponsored import services
from tradeloop.sponsored.models import Campaign

pytestmark = pytest.mark.django_db


def test_create_a_campaign_on_the_web(client, shop, fruit):
    client.force_login(shop.owner)
    url = f"/console/{shop.pk}/campaigns/new/"
    assert client.get(url).status_code == 200
    data = {
        "name": "Pears",
        "default_bid": "0.80",
        "daily_budget": "20",
        "items": [f"product:{shop.pears.pk}"],
        "keywords": "pears\n梨 | 1.20",
        "categories": [fruit.pk],
        "activate": "on",
    }
    bad = client.post(url, {**data, "default_bid": "30"})
    assert bad.status_code == 400 and not Campaign.objects.exists()
    done = client.post(url, data)
    campaign = Campaign.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/campaigns/{campaign.pk}/")
    assert campaign.state == "active"
    assert sorted(k.text for k in campaign.keywords.all()) == ["pears", "梨"]
    page = client.get(done["Location"]).content.decode()
    assert "Clicks per day" in page and "<svg" in page


def test_campaign_page_shows_one_charged_click(client, campaign, shop, shopper):
    click(campaign, user=shopper)
    click(campaign, user=shopper)
    client.force_login(shop.owner)
    page = client.get(f"/console/{shop.pk}/campaigns/{campaign.pk}/").content.decode()
    assert 'data-stat="charged"><span class="label">Charged clicks</span><span class="value">1<' in page


def test_pause_and_resume(client, campaign, shop):
    client.force_login(shop.owner)
    url = f"/console/{shop.pk}/campaigns/{campaign.pk}/state/"
    client.post(url, {"state": "paused"})
    assert Campaign.objects.get().state == "paused"
    client.post(url, {"state": "active"})
    assert Campaign.objects.get().state == "active"
    client.post(url, {"state": "nonsense"})
    assert Campaign.objects.get().state == "active"


def test_top_up_on_the_web(client, shop):
    client.force_login(shop.owner)
    client.post(f"/console/{shop.pk}/campaigns/wallet/", {"amount": "25", "key": "w1"})
    client.post(f"/console/{shop.pk}/campaigns/wallet/", {"amount": "-5"})
    from tradeloop.sponsored.selectors import wallet

    assert wallet(shop.pk).amount == 125


def test_another_tenants_campaign_is_404(client, campaign, rival):
    client.force_login(rival.owner)
    assert client.get(f"/console/{rival.pk}/campaigns/{campaign.pk}/").status_code == 404
    assert client.get(f"/console/{campaign.organization_id}/campaigns/").status_code == 404


def test_campaign_list_query_budget(client, shop, django_assert_max_num_queries):
    for i in range(12):
        services.create_campaign(
            actor=shop.owner,
            organization_id=shop.pk,
            name=f"C{i}",
            daily_budget="10",
            default_bid="1",
            items=[("product", shop.apples.pk)],
            keywords=[f"apples{i}"],
        )
    client.force_login(shop.owner)
    client.get(f"/console/{shop.pk}/campaigns/")
    with django_assert_max_num_queries(20):
        assert client.get(f"/console/{shop.pk}/campaigns/").status_code == 200
