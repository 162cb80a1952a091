"""The stock endpoints live in inventory: the simple table per variant (seller/stock) beside the warehouse rows."""

from datetime import timedelta

import pytest

from tests.api.conftest import assert_error
from tests.factories import published_product, seller_with_owner
from tradeloop.core import clock
from tradeloop.inventory import services as inventory
from tradeloop.inventory.models import StockMovement


@pytest.mark.django_db
def test_a_stock_count_answers_with_the_rows_levels(merchant, owner_api):
    variant = published_product(merchant, stock=10).variants.get()
    inventory.reserve(variant=variant, quantity=3, ref="order-line:1", until=clock.now() + timedelta(minutes=15))

    row = owner_api.patch(f"seller/stock/{variant.pk}", {"stock": 5}).json()

    assert (row["variant_id"], row["stock"], row["on_hand"], row["reserved"]) == (variant.pk, 5, 8, 3)
    movement = StockMovement.objects.filter(reason=StockMovement.Reason.COUNT, actor=merchant.owner).get()
    assert movement.on_hand_delta == -2


@pytest.mark.django_db
def test_the_variant_path_does_not_take_the_warehouse_paths(merchant, owner_api):
    variant = published_product(merchant, stock=4).variants.get()

    levels = owner_api.get("seller/stock/levels", {"organization": merchant.pk})
    assert levels.status_code == 200, levels.content
    assert [(r["variant_id"], r["on_hand"]) for r in levels.json()["items"]] == [(variant.pk, 4)]
    stock_id = levels.json()["items"][0]["id"]
    added = owner_api.post("seller/stock/adjustments", {"stock_id": stock_id, "delta": 2, "reason": "received"})
    assert added.status_code == 201, added.content
    assert owner_api.get("seller/stock", {"organization": merchant.pk}).json()["items"][0]["stock"] == 6
    assert_error(owner_api.patch("seller/stock/levels", {"stock": 1}), 405)


@pytest.mark.django_db
def test_an_unknown_variant_is_404_and_nothing_changes(merchant, owner_api):
    variant = published_product(merchant, stock=4).variants.get()
    movements = StockMovement.objects.count()

    assert_error(owner_api.patch(f"seller/stock/{variant.pk + 1000}", {"stock": 1}), 404, "not_found", "variant")
    variant.refresh_from_db()
    assert (variant.stock, StockMovement.objects.count()) == (4, movements)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["seller/stock", "seller/stock/levels", "seller/warehouses", "seller/orders"])
def test_a_buying_organization_has_no_stock_nor_order_desk(api_as, path):
    company = seller_with_owner(kind="buyer_company")

    assert_error(api_as(company.owner).get(path, {"organization": company.pk}), 400, "invalid", "organization")
