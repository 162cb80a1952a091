from decimal import Decimal

import pytest

from tests import factories
from tradeloop.core import clock as tl_clock
from tradeloop.core.money import Money
from tradeloop.promotions import services
from tradeloop.promotions.services import PricedLine


def line(product, quantity: int = 1, unit_price: str | None = None, variant_index: int = 0) -> PricedLine:
    variant = product.variants.all()[variant_index]
    category_path = product.category.path if product.category_id else ""
    return PricedLine(
        variant_id=variant.pk,
        product_id=product.pk,
        category_path=category_path,
        quantity=quantity,
        unit_price=Money(Decimal(unit_price) if unit_price else variant.price, variant.currency),
    )


def cny(amount) -> Money:
    return Money(Decimal(str(amount)), "CNY")


@pytest.fixture
def quote(merchant, user):
    """quote(lines, codes=(), shipping=0, buyer=user, seller=merchant) -> Breakdown, priced now."""

    def _quote(lines, codes=(), shipping="0", buyer=user, seller=merchant):
        return services.price(
            buyer=buyer, seller=seller, lines=lines, shipping=cny(shipping), codes=list(codes), now=tl_clock.now()
        )

    return _quote


@pytest.fixture
def apples(merchant):
    return factories.published_product(merchant, title="Apples", price="100")


@pytest.fixture
def pears(merchant):
    return factories.published_product(merchant, title="Pears", price="50")
