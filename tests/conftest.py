import os

import pytest
from django.conf import settings

from tests import factories
from tradeloop.core import clock as tl_clock


def pytest_configure(config):
    # Fast hashing in tests; production keeps argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    if on_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgresql://…")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache_and_clock():
    from django.core.cache import cache

    from tradeloop.analytics import visits

    cache.clear()
    visits.forget_seen_visitors()
    tl_clock.reset()
    yield
    tl_clock.reset()


@pytest.fixture(autouse=True)
def _tasks_may_wait_for_results():
    # Celery flags "inside a task" in one global that eager tasks set and restore: tasks run eagerly in several
    # threads at once (the race tests) can leave it set, and a later test's result.get() then refuses to wait.
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
    yield


@pytest.fixture(autouse=True)
def _english_until_a_test_says_otherwise():
    # Django leaves the last request's language active on the thread; start every test in English.
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def _the_books_balance(request):
    """After every test that uses the database: every captured and refunded payment is in the ledger, per currency
    money captured minus refunded equals what the ledger holds for buyers' payments, every transaction balances,
    every seller balance is the sum of its entries (tests/books.py)."""
    import unittest

    uses_db = request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames)
    if not uses_db or isinstance(request.instance, unittest.TestCase):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so this check runs before the rollback
    yield
    from tests.books import assert_books_balance

    assert_books_balance()


@pytest.fixture
def clock():
    """The project clock; `clock.advance(days=1)` moves every `clock.now()` call."""
    return tl_clock


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def merchant(db):
    """A merchant organization with its owner: `merchant.owner`."""
    return factories.seller_with_owner(kind="merchant")


@pytest.fixture
def product(merchant):
    return factories.published_product(seller=merchant)


@pytest.fixture
def api_client(client):
    return client


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def celery_eager():
    """Celery tasks run in-process when queued (with `django_capture_on_commit_callbacks(execute=True)` for the
    ones queued on commit): e-mails land in `mailoutbox`."""
    from tradeloop.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = before
