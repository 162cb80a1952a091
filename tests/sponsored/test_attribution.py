"""An order paid by a visitor who clicked the item within 7 days counts for the campaign; the admin refund action."""

from __future__ import annotations

import pytest

from tests.factories import paid_order
from tests.sponsored.conftest import click
from tradeloop.sponsored import selectors
from tradeloop.sponsored.models import Attribution, Click

pytestmark = pytest.mark.django_db


def test_a_paid_order_after_a_click_counts(campaign, shop, shopper, clock, django_capture_on_commit_callbacks):
    click(campaign, user=shopper)
    clock.advance(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        order = paid_order(seller=shop, buyer=shopper, items=[(shop.apples.variants.get(), 1)])
    found = Attribution.objects.get()
    assert found.order_id == order.pk and found.campaign_id == campaign.pk
    total = selectors.stats(campaign, now=clock.now()).total
    assert total.orders == 1 and total.revenue == order.total
    assert total.roas == (order.total / total.spend).quantize(total.roas)


def test_no_click_or_too_old_no_order(campaign, shop, shopper, clock, django_capture_on_commit_callbacks):
    click(campaign, user=shopper)
    clock.advance(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        paid_order(seller=shop, buyer=shopper, items=[(shop.apples.variants.get(), 1)])
        paid_order(seller=shop, items=[(shop.apples.variants.get(), 1)])
    assert not Attribution.objects.exists()


def test_the_admin_refunds_invalid_clicks(admin_client, campaign, shop, shopper):
    charged = click(campaign, user=shopper)
    answer = admin_client.post(
        "/admin/sponsored/click/", {"action": "refund_invalid", "_selected_action": [charged.pk]}
    )
    assert answer.status_code == 302
    assert Click.objects.get(pk=charged.pk).outcome == Click.Outcome.REFUNDED
