"""Goods received against a purchase order the merchant placed as a buyer: partial receipts, never more than shipped
minus received (also under concurrent receipts on PostgreSQL), and the merchant's stock rises by received × pack."""

from decimal import Decimal

import pytest

from tests.api.conftest import assert_error
from tests.factories import approved_company, member, published_product, seller_with_owner
from tests.races import RACE_MARKS, RACERS, race
from tradeloop.checkout import purchases
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.fulfilment import services as fulfilment
from tradeloop.inventory import supply
from tradeloop.inventory.models import ReceiptLine, StockMovement
from tradeloop.inventory.services import default_warehouse
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order


def purchase(merchant, variant, quantity):
    """A B2B order the merchant's organization placed with the supplier, on net 30 (confirmed, not yet shipped)."""
    return orders.place_order(
        actor=merchant.owner,
        buyer=merchant.owner,
        buyer_org=merchant,
        seller=variant.product.seller,
        mode=Order.Mode.B2B,
        currency="CNY",
        lines=[orders.LineIn(variant, quantity, Decimal("10.00"))],
        payment_terms="net30",
    )


def ship(order, quantity):
    line = order.lines.get()
    return fulfilment.ship(
        actor=order.seller.owner, order=order, lines={line.pk: quantity}, carrier="SF", tracking_number="SF1"
    )


@pytest.fixture
def chain(db):
    supplier = seller_with_owner(kind="supplier", name="Acme Components")
    merchant = approved_company(seller_with_owner(name="Gadget Shop"))  # buys from suppliers on Net 30
    boxes = published_product(supplier, title="AD converter, box of 10", price="95.00", stock=100).variants.get()
    own = published_product(merchant, title="AD converter", price="12.00", stock=3).variants.get()
    source = supply.save_source(
        actor=merchant.owner, merchant=merchant, variant_id=own.pk, supplier_variant_id=boxes.pk, units_per_pack=10
    )
    order = purchase(merchant, boxes, 8)
    return {"supplier": supplier, "merchant": merchant, "boxes": boxes, "own": own, "source": source, "order": order}


def receive(chain, quantity, **kwargs):
    order = chain["order"]
    return purchases.receive(
        actor=kwargs.pop("actor", chain["merchant"].owner),
        merchant=chain["merchant"],
        order_id=order.pk,
        quantities={order.lines.get().pk: quantity},
        warehouse_id=default_warehouse(chain["merchant"]).pk,
        **kwargs,
    )


def test_partial_receipts_raise_stock_by_the_pack(chain):
    ship(chain["order"], 5)
    status, body = receive(chain, 2, reference="DN-1")
    assert status == 201 and body["lines"][0]["units"] == 20
    chain["own"].refresh_from_db()
    assert chain["own"].stock == 23
    receive(chain, 3)
    chain["own"].refresh_from_db()
    assert chain["own"].stock == 53
    movement = StockMovement.objects.filter(reason="received").order_by("id").first()
    assert movement.on_hand_delta == 20 and movement.receipt_line.quantity == 2 and movement.note == "DN-1"
    _, lines = purchases.purchase_order(
        actor=chain["merchant"].owner, merchant=chain["merchant"], order_id=chain["order"].pk
    )
    assert (lines[0].received, lines[0].to_receive) == (5, 0)


def test_more_than_shipped_minus_received_is_refused_and_adds_nothing(chain):
    ship(chain["order"], 4)
    receive(chain, 3)
    with pytest.raises(Conflict) as refused:
        receive(chain, 2)
    assert refused.value.code == "over_receipt" and "Only 1" in refused.value.message
    chain["own"].refresh_from_db()
    assert chain["own"].stock == 33 and ReceiptLine.objects.count() == 1


def test_nothing_shipped_nothing_to_receive(chain):
    with pytest.raises(Conflict) as refused:
        receive(chain, 1)
    assert refused.value.code == "not_receivable"


def test_a_line_without_a_supply_source_is_refused(chain):
    chain["source"].delete()
    ship(chain["order"], 2)
    with pytest.raises(ValidationFailed) as refused:
        receive(chain, 1)
    assert refused.value.code == "no_supply_source"


def test_zero_everywhere_is_refused(chain):
    ship(chain["order"], 2)
    with pytest.raises(ValidationFailed) as refused:
        receive(chain, 0)
    assert refused.value.code == "nothing_to_receive"


def test_only_the_buying_organization_receives(chain):
    ship(chain["order"], 2)
    stranger = seller_with_owner(name="Other Shop")
    with pytest.raises(NotFound):
        purchases.receive(
            actor=stranger.owner,
            merchant=stranger,
            order_id=chain["order"].pk,
            quantities={chain["order"].lines.get().pk: 1},
            warehouse_id=default_warehouse(stranger).pk,
        )
    support = member(chain["merchant"], "support")
    with pytest.raises(Exception) as denied:
        receive(chain, 1, actor=support)
    assert denied.value.status in (403, 404)


