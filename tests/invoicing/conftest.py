"""Orders on payment terms, placed through orders.place_order (mode b2b), and what happens to them next."""

from __future__ import annotations

import secrets
from decimal import Decimal

import pytest

from tests.api.conftest import api, api_as, rival  # noqa: F401 - the shared API client fixtures
from tests.checkout.conftest import eager, pay  # noqa: F401 - the sandbox gateway in-process
from tests.factories import UserFactory, buying_company, member, published_product, seller_with_owner
from tradeloop.fulfilment import services as fulfilment
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order


def terms_order(
    *,
    supplier,
    company,
    buyer=None,
    terms: str = "net30",
    quantity: int = 10,
    price: str = "100.00",
    shipping: str = "50.00",
    commission_rate: str = "0.05",
) -> Order:
    """A B2B order of the company on `terms` (confirmed without payment when on credit)."""
    buyer = buyer or company.owner
    variant = published_product(supplier, title=f"AD converter {secrets.token_hex(3)}", price=price, stock=1000)
    variant = variant.variants.get()
    adjustments = [orders.AdjustmentIn("shipping", "Freight", Decimal(shipping))] if Decimal(shipping) else []
    return orders.place_order(
        actor=buyer,
        buyer=buyer,
        buyer_org=company,
        seller=supplier,
        mode=Order.Mode.B2B,
        payment_terms=terms,
        currency=variant.currency,
        lines=[orders.LineIn(variant, quantity, variant.price)],
        adjustments=adjustments,
        commission_rate=Decimal(commission_rate),
        shipping_method="Freight",
        shipping_address={"name": "Receiving dock", "line1": "8 Keyuan Road", "city": "Shenzhen"},
    )


def ship(order: Order, lines: dict | None = None):
    return fulfilment.ship(
        actor=order.seller.owner if hasattr(order.seller, "owner") else order.seller.memberships.first().user,
        order=order,
        lines=lines,
        carrier="SF Express",
        tracking_number=f"SF{secrets.token_hex(5)}",
    )


@pytest.fixture
def supplier(db):
    return seller_with_owner(kind="supplier", name="Acme Electronics")


@pytest.fixture
def company(db):
    return buying_company("Bright Labs")


@pytest.fixture
def company_finance(company):
    return member(company, "finance")


@pytest.fixture
def supplier_finance(supplier):
    return member(supplier, "finance")


@pytest.fixture
def stranger(db):
    return UserFactory()


@pytest.fixture
def net30_order(supplier, company):
    return terms_order(supplier=supplier, company=company)


@pytest.fixture
def invoiced(net30_order):
    """A net30 order of 10 × 100.00 + 50.00 freight, shipped: its invoice of 1,050.00 is issued."""
    ship(net30_order)
    return net30_order.invoices.get()
