from datetime import timedelta

import pytest

from tests.factories import member, published_product, seller_with_owner
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.inventory import services as inventory
from tradeloop.inventory.models import Reservation, Stock, StockMovement, Warehouse

Reason = StockMovement.Reason


@pytest.fixture
def variant(product):
    return product.variants.get()


def stock_of(variant, warehouse) -> Stock:
    return Stock.objects.get(variant=variant, warehouse=warehouse)


def available(variant) -> int:
    variant.refresh_from_db(fields=["stock"])
    return variant.stock


def second_warehouse(merchant, priority=20, name="Overflow"):
    return inventory.create_warehouse(actor=merchant.owner, seller=merchant, name=name, priority=priority)


def test_a_new_product_puts_its_stock_in_the_default_warehouse(merchant, variant):
    warehouse = inventory.default_warehouse(merchant)
    assert stock_of(variant, warehouse).on_hand == 10
    assert available(variant) == 10
    assert Warehouse.objects.filter(seller=merchant).count() == 1


def test_default_warehouse_is_created_once(merchant):
    assert inventory.default_warehouse(merchant) == inventory.default_warehouse(merchant)


def test_set_level_records_the_change_and_keeps_the_variant_in_step(merchant, variant):
    warehouse = second_warehouse(merchant)
    inventory.set_level(actor=merchant.owner, variant=variant, warehouse=warehouse, on_hand=7, reason=Reason.RECEIVED)
    assert available(variant) == 17
    movement = StockMovement.objects.filter(stock__warehouse=warehouse).get()
    assert (movement.on_hand_delta, movement.reason, movement.actor) == (7, Reason.RECEIVED, merchant.owner)


def test_adjust_needs_a_reason_and_cannot_go_below_zero(merchant, variant):
    stock = stock_of(variant, inventory.default_warehouse(merchant))
    with pytest.raises(ValidationFailed):
        inventory.adjust(actor=merchant.owner, stock_id=stock.pk, delta=-1, reason="")
    with pytest.raises(Conflict):
        inventory.adjust(actor=merchant.owner, stock_id=stock.pk, delta=-11, reason=Reason.DAMAGED)
    inventory.adjust(actor=merchant.owner, stock_id=stock.pk, delta=-3, reason=Reason.DAMAGED, note="dropped")
    assert available(variant) == 7
    assert stock.movements.first().note == "dropped"


def test_another_tenant_cannot_touch_my_stock(merchant, variant):
    stranger = seller_with_owner()
    stock = stock_of(variant, inventory.default_warehouse(merchant))
    with pytest.raises(NotFound):
        inventory.adjust(actor=stranger.owner, stock_id=stock.pk, delta=1, reason=Reason.COUNT)
    with pytest.raises(PermissionDenied):
        inventory.adjust(actor=member(merchant, "support"), stock_id=stock.pk, delta=1, reason=Reason.COUNT)


def test_reserve_takes_from_the_first_warehouse_that_can_fill_it(merchant, variant, clock):
    overflow = second_warehouse(merchant, priority=20)
    inventory.set_level(actor=None, variant=variant, warehouse=overflow, on_hand=50, reason=Reason.RECEIVED)
    main = inventory.default_warehouse(merchant)
    until = clock.now() + timedelta(minutes=15)
    [first] = inventory.reserve(variant=variant, quantity=8, ref="a", until=until)
    assert first.stock.warehouse == main  # main (priority 0) can fill 8
    [second] = inventory.reserve(variant=variant, quantity=5, ref="b", until=until)
    assert second.stock.warehouse == overflow  # main has 2 left: overflow fills all 5 on its own
    assert available(variant) == 60 - 13


def test_reserve_splits_in_priority_order_when_no_warehouse_can_fill_it(merchant, variant, clock):
    overflow = second_warehouse(merchant)
    inventory.set_level(actor=None, variant=variant, warehouse=overflow, on_hand=4, reason=Reason.RECEIVED)
    parts = inventory.reserve(variant=variant, quantity=12, ref="a", until=clock.now() + timedelta(minutes=1))
    assert [(p.stock.warehouse.code, p.quantity) for p in parts] == [("main", 10), (overflow.code, 2)]


