# ruff: noqa: F811 - the company builders and shop are pytest fixtures, imported by name
"""Checkout for a company member also delivers to the company's delivery addresses (read through orders' buyer
context): listed on the page with the company's name and the address label, the company's default preselected
when the buyer has none of their own; `company_address_id` in the API instead of `address_id`; another company's
address refused; the order keeps the chosen address as its snapshot."""

import re

import pytest

from tests.api.conftest import assert_error
from tests.b2b.buying import adc, approved_company, company, operator, staff, supplier  # noqa: F401
from tests.checkout.conftest import fill_cart, shop  # noqa: F401
from tests.factories import UserFactory
from tradeloop.b2b import companies
from tradeloop.checkout import addresses as address_book
from tradeloop.checkout import services
from tradeloop.core.errors import NotFound, ValidationFailed
from tradeloop.orders.models import Order

CHECKOUT = "/checkout/"
# the keys of checkout Address.snapshot(), in any order (PostgreSQL JSONB keeps none)
KEYS = ["name", "phone", "line1", "line2", "city", "region", "postcode", "country"]


def warehouse(company, label="Main warehouse", **fields):
    data = {"name": "Wang Fang", "phone": "13900000000", "line1": "8 Keyuan Road", "city": "Shenzhen"} | fields
    return companies.add_address(actor=company.owner, company=company, label=label, **data)


def own_address(person):
    return address_book.save_address(
        actor=person, data={"name": "Li Lei", "phone": "13800000000", "line1": "1 Nanjing Road", "city": "Shanghai"}
    )


@pytest.fixture
def member(company, adc):
    """A purchaser of Beta Instruments (Net 30) with converters in the cart; the company keeps two addresses."""
    person = staff(company, "purchaser")
    warehouse(company, label="Goods in", line1="2 Dock Road", city="Ningbo")
    warehouse(company, is_default=True, region="Guangdong", postcode="518057")
    fill_cart(person, [(adc, 2)])
    return person


def checked(page: str) -> str:
    return re.search(r'name="address" value="([^"]+)" checked', page).group(1)


# ---------- web ----------


def test_the_page_lists_the_companys_addresses_and_preselects_its_default(member, company, client):
    client.force_login(member)
    page = client.get(CHECKOUT).content.decode()
    default = company.addresses.get(is_default=True)
    assert page.count("data-company-address=") == 2
    assert '<span class="badge">Beta Instruments</span> <strong>Main warehouse</strong>' in page
    assert "<strong>Goods in</strong> — Wang Fang, 13900000000 — 2 Dock Road, Ningbo" in page
    assert checked(page) == f"company-{default.pk}"  # the buyer has no address of their own
    assert "Company default" in page and "Place order</button>" in page and "disabled>" not in page


def test_the_buyers_own_default_comes_first(member, client):
    mine = own_address(member)
    client.force_login(member)
    page = client.get(CHECKOUT).content.decode()
    assert checked(page) == str(mine.pk) and page.count("data-company-address=") == 2


def test_placing_to_a_company_address_keeps_it_on_the_order(member, company, client):
    goods_in = company.addresses.get(label="Goods in")
    client.force_login(member)
    response = client.post(CHECKOUT, {"action": "place", "address": f"company-{goods_in.pk}", "idempotency_key": "k"})
    assert response.status_code == 302, response.content.decode()
    order = Order.objects.get(buyer=member)
    assert order.shipping_address == goods_in.snapshot() and sorted(order.shipping_address) == sorted(KEYS)
    assert (order.mode, order.buyer_org, order.state) == ("b2b", company.organization, Order.State.CONFIRMED)


def test_another_companys_address_is_a_form_error(member, operator, client):
    other = approved_company(operator, name="Gamma Labs")
    foreign = warehouse(other, label="Gamma store")
    client.force_login(member)
    response = client.post(CHECKOUT, {"action": "place", "address": f"company-{foreign.pk}", "idempotency_key": "k"})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-error-code="not_found"' in page and "Address not found." in page
    assert "Gamma store" not in page and not Order.objects.filter(buyer=member).exists()


def test_a_consumer_sees_no_company_addresses_and_cannot_use_one(company, adc, client):
    buyer = UserFactory()
    own_address(buyer)
    fill_cart(buyer, [(adc, 1)])
    theirs = warehouse(company)
    client.force_login(buyer)
    assert "data-company-address" not in client.get(CHECKOUT).content.decode()
    with pytest.raises(NotFound):
        services.place(buyer=buyer, address_id=None, company_address_id=theirs.pk, shipping_choices={},
                       coupon_codes=[], key=None)  # fmt: skip


def test_the_checkout_page_asks_no_more_queries_for_company_addresses(
    member, company, shop, client, django_assert_max_num_queries
):
    """Two sellers, own and company addresses: 15 queries, as before company addresses were offered (the quote's
    buyer contexts already carry them), whatever their number."""
    own_address(member)
    fill_cart(member, [(shop["tea"], 1)])
    client.force_login(member)
    client.get(CHECKOUT)
    with django_assert_max_num_queries(15):
        client.get(CHECKOUT)
    for n in range(5):
        warehouse(company, label=f"Depot {n}")
    with django_assert_max_num_queries(15):
        page = client.get(CHECKOUT).content.decode()
    assert page.count("data-company-address=") == 7


# ---------- API ----------


def test_the_api_places_to_a_company_address(member, company, api_as):
    default = company.addresses.get(is_default=True)
    me = api_as(member)
    quote = me.post("checkout/quote", {"company_address_id": default.pk})
    assert quote.status_code == 200, quote.content
    assert quote.json()["shipping_address"] == default.snapshot()
    assert me.post("checkout/quote", {}).json()["shipping_address"] is None
    answer = me.post("checkout", {"company_address_id": default.pk})
    assert answer.status_code == 201, answer.content
    order = Order.objects.get(number=answer.json()["orders"][0])
    assert order.shipping_address == default.snapshot() and order.buyer_org == company.organization


def test_the_api_wants_exactly_one_address_of_the_buyer_or_their_company(member, company, operator, api_as):
    mine = own_address(member)
    ours = company.addresses.first()
    foreign = warehouse(approved_company(operator, name="Gamma Labs"))
    me = api_as(member)
    assert_error(
        me.post("checkout", {"address_id": mine.pk, "company_address_id": ours.pk}), 400, "invalid", "address_id"
    )
    assert_error(me.post("checkout", {}), 400, "invalid", "address_id")
    assert_error(me.post("checkout/quote", {"address_id": mine.pk, "company_address_id": ours.pk}), 400, "invalid")
    assert_error(me.post("checkout", {"company_address_id": foreign.pk}), 404, "not_found", "company_address_id")
    assert_error(me.post("checkout/quote", {"company_address_id": foreign.pk}), 404, "not_found", "company_address_id")
    assert_error(me.post("checkout", {"company_address_id": "x"}), 422, "invalid", "company_address_id")
    assert not Order.objects.filter(buyer=member).exists()
    with pytest.raises(ValidationFailed):
        address_book.delivery_address(member, [], address_id=None, company_address_id=None)


def test_the_schema_documents_company_address_id(api):
    schema = api.client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("CheckoutIn", "CheckoutQuoteIn"):
        assert "delivery addresses" in schema[name]["properties"]["company_address_id"]["description"]
