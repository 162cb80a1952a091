"""Requisition lists: resolved lines saved under a name, opened with today's prices, put into the cart, deleted."""

import json
from decimal import Decimal

import pytest

from tests.api.conftest import assert_error
from tests.checkout.conftest import stocked
from tests.factories import UserFactory
from tradeloop.catalog.models import Variant
from tradeloop.checkout import requisitions
from tradeloop.checkout.models import CartItem, RequisitionList
from tradeloop.core.errors import Conflict, NotFound


def save(buyer, goods, name="Monthly parts"):
    return requisitions.save_list(
        actor=buyer,
        name=name,
        lines=[requisitions.LineIn(goods["adc"].pk, 50), requisitions.LineIn(goods["dac"].pk, 2)],
    )


def test_saved_lines_open_with_todays_prices(goods, buyer):
    saved = save(buyer, goods)
    Variant.objects.filter(pk=goods["adc"].pk).update(price=Decimal("9.00"))
    found, resolution = requisitions.opened(buyer, saved.pk)
    assert found.name == "Monthly parts"
    assert [(line.sku, line.quantity, line.unit_price.amount) for line in resolution.lines] == [
        ("AD-24", 50, Decimal("9.00")),
        ("DA-16", 2, Decimal("4.50")),
    ]


def test_names_are_unique_per_buyer_and_lists_are_private(goods, buyer):
    saved = save(buyer, goods)
    with pytest.raises(Conflict):
        save(buyer, goods)
    stranger = UserFactory()
    save(stranger, goods)  # the same name for someone else is fine
    with pytest.raises(NotFound):
        requisitions.opened(stranger, saved.pk)
    with pytest.raises(NotFound):
        requisitions.delete_list(actor=stranger, list_id=saved.pk)


def test_add_to_cart_puts_the_orderable_lines_and_reports_the_others(goods, buyer):
    saved = save(buyer, goods)
    Variant.objects.filter(pk=goods["dac"].pk).update(is_active=False)
    items, skipped = requisitions.add_to_cart(actor=buyer, list_id=saved.pk)
    assert [i.variant_id for i in items] == [goods["adc"].pk]
    assert [line.error for line in skipped] == ["not_for_sale"]
    assert CartItem.objects.get().quantity == 50


def test_nothing_orderable_is_a_clear_conflict(goods, buyer):
    saved = save(buyer, goods)
    Variant.objects.filter(product__seller=goods["supplier"]).update(is_active=False)
    with pytest.raises(Conflict) as refused:
        requisitions.add_to_cart(actor=buyer, list_id=saved.pk)
    assert refused.value.code == "nothing_to_add"


def test_opening_a_list_takes_the_same_queries_for_2_or_30_lines(goods, buyer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    short = save(buyer, goods, name="Short")
    variants = [stocked(goods["supplier"], title=f"Part {i}").variants.get() for i in range(30)]
    long = requisitions.save_list(actor=buyer, name="Long", lines=[requisitions.LineIn(v.pk, 1) for v in variants])
    requisitions.opened(buyer, short.pk)  # warm what pricing caches per buyer
    counts = []
    for found in (short, long):
        with CaptureQueriesContext(connection) as queries:
            _, resolution = requisitions.opened(buyer, found.pk)
        counts.append(len(queries))
    assert len(resolution.valid) == 30
    assert counts[1] <= counts[0] <= 10  # no query per line


# ---------- API ----------


def test_api_crud_and_add_to_cart(goods, api_as, buyer, django_assert_max_num_queries):
    api = api_as(buyer)
    lines = [{"variant_id": goods["adc"].pk, "quantity": 50}, {"variant_id": goods["dac"].pk, "quantity": 2}]
    created = api.post("requisition-lists", {"name": "Monthly parts", "lines": lines})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["name"], body["line_count"], body["total"]) == ("Monthly parts", 2, "509.00")
    list_id = body["id"]
    assert_error(api.post("requisition-lists", {"name": "Monthly parts", "lines": lines}), 409, "conflict", "name")
    with django_assert_max_num_queries(6):
        listed = api.get("requisition-lists")
    assert [(x["id"], x["line_count"]) for x in listed.json()] == [(list_id, 2)]
    assert api.get(f"requisition-lists/{list_id}").json()["lines"][0]["sku"] == "AD-24"
    renamed = api.client.put(
        api.url(f"requisition-lists/{list_id}"),
        json.dumps({"name": "Spares", "lines": [{"variant_id": goods["dac"].pk, "quantity": 3}]}),
        content_type="application/json",
        headers=api._headers(),
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Spares" and renamed.json()["line_count"] == 1
    added = api.post(f"requisition-lists/{list_id}/add-to-cart")
    assert added.status_code == 201, added.content
    assert (added.json()["added"], added.json()["cart"]["units"]) == (1, 3)
    assert api.delete(f"requisition-lists/{list_id}").status_code == 204
    assert_error(api.get(f"requisition-lists/{list_id}"), 404, "not_found")


def test_api_another_buyers_list_is_404(goods, api_as, buyer):
    saved = save(buyer, goods)
    other = api_as(UserFactory())
    assert_error(other.get(f"requisition-lists/{saved.pk}"), 404)
    assert_error(other.post(f"requisition-lists/{saved.pk}/add-to-cart"), 404)
    assert_error(other.delete(f"requisition-lists/{saved.pk}"), 404)
    assert RequisitionList.objects.filter(pk=saved.pk).exists()


def test_api_refuses_an_empty_name_and_unknown_variants(goods, api_as, buyer):
    api = api_as(buyer)
    assert_error(api.post("requisition-lists", {"name": " ", "lines": [{"variant_id": goods["adc"].pk}]}), 422)
    assert_error(api.post("requisition-lists", {"name": "x", "lines": [{"variant_id": 999999, "quantity": 1}]}), 404)


# ---------- pages ----------


def test_pages_save_list_open_add_and_delete(goods, client, buyer):
    client.force_login(buyer)
    saved = client.post("/quick-order/", {"text": "AD-24, 50\nNOPE, 1", "action": "save", "name": "Monthly"})
    assert saved.status_code == 302
    found = RequisitionList.objects.get(user=buyer)
    assert saved["Location"] == f"/account/requisition-lists/{found.pk}/"
    assert found.lines.count() == 1
    index = client.get("/account/requisition-lists/")
    assert index.status_code == 200 and "Monthly" in index.content.decode()
    page = client.get(f"/account/requisition-lists/{found.pk}/")
    assert page.status_code == 200 and "24-bit AD converter" in page.content.decode()
    added = client.post(f"/account/requisition-lists/{found.pk}/add-to-cart/")
    assert added["Location"] == "/cart/" and CartItem.objects.get().quantity == 50
    client.post(f"/account/requisition-lists/{found.pk}/delete/")
    assert not RequisitionList.objects.exists()


def test_pages_another_buyers_list_is_404(goods, client, buyer):
    saved = save(buyer, goods)
    client.force_login(UserFactory())
    assert client.get(f"/account/requisition-lists/{saved.pk}/").status_code == 404
    assert client.post(f"/account/requisition-lists/{saved.pk}/delete/").status_code == 404


def test_the_list_index_query_budget(goods, client, buyer, django_assert_max_num_queries):
    for i in range(20):
        save(buyer, goods, name=f"List {i}")
    client.force_login(buyer)
    with django_assert_max_num_queries(12):
        assert client.get("/account/requisition-lists/").status_code == 200