def test_out_of_stock_reserves_nothing(merchant, variant, clock):
    with pytest.raises(inventory.OutOfStock) as caught:
        inventory.reserve(variant=variant, quantity=11, ref="a", until=clock.now())
    assert caught.value.code == "out_of_stock" and caught.value.field == "quantity"
    assert caught.value.available == 10
    assert not Reservation.objects.exists()
    assert available(variant) == 10


def test_commit_takes_units_off_hand_and_release_gives_them_back(merchant, variant, clock):
    until = clock.now() + timedelta(minutes=15)
    inventory.reserve(variant=variant, quantity=3, ref="paid", until=until)
    inventory.reserve(variant=variant, quantity=2, ref="abandoned", until=until)
    assert available(variant) == 5
    assert inventory.commit(ref="paid") == 3
    assert inventory.commit(ref="paid") == 0  # idempotent
    assert inventory.release(ref="abandoned") == 2
    stock = stock_of(variant, inventory.default_warehouse(merchant))
    assert (stock.on_hand, stock.reserved) == (7, 0)
    assert available(variant) == 7


def test_reserved_units_cannot_be_counted_away(merchant, variant, clock):
    inventory.reserve(variant=variant, quantity=4, ref="a", until=clock.now() + timedelta(minutes=15))
    with pytest.raises(Conflict):
        inventory.set_level(
            actor=merchant.owner,
            variant=variant,
            warehouse=inventory.default_warehouse(merchant),
            on_hand=3,
            reason=Reason.COUNT,
        )


def test_expired_reservations_are_released_by_the_sweep(merchant, variant, clock):
    inventory.reserve(variant=variant, quantity=10, ref="a", until=clock.now() + timedelta(minutes=15))
    variant.product.refresh_from_db()
    assert not variant.product.in_stock
    clock.advance(minutes=14)
    assert inventory.sweep_expired_reservations(clock.now()) == 0
    clock.advance(minutes=2)
    assert inventory.sweep_expired_reservations(clock.now()) == 1
    assert inventory.sweep_expired_reservations(clock.now()) == 0
    assert available(variant) == 10
    variant.product.refresh_from_db()
    assert variant.product.in_stock


def test_restock_returns_units_to_the_warehouse_they_came_from_once(merchant, variant, clock):
    main = inventory.default_warehouse(merchant)
    inventory.update_warehouse(actor=merchant.owner, warehouse_id=main.pk, priority=50)
    overflow = second_warehouse(merchant, priority=1, name="First")  # now the preferred warehouse
    inventory.set_level(actor=None, variant=variant, warehouse=overflow, on_hand=2, reason=Reason.RECEIVED)
    inventory.reserve(variant=variant, quantity=2, ref="order-line:1", until=clock.now() + timedelta(minutes=1))
    inventory.commit(ref="order-line:1")
    for _ in range(2):
        inventory.restock(variant=variant, quantity=1, ref="return:1", actor=None, source_ref="order-line:1")
    assert stock_of(variant, overflow).on_hand == 1
    assert available(variant) == 11


def test_a_deactivated_warehouse_is_not_for_sale(merchant, variant):
    overflow = second_warehouse(merchant)
    inventory.set_level(actor=None, variant=variant, warehouse=overflow, on_hand=5, reason=Reason.RECEIVED)
    inventory.update_warehouse(actor=merchant.owner, warehouse_id=overflow.pk, is_active=False)
    assert available(variant) == 10


def test_a_stock_count_is_a_movement_in_the_default_warehouse(merchant, variant):
    inventory.set_stock(actor=merchant.owner, variant_id=variant.pk, quantity=4)
    assert stock_of(variant, inventory.default_warehouse(merchant)).on_hand == 4
    assert StockMovement.objects.filter(reason=Reason.COUNT, on_hand_delta=-6).exists()


def test_import_levels_sets_many_variants_in_a_fixed_number_of_queries(merchant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    inventory.default_warehouse(merchant)

    def queries_to_import(count: int) -> int:
        products = [published_product(merchant, title=f"P{count}-{i}", stock=0) for i in range(count)]
        levels = {p.variants.get().pk: 3 for p in products}
        with CaptureQueriesContext(connection) as ctx:
            assert inventory.import_levels(seller=merchant, levels=levels) == count
        assert all(p.variants.get().stock == 3 for p in products)
        return len(ctx)

    assert queries_to_import(1) == queries_to_import(20)
