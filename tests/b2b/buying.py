"""Builders for the company tests: an operator, a supplier with a SKU, an approved company on terms, its staff."""

from decimal import Decimal

import pytest

from tests import factories
from tradeloop.b2b import approvals, companies
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order


@pytest.fixture
def operator(db):
    return factories.UserFactory(is_staff=True, email="operator@example.com")


@pytest.fixture
def supplier(db):
    return factories.seller_with_owner(kind="supplier", name="Acme Components")


@pytest.fixture
def adc(supplier):
    return factories.published_product(
        seller=supplier, title="24-bit AD converter", price="10.00", stock=1000
    ).variants.get()


def approved_company(operator, *, name="Beta Instruments", terms="net30", credit_limit="1000.00", owner=None):
    company = companies.register_company(actor=owner or factories.UserFactory(), name=name)
    companies.decide(operator=operator, company=company, to="approved", reason="papers checked")
    companies.set_terms(operator=operator, company=company, payment_terms=terms, credit_limit=credit_limit)
    company.refresh_from_db()
    company.owner = company.organization.owner = company.organization.memberships.get().user
    return company


@pytest.fixture
def company(operator):
    return approved_company(operator)


def staff(company, role: str, limit: str | None = None):
    """A member of the company with `role` (and a spending limit, set by the owner)."""
    person = factories.member(company.organization, role)
    if limit is not None:
        membership = company.organization.memberships.get(user=person)
        approvals.set_spending_limit(actor=company.owner, company=company, membership_id=membership.pk, amount=limit)
    return person


def place(company, buyer, variant, *, quantity=10, price="10.00", terms=None, actor=None) -> Order:
    """A B2B order as checkout places it for a company member (terms: the company's, unless given)."""
    return orders.place_order(
        actor=actor or buyer,
        buyer=buyer,
        buyer_org=company.organization,
        seller=variant.product.seller,
        mode=Order.Mode.B2B,
        currency="CNY",
        lines=[orders.LineIn(variant, quantity, Decimal(price))],
        payment_terms=company.payment_terms if terms is None else terms,
    )
