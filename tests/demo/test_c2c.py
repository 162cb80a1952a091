"""The demo's C2C marketplace is there to try: listings on sale, an open offer thread waiting on the buyer, money in
escrow, a dispute, a completed and rated sale, an expired listing."""

import pytest

from tradeloop.c2c.models import Dispute, Escrow, Listing, Rating
from tradeloop.demo import content, loader
from tradeloop.negotiation.models import Negotiation
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db


def test_the_demo_holds_c2c_trades_in_every_state_and_loading_again_adds_nothing(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    loader.load()
    loader.load()
    buyer_orders = Order.objects.filter(buyer__email=content.CONSUMER.email, mode="c2c")
    assert buyer_orders.count() == 3
    states = dict(Escrow.objects.filter(order__in=buyer_orders).values_list("order__lines__sku", "state"))
    assert states == {"LN-EF50": "held", "ZM-FOLD": "disputed", "ZM-PYBOOKS": "released"}
    assert Escrow.objects.get(order__lines__sku="LN-EF50").confirm_by is not None  # the clock runs
    assert Dispute.objects.get().state == Dispute.State.AWAITING_SELLER
    assert Rating.objects.filter(order__lines__sku="ZM-PYBOOKS").count() == 2

    thread = Negotiation.objects.get(kind=Negotiation.Kind.OFFER)
    assert (thread.state, thread.current_version) == (Negotiation.State.OPEN, 2)  # the buyer's turn

    listing_states = dict(Listing.objects.values_list("product__variants__sku", "state"))
    assert listing_states["LN-3BODY"] == Listing.State.EXPIRED
    assert listing_states["LN-XT3"] == listing_states["ZM-BIKE"] == Listing.State.ACTIVE
    assert listing_states["LN-EF50"] == Listing.State.SOLD
