from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests import factories
from tradeloop.analytics import rollups, visits
from tradeloop.orders import services as orders

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _own_spool(settings, tmp_path):
    """Each test buffers its visits in its own folder (with Redis, the cache fixture clears the hash)."""
    settings.ANALYTICS_SPOOL_DIR = tmp_path / "visits"


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def flush() -> int:
    return visits.flush(grace=0)


@pytest.fixture
def merchant(db):
    return factories.seller_with_owner(kind="merchant", name="Jade Teas")


@pytest.fixture
def scenario(merchant, clock):
    """Jade Teas in November 2026 (Shanghai days):
    Nov 10: Amy buys 2 × Longjing (12.50 + 10 shipping = 35.00); Ben buys 1 × Pu'er (20.00 + 10 = 30.00).
    Nov 11: Amy buys again 1 × Longjing (12.50 + 10 = 22.50) — a repeat order; Ben's order of the 10th is refunded
            10.00 on the 11th. One order placed and never paid (not counted).
    Visits: 4 views of Longjing by 3 visitors on the 10th, 2 views of the store by 1 visitor on the 11th."""
    clock.travel(at(1))
    longjing = factories.published_product(merchant, title="Longjing", price="12.50", stock=50)
    puer = factories.published_product(merchant, title="Pu'er", price="20.00", stock=50)
    amy, ben, cai = factories.UserFactory(), factories.UserFactory(), factories.UserFactory()
    clock.travel(at(10, 9))
    first = factories.paid_order(seller=merchant, buyer=amy, items=[(longjing.variants.get(), 2)])
    clock.travel(at(10, 15))
    bens = factories.paid_order(seller=merchant, buyer=ben, items=[(puer.variants.get(), 1)])
    clock.travel(at(11, 8))
    again = factories.paid_order(seller=merchant, buyer=amy, items=[(longjing.variants.get(), 1)])
    orders.refund(order=bens, amount="10.00", ref="goodwill", reason="late")
    orders.place_order(
        actor=cai,
        buyer=cai,
        seller=merchant,
        mode="b2c",
        currency="CNY",
        lines=[orders.LineIn(puer.variants.get(), 1, puer.variants.get().price)],
        adjustments=[],
        commission_rate=0,
        shipping_method="Standard",
        shipping_address={"name": "Cai", "line1": "1 Road", "city": "Nanjing"},
    )
    from tradeloop.analytics.models import VisitCount

    VisitCount.objects.create(
        day=at(10).date(), kind="product", object_id=longjing.pk, seller=merchant, views=4, visitors=3
    )
    VisitCount.objects.create(
        day=at(11).date(), kind="store", object_id=merchant.pk, seller=merchant, views=2, visitors=1
    )
    clock.travel(at(12, 1))
    return {
        "merchant": merchant,
        "longjing": longjing,
        "puer": puer,
        "orders": (first, bens, again),
        "rollups": rollups,
    }
