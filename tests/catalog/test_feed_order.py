"""The storefront's first pages read their products in index order and stop after a page, so they cost the same
with a thousand products or a million: the database never sorts the whole catalog to show twelve of them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tradeloop.catalog import selectors as catalog
from tradeloop.catalog.selectors import ProductFilters

PAGES = {
    "featured strip": lambda: catalog.featured_products(limit=12),
    "a kind's strip": lambda: catalog.storefront_products(filters=ProductFilters(kind="deal"), limit=6).items,
    "newest first": lambda: catalog.storefront_products(filters=ProductFilters(sort="new"), limit=24).items,
    "best rated first": lambda: catalog.storefront_products(filters=ProductFilters(sort="rating"), limit=24).items,
    "cheapest first": lambda: catalog.storefront_products(filters=ProductFilters(sort="price_asc"), limit=24).items,
    "dearest first": lambda: catalog.storefront_products(filters=ProductFilters(sort="price_desc"), limit=24).items,
}


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_sort = off")  # a tiny test table would be sorted; ask what it could do
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_the_page_is_read_in_index_order_without_sorting_the_catalog(page):
    seller = factories.seller_with_owner()
    for n in range(3):
        factories.published_product(seller=seller, title=f"Product {n}")
    with CaptureQueriesContext(connection) as queries:
        assert PAGES[page]() is not None
    sql = next(q["sql"] for q in queries.captured_queries if "catalog_product" in q["sql"])
    plan = plan_of(sql)
    assert "TEMP B-TREE FOR ORDER BY" not in plan  # SQLite
    assert "Sort" not in plan.replace("Sort Key", "")  # PostgreSQL
