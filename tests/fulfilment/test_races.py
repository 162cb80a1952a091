"""Concurrent staff on PostgreSQL: two people shipping the same units, or a buyer double-submitting a return, never
ship or claim more than was ordered."""

import pytest

from tests import factories
from tests.races import RACERS, race
from tradeloop.aftersales import services as aftersales
from tradeloop.aftersales.models import ReturnRequest
from tradeloop.fulfilment import services as fulfilment
from tradeloop.fulfilment.models import Shipment

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]  # keeps the seeded roles


def test_concurrent_shipping_never_ships_more_than_ordered():
    merchant = factories.seller_with_owner()
    order = factories.paid_order(seller=merchant)  # 2 units
    line_id = order.lines.get().pk

    outcomes = race(
        lambda i: fulfilment.ship(
            actor=merchant.owner, order=order, lines={line_id: 1}, carrier="SF", tracking_number=f"RACE{i}"
        )
    )
    assert outcomes.count("ok") == 2 and outcomes.count("conflict") == RACERS - 2
    assert order.lines.get().quantity_shipped == 2
    assert Shipment.objects.filter(order=order).count() == 2
    order.refresh_from_db()
    assert order.state == "shipped"


def test_concurrent_return_requests_never_claim_more_than_bought():
    order = factories.delivered_order()  # 2 units
    line_id = order.lines.get().pk

    outcomes = race(lambda i: aftersales.request_return(actor=order.buyer, order=order, lines={line_id: 1}))
    assert outcomes.count("ok") == 2
    assert order.lines.get().quantity_returned == 2
    assert ReturnRequest.objects.filter(order=order).count() == 2
