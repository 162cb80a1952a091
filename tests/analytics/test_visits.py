"""Visits are counted without a database write in the page's request, and appear after the beat's flush."""

from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from tests.analytics.conftest import at, flush
from tradeloop.analytics import rollups, tasks
from tradeloop.analytics.models import DailySales, VisitCount

TABLE = VisitCount._meta.db_table


@pytest.fixture
def goods(merchant, clock):
    clock.travel(at(10, 9))
    return factories.published_product(merchant, title="Longjing", price="12.50")


def _writes_to_visits(queries) -> list[str]:
    return [
        q["sql"] for q in queries if TABLE in q["sql"] and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]


def test_a_product_view_writes_nothing_and_is_counted_after_the_flush(goods, client, django_assert_max_num_queries):
    url = reverse("storefront:product", args=[goods.pk, goods.slug])
    with django_assert_max_num_queries(40) as seen:
        assert client.get(url).status_code == 200
    assert _writes_to_visits(seen.captured_queries) == []
    assert not any(TABLE in q["sql"] for q in seen.captured_queries)  # not even a read
    assert not VisitCount.objects.exists()
    client.get(url)  # the same visitor again: a view, not a visitor
    factories_client = client.__class__()
    factories_client.get(url, HTTP_USER_AGENT="Mozilla/5.0 other browser")
    assert flush() == 1
    row = VisitCount.objects.get(kind="product", object_id=goods.pk)
    assert (row.day, row.seller_id, row.views, row.visitors) == (date(2026, 11, 10), goods.seller_id, 3, 2)


def test_the_flush_adds_to_what_is_counted_and_runs_from_the_beat(goods, client):
    url = reverse("storefront:product", args=[goods.pk, goods.slug])
    client.get(url)
    flush()
    client.get(url)
    client.get(url)
    assert tasks.flush_visits.run() >= 0  # the beat's task (a grace period for a spool still being written)
    flush()
    assert VisitCount.objects.get(kind="product", object_id=goods.pk).views == 3
    assert flush() == 0  # nothing new


def test_the_store_page_counts_for_the_seller_and_robots_do_not(goods, merchant, client, clock):
    store = reverse("storefront:store", args=[merchant.slug])
    assert client.get(store).status_code == 200
    client.get(store, HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")
    flush()
    row = VisitCount.objects.get(kind="store", object_id=merchant.pk)
    assert (row.views, row.visitors, row.seller_id) == (1, 1, merchant.pk)


def test_visits_roll_up_on_their_day(goods, merchant, client, clock):
    url = reverse("storefront:product", args=[goods.pk, goods.slug])
    client.get(url)
    clock.travel(at(11, 9))  # the next day: the same visitor counts again
    client.get(url)
    flush()
    factories.paid_order(seller=merchant, items=[(goods.variants.get(), 1)])
    clock.travel(at(12, 1))
    rollups.sweep_rollups(clock.now())
    assert DailySales.objects.get(seller=merchant, day=date(2026, 11, 10)).visitors == 1
    eleventh = DailySales.objects.get(seller=merchant, day=date(2026, 11, 11))
    assert (eleventh.visitors, eleventh.orders) == (1, 1)
