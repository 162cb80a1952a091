"""A negotiation between a supplier and a buyer, under a fake policy registered for the test (no mode exists yet)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tradeloop.negotiation import policies
from tradeloop.negotiation import services as negotiation
from tradeloop.negotiation.models import Negotiation


class FakePolicy:
    """Records what on_accept got, and answers with a reference as a mode would (an order number)."""

    def __init__(self):
        self.accepted: list[tuple] = []

    def on_accept(self, n, proposal, actor):
        self.accepted.append((n.pk, proposal.number, actor.pk))
        return f"fake:{n.pk}"

    def policy(self, **overrides) -> policies.Policy:
        overrides.setdefault("on_accept", self.on_accept)
        return policies.Policy(validity=timedelta(days=30), **overrides)


@pytest.fixture
def fake():
    fake = FakePolicy()
    before = {kind: policies.register(kind, fake.policy()) for kind in Negotiation.Kind}
    yield fake
    for kind, policy in before.items():
        if policy is None:
            policies.unregister(kind)
        else:
            policies.register(kind, policy)


@pytest.fixture
def supplier(db):
    return factories.seller_with_owner(kind="supplier")


@pytest.fixture
def buyer(db):
    return factories.UserFactory()


@pytest.fixture
def variant(supplier):
    return factories.published_product(
        seller=supplier, title="24-bit AD converter", price="20.00", stock=100
    ).variants.get()


def draft(variant, quantity=10, price="18.00", **terms) -> negotiation.Draft:
    return negotiation.Draft(
        lines=[negotiation.LineDraft(quantity=quantity, unit_price=Decimal(price), variant=variant)], **terms
    )


@pytest.fixture
def quote(fake, supplier, buyer, variant):
    """v1: the supplier quotes 10 converters at 18.00 to the buyer, valid 30 days."""
    return negotiation.open_negotiation(
        actor=supplier.owner,
        kind=Negotiation.Kind.QUOTE,
        side="seller",
        seller=supplier,
        buyer=buyer,
        currency=variant.currency,
        product=variant.product,
        draft=draft(variant, shipping=Decimal("5.00"), payment_terms="net30"),
    )
