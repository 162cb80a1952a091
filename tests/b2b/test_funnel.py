"""The supplier's inquiry funnel: received, quoted, won, lost, expired, conversion, median first response, value won,
by week or month (each inquiry in the period it arrived), on the console and in the API."""
# ruff: noqa: F811 - the fixtures imported from tests.b2b.quoting are arguments of the tests

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.b2b.quoting import category, company, purchaser, rfq_in, sku, supplier, terms  # noqa: F401
from tradeloop.b2b import funnel, quotes, rfqs
from tradeloop.core.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(purchaser, company, supplier, sku, category, clock):
    """Five inquiries: won (answered after 2 h), declined (4 h), expired (6 h), one unanswered, one still open."""
    outcomes = []
    for hours, end in ((2, "won"), (4, "declined"), (6, "expired"), (None, None), (1, "open")):
        rfq = rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=category))
        if hours is None:
            continue
        clock.advance(hours=hours)
        valid = clock.now() + timedelta(hours=1) if end == "expired" else None
        q = quotes.submit_quote(
            actor=supplier.owner, rfq_id=rfq.pk, supplier=supplier, draft=terms(sku, price="10.00", valid_until=valid)
        )
        if end == "won":
            quotes.accept(actor=purchaser, quote_id=q.pk, version=1)
        elif end == "declined":
            quotes.decline(actor=purchaser, quote_id=q.pk, version=1)
        outcomes.append(q)
    clock.advance(hours=2)
    from tradeloop.negotiation.services import sweep_expired

    sweep_expired(clock.now())
    return outcomes


def test_the_numbers(history, supplier):
    f = funnel.supplier_funnel(supplier.owner, supplier, period="month", periods=3)
    t = f.totals
    assert (t.received, t.quoted, t.won, t.lost, t.expired, t.open) == (5, 4, 1, 1, 1, 1)
    assert t.conversion == Decimal("20.0") and f.quote_rate == Decimal("80.0")
    assert f.win_rate == Decimal("33.3")  # 1 of 3 decided
    assert abs(f.median_first_response - timedelta(hours=3)) < timedelta(seconds=1)  # 1, 2, 4, 6 h
    assert [(m.amount, m.currency) for m in f.value_won] == [(Decimal("5040.0000"), "CNY")]  # 500 × 10 + 40
    assert len(f.buckets) == 3 and f.buckets[-1].received == 5


def test_by_week_and_periods_move_with_the_clock(history, supplier, clock):
    clock.advance(days=14)
    f = funnel.supplier_funnel(supplier.owner, supplier, period="week", periods=4)
    assert [b.received for b in f.buckets][-1] == 0 and sum(b.received for b in f.buckets) == 5
    assert f.buckets[0].label.startswith("Week")


def test_who_sees_the_funnel(history, supplier):
    with pytest.raises(NotFound):
        funnel.supplier_funnel(factories.UserFactory(), supplier)
    with pytest.raises(PermissionDenied):
        funnel.supplier_funnel(factories.member(supplier, "catalog"), supplier)
    other = factories.seller_with_owner(kind="supplier")
    assert funnel.supplier_funnel(other.owner, other).totals.received == 0


def test_the_console_page_and_the_api(client, history, supplier, django_assert_max_num_queries):
    client.force_login(supplier.owner)
    with django_assert_max_num_queries(25):
        page = client.get(f"/console/{supplier.pk}/quotes/funnel/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "20.0 %" in html
    assert client.get(f"/console/{supplier.pk}/quotes/funnel/?period=week").status_code == 200
    with django_assert_max_num_queries(12):
        api = client.get(f"/api/v1/seller/quotes/funnel?organization={supplier.pk}&period=month&periods=2")
    body = api.json()
    assert body["totals"]["won"] == 1 and body["median_first_response_seconds"] == 3 * 3600
    assert body["totals"]["value_won"] == [{"amount": "5040.0000", "currency": "CNY"}]
    other = factories.seller_with_owner(kind="supplier")
    client.force_login(other.owner)
    assert client.get(f"/api/v1/seller/quotes/funnel?organization={supplier.pk}").status_code == 404
