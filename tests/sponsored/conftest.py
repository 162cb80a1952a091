"""A seller with indexed products, money in its available balance and its promotion wallet, and a running campaign."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from tests.factories import CategoryFactory, UserFactory, published_product, seller_with_owner
from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger
from tradeloop.search import indexing
from tradeloop.sponsored import services

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36"


def fund(org, amount: str) -> None:
    """Money in the seller's available balance (as if earlier sales were settled)."""
    money = Money(Decimal(amount), "CNY")
    ledger.post(
        memo="test: earlier sales settled",
        ref=f"test:fund:{org.pk}:{uuid.uuid4().hex}",
        legs=[(ledger.platform_clearing("CNY"), money), (ledger.seller_available(org, "CNY"), -money)],
    )


def index_products(*products) -> None:
    indexing.index("product", [p.pk for p in products])


@pytest.fixture
def fruit(db):
    return CategoryFactory(name="Fruit", slug="fruit")


@pytest.fixture
def shop(db, fruit):
    org = seller_with_owner(name="Orchard Shop")
    apples = published_product(org, title="Crisp red apples", category=fruit)
    pears = published_product(org, title="Sweet pears", category=fruit)
    index_products(apples, pears)
    org.apples, org.pears = apples, pears
    fund(org, "500")
    services.top_up(actor=org.owner, organization_id=org.pk, amount="100", key="first")
    return org


@pytest.fixture
def rival(db, fruit):
    org = seller_with_owner(name="Rival Farm")
    apples = published_product(org, title="Green apples", category=fruit)
    index_products(apples)
    org.apples = apples
    return org


@pytest.fixture
def campaign(shop, fruit):
    return services.create_campaign(
        actor=shop.owner,
        organization_id=shop.pk,
        name="Apple week",
        daily_budget="10",
        default_bid="1.00",
        items=[("product", shop.apples.pk)],
        keywords=[("apples", None), ("苹果", "1.50")],
        category_ids=[fruit.pk],
        activate=True,
    )


@pytest.fixture
def shopper(db):
    return UserFactory()


def click(campaign, *, user=None, address="10.0.0.1", ua=CHROME, keyword=None):
    item = campaign.items.get()
    keyword_id = keyword.pk if keyword else 0
    token = services.click_token(item_id=item.pk, keyword_id=keyword_id)
    return services.record_click(token=token, user=user, address=address, user_agent=ua)[0]
