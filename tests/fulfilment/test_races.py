"""Concurrent staff on PostgreSQL: two people shipping the same units, or a buyer double-submitting a return, never
ship or claim more than was ordered."""

from tests import factories
from tests.races import RACE_MARKS, RACERS, race
from tradeloop.aftersales import services as aftersales
from tradeloop.aftersales.models import ReturnRequest
from tradeloop.fulfilment import services as fulfilment
from tradeloop.fulfilment.models import Shipment

pytestmark = RACE_MARKS


def test_concurrent_shipping_never_ships_more_than_ordered():
    merchant = factories.seller_with_owner()
    order = factories.paid_order(seller=merchant)  # 2 units
    line_id = order.lines.get().pk

    outcomes = race(
        lambda i: fulfilment.ship(
            actor=merchant.owner, order=order, lines={line_id: 1}, carrier="SF", tracking_number=f"RACE{i}"
        )
    )
    refused = [o for o in outcomes if o != "ok"]  # each a Conflict: shipped out, or over the ordered units
    assert outcomes.count("ok") == 2 and len(refused) == RACERS - 2
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
