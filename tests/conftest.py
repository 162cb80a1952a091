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

    cache.clear()
    tl_clock.reset()
    yield
    tl_clock.reset()


@pytest.fixture(autouse=True)
def _english_until_a_test_says_otherwise():
    # Django leaves the last request's language active on the thread; start every test in English.
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


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
