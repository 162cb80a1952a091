from datetime import timedelta

import pytest
from django.urls import reverse

from tests import factories
from tradeloop.b2b.models import Rfq
from tradeloop.core import clock
from tradeloop.feedback import selectors
from tradeloop.feedback.services import note_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def fruit(db):
    parent = factories.CategoryFactory(name="Fruit", slug="fruit")
    return factories.CategoryFactory(name="Berries", slug="berries", parent=parent)


def rfq(category, *, title="Frozen strawberries", city="Nanjing", quotes=0, **fields):
    company = factories.buying_company()
    company.city = city
    company.save(update_fields=["city"])
    fields.setdefault("deadline", clock.now() + timedelta(days=3))
    return Rfq.objects.create(
        buyer=company.owner,
        buyer_org=company,
        category=category,
        title=title,
        currency="CNY",
        max_quotes=5,
        quote_count=quotes,
        **fields,
    )


def test_searches_and_unquoted_rfqs_add_up_by_term_and_region(merchant, fruit):
    factories.published_product(merchant, category=fruit)
    note_search(text="Strawberries", region="Nanjing", results=0, category_id=fruit.pk)
    note_search(text="strawberry", region="Nanjing", results=1)
    rfq(fruit, title="Strawberry")
    rfq(fruit, title="Strawberry", quotes=1)  # quoted: met
    other = factories.CategoryFactory(name="Tools", slug="tools")
    note_search(text="hammer", region="Nanjing", results=0, category_id=other.pk)  # not the merchant's category
    rows = selectors.unmet_demand(merchant, days=30)
    assert [(r.term, r.region, r.searches, r.rfqs, r.trend) for r in rows] == [("strawberri", "Nanjing", 2, 1, "new")]
    assert rows[0].link == reverse("b2b:console_rfq", args=[merchant.pk, Rfq.objects.filter(quote_count=0).get().pk])


def test_a_seller_without_products_sees_all_categories(merchant, fruit):
    tools = factories.CategoryFactory(name="Tools", slug="tools")
    note_search(text="hammer", region="Shanghai", results=0, category_id=tools.pk)
    assert [r.term for r in selectors.unmet_demand(merchant, days=7)] == ["hammer"]


def test_the_period_and_the_trend_follow_the_clock(merchant):
    note_search(text="durian", region="Nanjing", results=0)
    clock.advance(days=8)
    note_search(text="durian", region="Nanjing", results=0)
    note_search(text="durian", region="Nanjing", results=0)
    (row,) = selectors.unmet_demand(merchant, days=7)
    assert (row.searches, row.previous, row.trend) == (2, 1, "up")
    clock.advance(days=20)
    assert selectors.unmet_demand(merchant, days=7) == []


def test_the_console_page_filters_by_period_and_keeps_a_query_budget(
    client, merchant, fruit, django_assert_max_num_queries
):
    factories.published_product(merchant, category=fruit)
    for i in range(10):
        note_search(text=f"berry {i}", region="Nanjing", results=0, category_id=fruit.pk)
        rfq(fruit, title=f"Blueberry {i}")
    client.force_login(merchant.owner)
    url = reverse("feedback:console_demand", args=[merchant.pk])
    with django_assert_max_num_queries(18):
        page = client.get(url + "?days=90")
    assert page.status_code == 200
    assert "Blueberry 3" in page.content.decode()
    assert client.get(url + "?days=abc").status_code == 200  # a bad period shows the default
    other = factories.seller_with_owner()
    assert client.get(reverse("feedback:console_demand", args=[other.pk])).status_code == 404
