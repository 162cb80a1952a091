"""The take rate: the most specific commission rule wins."""

from decimal import Decimal

import pytest

from tests import factories
from tradeloop.catalog.models import Category
from tradeloop.payments.models import CommissionRule
from tradeloop.payments.services import commission_rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    food = Category.objects.create(name="Food", slug="food")
    fruit = Category.objects.create(name="Fruit", slug="fruit", parent=food)
    apples = Category.objects.create(name="Apples", slug="apples", parent=fruit)
    toys = Category.objects.create(name="Toys", slug="toys")
    return food, fruit, apples, toys


def test_without_rules_the_setting_applies(merchant, settings):
    settings.TRADELOOP_DEFAULT_COMMISSION = Decimal("0.07")
    assert commission_rate(seller=merchant, category=None) == Decimal("0.07")


def test_the_most_specific_rule_wins(merchant, tree, django_assert_num_queries):
    food, fruit, apples, toys = tree
    CommissionRule.objects.create(rate=Decimal("0.05"))
    CommissionRule.objects.create(seller_kind="merchant", rate=Decimal("0.04"))
    CommissionRule.objects.create(category=food, rate=Decimal("0.03"))
    CommissionRule.objects.create(category=fruit, rate=Decimal("0.02"))
    CommissionRule.objects.create(category=fruit, seller_kind="merchant", rate=Decimal("0.015"))
    CommissionRule.objects.create(category=fruit, seller_kind="personal", rate=Decimal("0.01"))
    private = factories.seller_with_owner(kind="personal")
    supplier = factories.seller_with_owner(kind="supplier")

    with django_assert_num_queries(1):
        assert commission_rate(seller=merchant, category=apples) == Decimal("0.015")  # fruit + merchant
    assert commission_rate(seller=private, category=apples) == Decimal("0.01")  # fruit + personal
    assert commission_rate(seller=supplier, category=apples) == Decimal("0.02")  # fruit (any kind)
    assert commission_rate(seller=supplier, category=food) == Decimal("0.03")
    assert commission_rate(seller=merchant, category=toys) == Decimal("0.04")  # seller kind
    assert commission_rate(seller=supplier, category=toys) == Decimal("0.05")  # the default rule
    assert commission_rate(seller=supplier, category=None) == Decimal("0.05")
