"""API: seller/price-lists (CRUD, entries, companies), price-lists for a buyer, seller/products/{id}/tiers, and the
price table of products/{id}."""

import json

import pytest

from tests import factories
from tests.api.conftest import Api, assert_error
from tradeloop.accounts.services import issue_token

pytestmark = pytest.mark.django_db


def api_as(client, user=None) -> Api:
    return Api(client, issue_token(user=user)[1] if user else None)


def put(api: Api, path: str, body):
    return api.client.put(api.url(path), json.dumps(body), content_type="application/json", headers=api._headers())


def test_seller_creates_a_price_list_with_prices_and_companies(client, trade):
    supplier, api = trade["supplier"], api_as(client, trade["supplier"].owner)
    created = api.post(
        "seller/price-lists",
        {"organization": supplier.pk, "name": "Distributors", "priority": 5, "buyers": [trade["acme"].slug]},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["name"], body["currency"], body["priority"], body["entry_count"]) == ("Distributors", "CNY", 5, 0)
    assert [b["name"] for b in body["buyers"]] == ["Acme Buyer"]

    entries = put(
        api,
        f"seller/price-lists/{body['id']}/entries",
        {"entries": [{"sku": "sku-0", "unit_price": "6.5"}, {"sku": "SKU-0", "min_quantity": 1000, "unit_price": 6}]},
    )
    assert entries.status_code == 200, entries.json()
    assert [(e["sku"], e["min_quantity"], e["unit_price"]) for e in entries.json()] == [
        ("SKU-0", 1, "6.50"),
        ("SKU-0", 1000, "6.00"),
    ]
    patched = api.patch(f"seller/price-lists/{body['id']}", {"priority": 50, "valid_until": None})
    assert (patched.status_code, patched.json()["priority"], patched.json()["entry_count"]) == (200, 50, 2)

    listed = api.get("seller/price-lists", {"organization": supplier.pk}).json()["items"]
    assert [p["name"] for p in listed] == ["Distributors", "Acme 2026", "Beta"]

    buyers = put(api, f"seller/price-lists/{body['id']}/buyers", {"buyers": [trade["beta"].pk]})
    assert [b["slug"] for b in buyers.json()] == [trade["beta"].slug]
    assert api.delete(f"seller/price-lists/{body['id']}").status_code == 204
    assert api.get(f"seller/price-lists/{body['id']}").status_code == 404


def test_price_list_errors_are_clear(client, trade):
    supplier, api = trade["supplier"], api_as(client, trade["supplier"].owner)
    list_id = trade["contract"].pk
    duplicate = api.post("seller/price-lists", {"organization": supplier.pk, "name": "Acme 2026"})
    assert_error(duplicate, 409, "price_list_name_taken", "name")
    unknown = put(api, f"seller/price-lists/{list_id}/entries", {"entries": [{"sku": "NOPE", "unit_price": "1"}]})
    assert_error(unknown, 400, "unknown_sku", "entries.0")
    twice = put(
        api,
        f"seller/price-lists/{list_id}/entries",
        {"entries": [{"sku": "SKU-0", "unit_price": "1"}, {"variant_id": trade["adc"].pk, "unit_price": "2"}]},
    )
    assert_error(twice, 400, "duplicate_entry", "entries.1")
    company = put(api, f"seller/price-lists/{list_id}/buyers", {"buyers": ["no-such-company"]})
    assert_error(company, 400, "unknown_company", "buyers")
    window = api.patch(
        f"seller/price-lists/{list_id}", {"valid_from": "2030-01-02T00:00:00Z", "valid_until": "2030-01-01T00:00:00Z"}
    )
    assert_error(window, 400, "invalid", "valid_until")
    usd = api.patch(f"seller/price-lists/{list_id}", {"currency": "USD"})
    assert_error(usd, 400, "currency_mismatch", "currency")
    assert (
        api.post("seller/price-lists", {"organization": supplier.pk, "name": "x", "priority": 9999}).status_code == 422
    )
    # what was refused changed nothing
    assert api.get(f"seller/price-lists/{list_id}").json()["entry_count"] == 2


def test_another_sellers_price_list_answers_404(client, trade):
    other = api_as(client, trade["other"].owner)
    list_id = trade["contract"].pk
    for response in (
        other.get(f"seller/price-lists/{list_id}"),
        other.patch(f"seller/price-lists/{list_id}", {"priority": 1}),
        other.delete(f"seller/price-lists/{list_id}"),
        other.get(f"seller/price-lists/{list_id}/entries"),
        put(other, f"seller/price-lists/{list_id}/entries", {"entries": []}),
        put(other, f"seller/price-lists/{list_id}/buyers", {"buyers": []}),
        other.get(f"seller/products/{trade['adc'].product_id}/tiers"),
    ):
        assert response.status_code == 404, response.json()
    assert other.get("seller/price-lists", {"organization": trade["supplier"].pk}).status_code == 404
    staff = api_as(client, factories.member(trade["supplier"], "support"))
    assert staff.get(f"seller/price-lists/{list_id}").status_code == 403


