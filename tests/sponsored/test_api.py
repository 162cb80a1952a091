"""seller/campaigns in the API: create, read, change, state, stats, wallet; bad input 4xx; another tenant 404."""

from __future__ import annotations

import pytest

from tests.sponsored.conftest import click
from tradeloop.sponsored import services
from tradeloop.sponsored.models import Campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, shop):
    client.force_login(shop.owner)
    return client


def test_create_read_patch_and_state(owner_client, shop, fruit):
    body = {
        "organization": shop.pk,
        "name": "Pears",
        "daily_budget": "20",
        "default_bid": "0.5",
        "items": [{"source": "product", "id": shop.pears.pk}],
        "keywords": [{"text": "pears"}, {"text": "梨", "bid": "0.8"}],
        "categories": [fruit.pk],
        "activate": True,
    }
    made = owner_client.post("/api/v1/seller/campaigns", body, content_type="application/json")
    assert made.status_code == 201, made.json()
    out = made.json()
    assert out["state"] == "active" and out["running"] and out["default_bid"] == "0.50"
    assert [k["text"] for k in out["keywords"]] == ["pears", "梨"]
    url = f"/api/v1/seller/campaigns/{out['id']}"
    assert owner_client.get(url).json()["items"] == [{"source": "product", "id": shop.pears.pk}]
    patched = owner_client.patch(url, {"daily_budget": "30"}, content_type="application/json").json()
    assert patched["daily_budget"] == "30.00" and len(patched["keywords"]) == 2
    paused = owner_client.post(f"{url}/state", {"state": "paused"}, content_type="application/json").json()
    assert paused["state"] == "paused"
    listed = owner_client.get(f"/api/v1/seller/campaigns?organization={shop.pk}").json()
    assert [c["id"] for c in listed["items"]] == [out["id"]]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"default_bid": "50"}, "default_bid"),
        ({"daily_budget": "-1"}, "daily_budget"),
        ({"items": [{"source": "product", "id": 999999}]}, "items"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_is_a_4xx_and_changes_nothing(owner_client, shop, change, field):
    body = {"organization": shop.pk, "name": "X", "daily_budget": "20", "default_bid": "1", **change}
    answer = owner_client.post("/api/v1/seller/campaigns", body, content_type="application/json")
    assert 400 <= answer.status_code < 500
    assert set(answer.json()) >= {"code", "message"}
    assert not Campaign.objects.exists()


def test_another_tenants_campaign_is_404(client, campaign, rival):
    client.force_login(rival.owner)
    assert client.get(f"/api/v1/seller/campaigns/{campaign.pk}").status_code == 404
    assert client.get(f"/api/v1/seller/campaigns/{campaign.pk}/stats").status_code == 404
    assert client.get(f"/api/v1/seller/campaigns?organization={campaign.organization_id}").status_code == 404


def test_stats_and_wallet(owner_client, campaign, shop, shopper):
    click(campaign, user=shopper)
    click(campaign, user=shopper)
    stats = owner_client.get(f"/api/v1/seller/campaigns/{campaign.pk}/stats").json()
    assert (stats["total"]["clicks"], stats["total"]["charged"], stats["total"]["spend"]) == (2, 1, "1.00")
    assert len(stats["days"]) == 30
    wallet = owner_client.get(f"/api/v1/seller/promotion-wallet?organization={shop.pk}").json()
    assert wallet["balance"] == "99.00"
    topped = owner_client.post(
        "/api/v1/seller/promotion-wallet/top-up",
        {"organization": shop.pk, "amount": "10"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="t1",
    )
    assert topped.json()["balance"] == "109.00"
    again = owner_client.post(
        "/api/v1/seller/promotion-wallet/top-up",
        {"organization": shop.pk, "amount": "10"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="t1",
    )
    assert again.json()["balance"] == "109.00"
    short = owner_client.post(
        "/api/v1/seller/promotion-wallet/top-up",
        {"organization": shop.pk, "amount": "100000"},
        content_type="application/json",
    )
    assert short.status_code == 409 and short.json()["code"] == "balance_too_low"


def test_campaign_list_query_budget(owner_client, shop, django_assert_max_num_queries):
    for i in range(15):
        services.create_campaign(
            actor=shop.owner, organization_id=shop.pk, name=f"C{i}", daily_budget="10", default_bid="1"
        )
    with django_assert_max_num_queries(10):
        answer = owner_client.get(f"/api/v1/seller/campaigns?organization={shop.pk}")
    assert len(answer.json()["items"]) == 15
