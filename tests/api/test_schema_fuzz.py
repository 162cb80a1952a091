"""Schemathesis reads our own OpenAPI and throws generated requests at the app in-process: nothing may answer 5xx."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests import factories
from tradeloop.accounts.services import issue_token


@pytest.fixture
def keep_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection after each one (the test
    client avoids that the same way): on PostgreSQL that would end the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def signed_in_headers(db, keep_test_connection):
    """A merchant with a product, so authenticated reads have something real to find."""
    merchant = factories.seller_with_owner(kind="merchant")
    factories.published_product(merchant, category=factories.CategoryFactory(slug="fruit"))
    _, secret = issue_token(user=merchant.owner)
    return {"Authorization": f"Bearer {secret}"}


# Loaded at collection (the schema needs no database); schemathesis' lazy fixture loader does not support pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(method="GET")


@schema.parametrize()
@settings(
    max_examples=20,  # per operation; every GET endpoint of every app is fuzzed, so keep each one cheap
    deadline=None,
    database=None,  # no .hypothesis/ folder in the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_get_endpoints_never_answer_5xx(case, signed_in_headers):
    case.call_and_validate(headers=signed_in_headers, checks=[not_a_server_error])
