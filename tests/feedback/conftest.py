import pytest

from tests import factories


@pytest.fixture
def store(merchant):
    return merchant


@pytest.fixture
def buyer(db):
    return factories.UserFactory()


@pytest.fixture
def voter(db):
    return factories.UserFactory()
