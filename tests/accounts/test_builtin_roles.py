"""The built-in roles are there on every install, also after a transactional test flushed the tables."""

import pytest

from tests import factories
from tradeloop.accounts.models import Role
from tradeloop.accounts.roles import BUILTIN_ROLES


@pytest.mark.django_db(transaction=True)
def test_roles_exist_in_a_transactional_test():
    assert set(Role.objects.values_list("code", flat=True)) == {code for code, _, _ in BUILTIN_ROLES}


@pytest.mark.django_db
def test_roles_exist_after_a_flush():
    org = factories.seller_with_owner()
    assert org.memberships.get().role.code == "owner"


@pytest.mark.django_db
def test_role_names_read_in_the_language_of_the_page():
    from django.utils import translation

    owner = Role.objects.get(code="owner")
    with translation.override("zh-hans"):
        assert str(owner) == "所有者"
    with translation.override("en"):
        assert str(owner) == "Owner"
