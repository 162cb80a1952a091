from tests import factories
from tests.promotions.conftest import cny, line


def test_percent(quote, merchant, apples, pears):
    factories.promotion(merchant, value=10)
    b = quote([line(apples, 2), line(pears, 1)], shipping="8")
    assert b.subtotal == cny(250)
    assert b.discount_total == cny(25)
    assert b.total == cny(233)
    print(b)
