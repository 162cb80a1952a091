"""The demo holds a running campaign: the hair studio's wallet topped up, a week of impressions and clicks, and
its deal in the sponsored slot of a matching search (English and Chinese)."""

import pytest

from tradeloop.core import clock
from tradeloop.demo import content, loader
from tradeloop.sponsored import selectors
from tradeloop.sponsored.models import Campaign

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_runs_a_campaign(settings, client):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    loader.load()
    loader.load()
    campaign = Campaign.objects.get()
    assert campaign.organization.name == content.SALON.name and campaign.state == "active"
    total = selectors.stats(campaign, now=clock.now()).total
    assert total.impressions > 0 and 0 < total.charged < total.clicks
    assert selectors.wallet(campaign.organization_id).amount > 0
    assert client.get("/api/v1/search?q=hair").json()["sponsored"]
    assert client.get("/api/v1/search?q=美发").json()["sponsored"]
    assert not client.get("/api/v1/search?q=apples").json()["sponsored"]
