"""Where the goods of an accepted quote go: the buying company's default delivery address; a company without
addresses → the buyer's own default address; nobody has one → no address (the order is placed all the same)."""
# ruff: noqa: F811 - the fixtures imported from tests.b2b.quoting are arguments of the tests

import pytest

from tests.b2b.quoting import category, company, direct_rfq, purchaser, quote, sku, supplier  # noqa: F401
from tradeloop.b2b import companies, quotes
from tradeloop.b2b.models import Company
from tradeloop.checkout import addresses as address_book
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db

# the keys of checkout Address.snapshot(), in any order (PostgreSQL JSONB keeps none)
KEYS = ["name", "phone", "line1", "line2", "city", "region", "postcode", "country"]


def accepted(quote, purchaser) -> Order:
    return Order.objects.get(number=quotes.accept(actor=purchaser, quote_id=quote.pk, version=1).result_ref)


def own_address(person):
    return address_book.save_address(
        actor=person, data={"name": "Li Lei", "phone": "13800000000", "line1": "1 Nanjing Road", "city": "Shanghai"}
    )


def test_a_quote_order_carries_the_companys_default_address(quote, purchaser, company):
    profile, _ = Company.objects.get_or_create(organization=company)
    own_address(purchaser)  # the company's address wins over the buyer's own
    companies.add_address(
        actor=company.owner, company=profile, label="Stores", name="Wu", phone="1", line1="1 Side", city="Wuxi"
    )
    main = companies.add_address(
        actor=company.owner, company=profile, is_default=True, label="Goods in", name="Wang Fang", phone="138",
        line1="8 Keyuan Road", city="Shenzhen", region="Guangdong", postcode="518057",
    )  # fmt: skip
    order = accepted(quote, purchaser)
    assert order.shipping_address == main.snapshot()
    assert sorted(order.shipping_address) == sorted(KEYS) and order.shipping_address["line1"] == "8 Keyuan Road"


def test_without_company_addresses_the_buyers_own_default_address(quote, purchaser, company):
    Company.objects.get_or_create(organization=company)
    mine = own_address(purchaser)
    assert accepted(quote, purchaser).shipping_address == mine.snapshot()


def test_nobody_has_an_address_the_order_has_none(quote, purchaser):
    assert accepted(quote, purchaser).shipping_address == {}


def test_delivery_address_reads_the_company_then_the_buyer(company, purchaser):
    assert companies.delivery_address(company, purchaser) == {}
    mine = own_address(purchaser)
    assert companies.delivery_address(company.pk, purchaser) == mine.snapshot()
    assert companies.delivery_address(company) == {}  # no buyer: no fallback
