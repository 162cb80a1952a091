"""The demo's month of visits: every seller's Analytics page has visitors and drawn charts; loading twice adds none."""

from tests import factories
from tradeloop.analytics import selectors
from tradeloop.analytics.models import DailySales, VisitCount
from tradeloop.demo import analytics as demo_analytics


def test_the_demo_fills_the_visits_and_rollups(merchant):
    factories.published_product(merchant, title="Longjing")
    demo_analytics.load([merchant])
    rows = VisitCount.objects.count()
    assert rows == 2 * demo_analytics.DAYS  # the store page and the product, every day
    assert DailySales.objects.filter(seller=merchant).count() == demo_analytics.DAYS
    report = selectors.report(actor=merchant.owner, seller=merchant, period=selectors.parse_period(days=30))
    assert report.totals.visitors > 0 and sum(1 for p in report.series if p.visitors) == 29
    demo_analytics.load([merchant])
    assert VisitCount.objects.count() == rows
