from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.checkout.conftest import address, buyer, shop  # noqa: F401 - the checkout fixtures, shared
from tradeloop.core import clock
from tradeloop.pricing import services as pricing


@pytest.fixture
def trade(db):
    """A supplier selling 24-bit AD converters at 10.00 with public tiers (100+ at 9.00, 500+ at 8.00); two buyer
    companies (Acme with a contract list, Beta with its own), a consumer, and another supplier."""
    supplier = factories.seller_with_owner(kind="supplier", name="Sino Semis")
    adc = factories.published_product(supplier, title="24-bit ADC", price="10.00", stock=5000).variants.get()
    owner = supplier.owner
    pricing.set_tiers(
        actor=owner,
        seller=supplier,
        variant_id=adc.pk,
        tiers=[pricing.TierInput(100, Decimal("9.00")), pricing.TierInput(500, Decimal("8.00"))],
    )
    acme = factories.seller_with_owner(kind="buyer_company", name="Acme Buyer")
    beta = factories.seller_with_owner(kind="buyer_company", name="Beta Buyer")
    contract = pricing.create_price_list(
        actor=owner, seller=supplier, data=pricing.PriceListInput(name="Acme 2026", currency="CNY", priority=10)
    )
    pricing.set_entries(
        actor=owner,
        seller=supplier,
        price_list_id=contract.pk,
        entries=[
            pricing.EntryInput(sku="SKU-0", unit_price=Decimal("9.50")),
            pricing.EntryInput(sku="SKU-0", unit_price=Decimal("8.50"), min_quantity=200),
        ],
    )
    pricing.set_buyers(actor=owner, seller=supplier, price_list_id=contract.pk, buyers=[acme.pk])
    beta_list = pricing.create_price_list(
        actor=owner, seller=supplier, data=pricing.PriceListInput(name="Beta", currency="CNY")
    )
    pricing.set_entries(
        actor=owner,
        seller=supplier,
        price_list_id=beta_list.pk,
        entries=[pricing.EntryInput(variant_id=adc.pk, unit_price=Decimal("7.00"))],
    )
    pricing.set_buyers(actor=owner, seller=supplier, price_list_id=beta_list.pk, buyers=[beta.slug])
    return {
        "supplier": supplier,
        "adc": adc,
        "acme": acme,
        "beta": beta,
        "purchaser": factories.member(acme, "buyer"),
        "consumer": factories.UserFactory(),
        "contract": contract,
        "beta_list": beta_list,
        "other": factories.seller_with_owner(kind="supplier", name="Other Semis"),
        "now": clock.now(),
        "day": timedelta(days=1),
    }
