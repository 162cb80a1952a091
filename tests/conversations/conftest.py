import pytest

from tests import factories


@pytest.fixture
def buyer(db):
    return factories.UserFactory(name="Buyer Bo")


@pytest.fixture
def support(merchant):
    return factories.member(merchant, "support")
