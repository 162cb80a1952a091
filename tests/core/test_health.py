"""GET /healthz: what a load balancer probes. 200 while the database and the cache answer, 503 naming what is down."""

import importlib
import re

import pytest
from django.core.cache import cache
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthy_app_server_answers_200_with_what_it_checked(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_a_broken_database_answers_503_naming_it(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    with monkeypatch.context() as patched:  # undone before the books are checked after the test
        patched.setattr(connection, "cursor", refuse)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "down", "cache": "ok"}


def test_a_broken_cache_answers_503_naming_it(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "down"


def test_production_settings_do_not_redirect_the_probe_to_https():
    production = importlib.import_module("tradeloop.settings_production")
    assert any(re.match(pattern, "healthz") for pattern in production.SECURE_REDIRECT_EXEMPT)
