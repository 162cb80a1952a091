"""Each figure of the dashboard on a fixed scenario (tests/analytics/conftest.py), the rollup being idempotent, and the
clock moving across days."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.analytics.conftest import at
from tradeloop.analytics import rollups, selectors
from tradeloop.analytics.models import DailyProduct, DailySales
from tradeloop.core.errors import PermissionDenied, ValidationFailed

NOV10, NOV11 = date(2026, 11, 10), date(2026, 11, 11)


def _report(merchant, start, end, compare=True):
    period = selectors.parse_period(start=start.isoformat(), end=end.isoformat())
    return selectors.report(actor=merchant.owner, seller=merchant, period=period, compare=compare)


def _rows(**filters):
    return sorted(
        DailySales.objects.filter(**filters).values_list(
            "day",
            "seller_id",
            "currency",
            "orders",
            "gmv",
            "units",
            "new_customers",
            "repeat_orders",
            "refunds",
            "refunded",
            "visits",
            "visitors",
            "by_mode",
        ),
        key=str,
    )


def test_the_sweep_rolls_up_each_day_since_the_first_order(scenario, clock):
    merchant = scenario["merchant"]
    assert rollups.sweep_rollups(clock.now()) >= 2
    tenth = DailySales.objects.get(seller=merchant, day=NOV10)
    assert (tenth.orders, tenth.gmv, tenth.units, tenth.new_customers, tenth.repeat_orders) == (
        2,
        Decimal("65.00"),
        3,
        2,
        0,
    )
    assert (tenth.visits, tenth.visitors, tenth.refunds) == (4, 3, 0)
    eleventh = DailySales.objects.get(seller=merchant, day=NOV11)
    assert (eleventh.orders, eleventh.gmv, eleventh.repeat_orders) == (1, Decimal("22.50"), 1)
    assert (eleventh.refunds, eleventh.refunded) == (1, Decimal("10.00"))
    assert (eleventh.visits, eleventh.visitors) == (2, 1)
    assert eleventh.by_mode == {"b2c": [1, "22.5000"]}
    platform = DailySales.objects.get(seller__isnull=True, day=NOV10, currency="CNY")
    assert (platform.orders, platform.gmv) == (2, Decimal("65.00"))


def test_the_rollup_is_idempotent(scenario, clock):
    rollups.sweep_rollups(clock.now())
    first, products = _rows(), sorted(DailyProduct.objects.values_list("day", "product_id", "units", "revenue"))
    rollups.sweep_rollups(clock.now())
    rollups.refresh_day(NOV10)
    assert _rows() == first
    assert sorted(DailyProduct.objects.values_list("day", "product_id", "units", "revenue")) == products


def test_every_figure_of_the_period(scenario, clock):
    merchant = scenario["merchant"]
    rollups.sweep_rollups(clock.now())
    report = _report(merchant, NOV10, NOV11)
    t = report.totals
    assert (t.orders, t.gmv, t.units) == (3, Decimal("87.50"), 4)
    assert t.aov == Decimal("87.50") / 3
    assert t.visitors == 4 and t.visits == 6
    assert t.conversion == Decimal("75.0")  # 3 orders / 4 visitors
    assert t.repeat_rate == Decimal("33.3")  # Amy's second order
    assert (t.refunds, t.refunded, t.refund_rate) == (1, Decimal("10.00"), Decimal("11.4"))
    assert [(p.day, p.orders, p.gmv) for p in report.series] == [
        (NOV10, 2, Decimal("65.00")),
        (NOV11, 1, Decimal("22.50")),
    ]
    top = report.top_products
    assert [(p.title, p.units, str(p.revenue.amount)) for p in top] == [("Longjing", 3, "37.50"), ("Pu'er", 1, "20.00")]
    assert t.by_mode == {"b2c": (3, Decimal("87.50"))}


def test_the_previous_period_and_the_change(scenario, clock):
    merchant = scenario["merchant"]
    rollups.sweep_rollups(clock.now())
    report = _report(merchant, NOV11, NOV11)
    assert report.period.previous.start == NOV10
    assert report.previous.orders == 2 and report.totals.orders == 1
    assert report.deltas["orders"] == Decimal("-50.0")
    assert report.deltas["gmv"] == Decimal("-65.4")  # 22.50 against 65.00
    nothing_before = _report(merchant, NOV10, NOV10)
    assert nothing_before.deltas["orders"] is None  # nothing to compare with


def test_today_is_live_and_moves_into_the_rollup_after_midnight(scenario, clock):
    merchant, longjing = scenario["merchant"], scenario["longjing"]
    rollups.sweep_rollups(clock.now())
    from tests import factories

    clock.travel(at(12, 11))
    factories.paid_order(seller=merchant, items=[(longjing.variants.get(), 1)])
    today = _report(merchant, date(2026, 11, 12), date(2026, 11, 12), compare=False)
    assert today.totals.orders == 1 and today.totals.gmv == Decimal("22.50")  # live, not rolled up yet
    assert not DailySales.objects.filter(seller=merchant, day=date(2026, 11, 12)).exists()
    clock.travel(at(13, 0) + timedelta(minutes=5))
    rollups.sweep_rollups(clock.now())
    assert DailySales.objects.get(seller=merchant, day=date(2026, 11, 12)).orders == 1
    week = selectors.report(actor=merchant.owner, seller=merchant, period=selectors.parse_period(days=7), compare=False)
    assert week.period.end == date(2026, 11, 13)
    assert week.totals.orders == 4


def test_a_day_is_a_shanghai_day(scenario, clock, merchant):
    """An order at 23:30 Shanghai time counts on that day, not on the next UTC day."""
    from tests import factories

    clock.travel(at(20, 23) + timedelta(minutes=30))
    factories.paid_order(seller=merchant, items=[(scenario["longjing"].variants.get(), 1)])
    clock.travel(at(21, 12))
    rollups.sweep_rollups(clock.now())
    assert DailySales.objects.get(seller=merchant, day=date(2026, 11, 20)).orders == 1
    assert not DailySales.objects.filter(seller=merchant, day=date(2026, 11, 21)).exists()


def test_another_tenant_and_a_role_without_orders_view_are_refused(scenario):
    from tests import factories
    from tradeloop.core.errors import NotFound

    merchant = scenario["merchant"]
    period = selectors.parse_period(days=7)
    with pytest.raises(NotFound):
        selectors.report(actor=factories.UserFactory(), seller=merchant, period=period)
    catalog_only = factories.member(merchant, "catalog")
    with pytest.raises(PermissionDenied):
        selectors.report(actor=catalog_only, seller=merchant, period=period)
    with pytest.raises(PermissionDenied):  # the platform is for staff
        selectors.report(actor=merchant.owner, seller=None, period=period)


@pytest.mark.parametrize(
    "wanted, field",
    [
        ({"start": "2026-11-10", "end": "2026-11-01"}, "to"),
        ({"start": "2025-01-01", "end": "2026-11-01"}, "to"),
        ({"start": "10/11/2026"}, "from"),
        ({"start": "2026-11-01", "end": "tomorrow"}, "to"),
        ({"days": "14"}, "days"),
        ({"days": "x"}, "days"),
        ({"end": "2026-11-01"}, "from"),
    ],
)
def test_bad_periods(wanted, field):
    with pytest.raises(ValidationFailed) as caught:
        selectors.parse_period(today=date(2026, 11, 12), **wanted)
    assert caught.value.code == "bad_period" and caught.value.field == field


def test_presets_end_today():
    period = selectors.parse_period(days="7", today=date(2026, 11, 12))
    assert (period.start, period.end, period.days, period.preset) == (date(2026, 11, 6), date(2026, 11, 12), 7, 7)
    assert period.previous.end == date(2026, 11, 5) and period.previous.days == 7