def test_a_buyer_reads_the_lists_given_to_their_company(client, trade):
    api = api_as(client, trade["purchaser"])
    lists = api.get("price-lists").json()["items"]
    assert [(p["name"], p["seller"]["name"], p["entry_count"]) for p in lists] == [("Acme 2026", "Sino Semis", 2)]
    entries = api.get(f"price-lists/{lists[0]['id']}/entries").json()["items"]
    assert [(e["min_quantity"], e["unit_price"]) for e in entries] == [(1, "9.50"), (200, "8.50")]
    assert api.get(f"price-lists/{trade['beta_list'].pk}").status_code == 404  # Beta's, not Acme's
    assert api.get(f"price-lists/{trade['beta_list'].pk}/entries").status_code == 404
    assert api_as(client, trade["consumer"]).get("price-lists").json()["items"] == []
    assert api_as(client).get("price-lists").status_code == 401


def test_seller_edits_tiers_and_the_order_rule(client, trade):
    api = api_as(client, trade["supplier"].owner)
    product_id, variant_id = trade["adc"].product_id, trade["adc"].pk
    path = f"seller/products/{product_id}/variants/{variant_id}/tiers"
    saved = put(api, path, {"tiers": [{"min_quantity": 100, "unit_price": "9"}], "min_quantity": 50, "multiple": 10})
    assert saved.status_code == 200, saved.json()
    assert saved.json() | {"tiers": None} == {
        "variant_id": variant_id,
        "sku": "SKU-0",
        "currency": "CNY",
        "list_price": "10.00",
        "min_quantity": 50,
        "multiple": 10,
        "tiers": None,
    }
    assert saved.json()["tiers"] == [{"currency": "CNY", "min_quantity": 100, "unit_price": "9.00"}]
    listed = api.get(f"seller/products/{product_id}/tiers").json()
    assert [(v["min_quantity"], v["multiple"], len(v["tiers"])) for v in listed] == [(50, 10, 1)]

    assert_error(
        put(api, path, {"tiers": [], "min_quantity": 45, "multiple": 10}), 400, "bad_order_rule", "min_quantity"
    )
    twice = put(
        api, path, {"tiers": [{"min_quantity": 100, "unit_price": "9"}, {"min_quantity": 100, "unit_price": "8"}]}
    )
    assert_error(twice, 400, "duplicate_entry", "tiers.1.min_quantity")
    assert put(api, path, {"tiers": [{"min_quantity": 1, "unit_price": "9"}]}).status_code == 422
    assert put(api, path, {"tiers": [{"min_quantity": 5, "unit_price": "-1"}]}).status_code == 422
    # refused saves changed nothing
    assert api.get(f"seller/products/{product_id}/tiers").json() == listed


def test_product_detail_shows_tiers_the_rule_and_the_contract_price(client, trade):
    from tradeloop.pricing import services as pricing

    supplier, adc = trade["supplier"], trade["adc"]
    pricing.set_order_rule(actor=supplier.owner, seller=supplier, variant_id=adc.pk, min_quantity=50, multiple=10)
    guest = api_as(client).get(f"products/{adc.product_id}").json()["pricing"][0]
    assert (guest["min_quantity"], guest["multiple"], guest["rule"]) == (
        50,
        10,
        "Minimum order is 50, in multiples of 10.",
    )
    assert [(t["min_quantity"], t["max_quantity"], t["unit_price"], t["source"]) for t in guest["tiers"]] == [
        (50, 99, "10.00", "list"),
        (100, 499, "9.00", "tier"),
        (500, None, "8.00", "tier"),
    ]
    assert (guest["contract_price"], guest["contract_tiers"]) == (None, [])

    member = api_as(client, trade["purchaser"]).get(f"products/{adc.product_id}").json()["pricing"][0]
    assert (member["contract_price"], member["price_list"]) == ("9.50", "Acme 2026")
    assert [(t["min_quantity"], t["max_quantity"], t["unit_price"]) for t in member["contract_tiers"]] == [
        (50, 199, "9.50"),
        (200, None, "8.50"),
    ]
    client.force_login(trade["purchaser"])  # the web session counts as well
    assert client.get(f"/api/v1/products/{adc.product_id}").json()["pricing"][0]["contract_price"] == "9.50"


def test_query_budgets(client, trade, django_assert_max_num_queries):
    supplier = trade["supplier"]
    for i in range(12):
        factories.published_product(supplier, title=f"Part {i}")
    from tradeloop.pricing import services as pricing

    for i in range(15):
        price_list = pricing.create_price_list(
            actor=supplier.owner, seller=supplier, data=pricing.PriceListInput(name=f"List {i}", currency="CNY")
        )
        pricing.set_buyers(
            actor=supplier.owner,
            seller=supplier,
            price_list_id=price_list.pk,
            buyers=[trade["acme"].pk, trade["beta"].pk],
        )
    seller, buyer = api_as(client, supplier.owner), api_as(client, trade["purchaser"])
    with django_assert_max_num_queries(8):
        assert len(seller.get("seller/price-lists", {"organization": supplier.pk}).json()["items"]) == 17
    with django_assert_max_num_queries(6):
        assert len(buyer.get("price-lists").json()["items"]) == 16
    with django_assert_max_num_queries(6):
        assert len(buyer.get(f"price-lists/{trade['contract'].pk}/entries").json()["items"]) == 2
    with django_assert_max_num_queries(8):
        assert buyer.get(f"products/{trade['adc'].product_id}").status_code == 200
    with django_assert_max_num_queries(8):
        assert seller.get(f"seller/products/{trade['adc'].product_id}/tiers").status_code == 200
