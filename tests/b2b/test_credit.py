"""Credit on payment terms: outstanding and available credit, the credit gate (also under many concurrent processes
on PostgreSQL), and that only an approved company buys on terms."""
# ruff: noqa: F811 - the fixtures imported from tests.b2b.buying are arguments of the tests

import multiprocessing
from decimal import Decimal

import pytest
from django.db import connections, transaction

from tests import factories
from tests.b2b.buying import adc, approved_company, company, operator, place, staff, supplier  # noqa: F401
from tests.races import RACE_MARKS
from tradeloop.b2b import companies, credit
from tradeloop.b2b.models import Company
from tradeloop.core.errors import Conflict
from tradeloop.core.money import Money
from tradeloop.orders import policies
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order

State = Order.State


def test_orders_on_credit_count_until_cancelled(company, adc):
    assert credit.outstanding(company) == Money(Decimal("0.00"), "CNY")
    first = place(company, company.owner, adc, quantity=30)  # 300.00, net30: confirmed
    place(company, company.owner, adc, quantity=20, terms="prepay")  # prepay orders use no credit
    assert first.state == State.CONFIRMED
    assert credit.outstanding(company).amount == Decimal("300.00")
    assert credit.available_credit(company).amount == Decimal("700.00")
    orders.cancel(order=first, actor=company.owner, reason="changed our mind")
    assert credit.available_credit(company).amount == Decimal("1000.00")


def test_an_order_over_the_available_credit_is_refused_and_nothing_is_placed(company, adc):
    place(company, company.owner, adc, quantity=60)  # 600 of 1000
    with pytest.raises(Conflict) as refused:
        place(company, company.owner, adc, quantity=41)  # 410 > 400 left
    assert refused.value.code == "credit_exceeded"
    assert "400.00" in refused.value.message
    assert Order.objects.count() == 1
    assert place(company, company.owner, adc, quantity=40).state == State.CONFIRMED  # exactly the rest fits


def test_a_pending_or_rejected_company_cannot_buy_on_terms(operator, adc):
    pending = companies.register_company(actor=factories.UserFactory(), name="Gamma GmbH")
    owner = pending.organization.memberships.get().user
    with pytest.raises(Conflict) as refused:
        place(pending, owner, adc, terms="net30")
    assert refused.value.code == "company_not_approved"
    assert policies.buyer_context(owner) == policies.BuyerContext()  # buys as a consumer, prepaid
    companies.decide(operator=operator, company=pending, to="rejected", reason="no papers")
    with pytest.raises(Conflict):
        place(pending, owner, adc, terms="net30")


@pytest.mark.parametrize("buyer_org", ["none", "unregistered"])
def test_an_order_on_credit_needs_an_approved_company_behind_it(adc, buyer_org):
    """A quote on Net 30, or any other path to an on-credit order, cannot skip the credit limit."""
    buyer = factories.UserFactory()
    org = factories.seller_with_owner(kind="buyer_company", owner=buyer) if buyer_org == "unregistered" else None
    with pytest.raises(Conflict) as refused:
        orders.place_order(
            actor=buyer,
            buyer=buyer,
            buyer_org=org,
            seller=adc.product.seller,
            mode=Order.Mode.B2B,
            currency="CNY",
            lines=[orders.LineIn(adc, 1, adc.price)],
            payment_terms="net30",
        )
    assert refused.value.code == "company_not_approved"
    assert not Order.objects.exists()


def test_a_held_order_on_credit_uses_credit_until_rejected(company, adc):
    purchaser = staff(company, "purchaser", limit="100.00")
    held = place(company, purchaser, adc, quantity=50)
    assert held.state == State.AWAITING_APPROVAL
    assert credit.available_credit(company).amount == Decimal("500.00")
    with pytest.raises(Conflict):
        place(company, company.owner, adc, quantity=51)


def test_the_buyer_context_gives_a_members_terms_and_the_company_addresses(company):
    companies.add_address(actor=company.owner, company=company, name="Li Wei", phone="138", line1="1 Road", city="SZ")
    purchaser = staff(company, "purchaser")
    context = policies.buyer_context(purchaser)
    assert (context.mode, context.buyer_org, context.payment_terms) == ("b2b", company.organization, "net30")
    assert [a["line1"] for a in context.addresses] == ["1 Road"] and context.addresses[0]["is_default"]
    finance = staff(company, "finance")  # may not buy for the company
    assert policies.buyer_context(finance).mode == "b2c"


def test_reading_the_credit_takes_two_queries(company, adc, django_assert_num_queries):
    for _ in range(3):
        place(company, company.owner, adc, quantity=5)
    with django_assert_num_queries(2):
        assert credit.outstanding(company).amount == Decimal("150.00")


# ---------- many processes at once (PostgreSQL) ----------

PROCESSES = 8


def _order_in_a_process(company_id: int, variant_id: int, barrier, results) -> None:
    """One buyer process: its own connection to the test database; waits for the others, then orders 300.00."""
    from tradeloop.catalog.models import Variant

    connections["default"].close()  # never use the parent's socket
    company = Company.objects.select_related("organization").get(pk=company_id)
    owner = company.organization.memberships.get(role__code="owner").user
    variant = Variant.objects.select_related("product__seller").get(pk=variant_id)
    barrier.wait()
    try:
        with transaction.atomic():
            place(company, owner, variant, quantity=30)
        results.put("ok")
    except Conflict as refused:
        results.put(refused.code)
    except Exception as failed:  # noqa: BLE001 — reported to the parent, which fails the test
        results.put(f"error: {failed!r}")
    finally:
        connections.close_all()


@pytest.mark.parametrize("limit", ["1000.00", "2400.00"])
@RACE_MARKS[0]
@RACE_MARKS[1]
def test_the_credit_limit_holds_under_concurrent_processes(operator, supplier, limit):
    company = approved_company(operator, credit_limit=limit)
    # one SKU per process: no shared stock row that would serialise the orders for us
    variants = [
        factories.published_product(supplier, title=f"ADC {i}", price="10.00", stock=100).variants.get()
        for i in range(PROCESSES)
    ]
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    connections.close_all()  # the children open their own connections
    workers = [
        context.Process(target=_order_in_a_process, args=(company.pk, variant.pk, barrier, results))
        for variant in variants
    ]
    for worker in workers:
        worker.start()
    outcomes = sorted(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
    fits = int(Decimal(limit) // Decimal("300.00"))
    assert outcomes == sorted(["ok"] * fits + ["credit_exceeded"] * (PROCESSES - fits))
    accepted = Order.objects.filter(buyer_org=company.organization).exclude(state=State.CANCELLED)
    assert sum(o.total for o in accepted) <= Decimal(limit)
    assert credit.outstanding(company).amount == Decimal("300.00") * fits