def test_an_idempotency_key_receives_once(chain):
    ship(chain["order"], 5)
    first = receive(chain, 2, key="rcv-1")
    again = receive(chain, 2, key="rcv-1")
    assert first == again and ReceiptLine.objects.count() == 1


# ---------- API ----------


def test_api_purchases_and_receipts(chain, api_as, django_assert_max_num_queries):
    merchant = chain["merchant"]
    api = api_as(merchant.owner)
    for _ in range(3):
        purchase(merchant, chain["boxes"], 1)
    with django_assert_max_num_queries(10):
        listed = api.get("seller/purchases", {"organization": merchant.pk})
    assert listed.status_code == 200, listed.content
    items = listed.json()["items"]
    assert len(items) == 4 and items[-1]["number"] == chain["order"].number
    ship(chain["order"], 5)
    line_id = chain["order"].lines.get().pk
    body = {
        "organization": merchant.pk,
        "warehouse_id": default_warehouse(merchant).pk,
        "lines": [{"line_id": line_id, "quantity": 4}],
    }
    path = f"seller/purchases/{chain['order'].pk}/receipts"
    made = api.post(path, body, HTTP_IDEMPOTENCY_KEY="r1")
    assert made.status_code == 201, made.content
    assert made.json()["lines"][0] == {
        "line_id": line_id,
        "supplier_variant_id": chain["boxes"].pk,
        "variant_id": chain["own"].pk,
        "quantity": 4,
        "units": 40,
    }
    assert api.post(path, body, HTTP_IDEMPOTENCY_KEY="r1").json() == made.json()
    assert_error(api.post(path, body), 409, "over_receipt", "lines.0.quantity")
    detail = api.get(f"seller/purchases/{chain['order'].pk}", {"organization": merchant.pk}).json()
    assert detail["lines"][0]["received"] == 4 and len(detail["receipts"]) == 1
    other = seller_with_owner(name="Other Shop")
    assert_error(api_as(other.owner).get(f"seller/purchases/{chain['order'].pk}", {"organization": other.pk}), 404)


# ---------- concurrent receipts (PostgreSQL, one connection per racer) ----------


@RACE_MARKS[0]
@RACE_MARKS[1]
def test_concurrent_receipts_never_exceed_what_shipped(chain):
    ship(chain["order"], 3)
    outcomes = race(lambda i: receive(chain, 1))
    assert outcomes.count("ok") == 3 and outcomes.count("over_receipt") == RACERS - 3, outcomes
    chain["own"].refresh_from_db()
    assert chain["own"].stock == 3 + 30
    assert ReceiptLine.objects.count() == 3


# ---------- console ----------


def test_console_purchases_list_and_receive_form(chain, client, django_assert_max_num_queries):
    merchant = chain["merchant"]
    client.force_login(merchant.owner)
    for _ in range(5):
        purchase(merchant, chain["boxes"], 1)
    with django_assert_max_num_queries(20):
        listed = client.get(f"/console/{merchant.pk}/purchases/")
    assert listed.status_code == 200 and chain["order"].number in listed.content.decode()
    ship(chain["order"], 5)
    url = f"/console/{merchant.pk}/purchases/{chain['order'].pk}/"
    page = client.get(url).content.decode()
    line_id = chain["order"].lines.get().pk
    assert f'name="line_{line_id}"' in page
    warehouse = default_warehouse(merchant).pk
    done = client.post(
        url, {"warehouse": warehouse, f"line_{line_id}": "2", "reference": "DN-7", "idempotency_key": "a"}
    )
    assert done.status_code == 302
    chain["own"].refresh_from_db()
    assert chain["own"].stock == 23
    over = client.post(url, {"warehouse": warehouse, f"line_{line_id}": "9", "idempotency_key": "b"})
    assert over.status_code == 409 and 'data-error-code="over_receipt"' in over.content.decode()


def test_console_links_a_line_to_own_product(chain, client):
    chain["source"].delete()
    merchant = chain["merchant"]
    client.force_login(merchant.owner)
    url = f"/console/{merchant.pk}/purchases/{chain['order'].pk}/"
    line_id = chain["order"].lines.get().pk
    assert "Link" in client.get(url).content.decode()
    done = client.post(url, {"action": "link", "line": line_id, "own_sku": chain["own"].sku, "units_per_pack": "10"})
    assert done.status_code == 302
    assert supply.sources(actor=merchant.owner, merchant=merchant)[0].units_per_pack == 10


def test_console_purchase_of_another_organization_is_404(chain, client):
    other = seller_with_owner(name="Other")
    client.force_login(other.owner)
    assert client.get(f"/console/{other.pk}/purchases/{chain['order'].pk}/").status_code == 404
