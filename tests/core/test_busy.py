"""SQLite's "database is locked" (a writer waited its whole timeout) answers 503 busy with Retry-After, not 500."""

import pytest
from django.db import OperationalError

from tradeloop.catalog import selectors


@pytest.fixture
def locked_database(monkeypatch):
    def locked(**_):
        raise OperationalError("database is locked")

    monkeypatch.setattr(selectors, "storefront_products", locked)


@pytest.mark.django_db
def test_the_api_says_busy_and_when_to_retry(client, locked_database):
    response = client.get("/api/v1/products")
    assert response.status_code == 503
    assert response.json() == {"code": "busy", "message": "the site is busy: try again in a moment", "field": None}
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_a_page_shows_the_busy_page(client, locked_database):
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert "The site is busy" in response.content.decode()
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_other_database_errors_are_not_called_busy(client, monkeypatch):
    def broken(**_):
        raise OperationalError("no such table: catalog_product")

    monkeypatch.setattr(selectors, "storefront_products", broken)
    client.raise_request_exception = False
    assert client.get("/api/v1/products").status_code == 500
