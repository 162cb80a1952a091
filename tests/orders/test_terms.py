"""Payment terms on the one order pipeline: B2B orders on credit are confirmed without payment, placement gates
hold an order for approval (approve / reject / not decided in time), and B2C stays paid before shipping."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tradeloop.core.errors import Conflict, ValidationFailed
from tradeloop.core.models import Event
from tradeloop.fulfilment import services as fulfilment
from tradeloop.inventory.models import Stock
from tradeloop.orders import policies
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order
from tradeloop.orders.terms import parse_terms

State = Order.State


@pytest.mark.parametrize(
    ("code", "kind", "days", "percent", "on_credit"),
    [
        ("", "prepay", 0, 0, False),
        ("prepay", "prepay", 0, 0, False),
        ("net30", "net", 30, 0, True),
        ("NET7", "net", 7, 0, True),
        ("deposit30-net60", "deposit", 60, 30, True),
    ],
)
def test_terms_codes_are_read(code, kind, days, percent, on_credit):
    terms = parse_terms(code)
    assert (terms.kind, terms.days, terms.deposit_percent, terms.on_credit) == (kind, days, percent, on_credit)
    assert parse_terms(terms.code) == terms


@pytest.mark.parametrize("code", ["net0", "net999", "net", "cash", "deposit0-net30", "deposit95-net30", "net30x"])
def test_unknown_terms_are_refused(code):
    with pytest.raises(ValidationFailed) as refused:
        parse_terms(code)
    assert (refused.value.code, refused.value.field) == ("bad_terms", "payment_terms")


def test_a_deposit_is_a_share_of_the_total_rounded_to_the_cent():
    assert parse_terms("deposit30-net30").deposit_of(Decimal("100.05"), "CNY") == Decimal("30.02")
    assert parse_terms("net30").deposit_of(Decimal("100"), "CNY") == 0


@pytest.fixture
def supplier(db):
    return factories.seller_with_owner(kind="supplier")


@pytest.fixture
def adc(supplier):
    return factories.published_product(supplier, title="24-bit ADC", price="10.00", stock=100).variants.get()


@pytest.fixture
def company(db):
    return factories.buying_company()


def place(supplier, company, adc, *, terms="net30", quantity=10, mode=Order.Mode.B2B) -> Order:
    buyer = company.owner
    return orders.place_order(
        actor=buyer,
        buyer=buyer,
        buyer_org=company,
        seller=supplier,
        mode=mode,
        currency="CNY",
        lines=[orders.LineIn(adc, quantity, Decimal("9.00"))],
        payment_terms=terms,
    )


def on_hand(variant) -> tuple[int, int]:
    stock = Stock.objects.get(variant=variant)
    return stock.on_hand, stock.reserved


@pytest.fixture
def gate():
    """A placement gate the test can set: hold with a reason, or refuse."""
    outcome = {"hold": None, "refuse": None}

    def gate(order, actor):
        if outcome["refuse"]:
            raise outcome["refuse"]
        return outcome["hold"]

    orders.register_placement_gate("test", gate)
    yield outcome
    orders._placement_gates.pop("test", None)


def test_an_order_on_credit_terms_is_confirmed_and_its_stock_taken(supplier, company, adc, clock):
    order = place(supplier, company, adc)
    order.refresh_from_db()
    assert (order.state, order.payment_terms) == (State.CONFIRMED, "net30")
    assert order.confirmed_at == order.placed_at and order.ship_by == order.placed_at + timedelta(days=7)
    assert on_hand(adc) == (90, 0)  # left stock at once: no payment will come before shipping
    assert Event.objects.filter(subject_id=order.pk, new=State.CONFIRMED, reason="order placed on payment terms")


def test_a_prepay_b2b_order_waits_a_week_for_its_payment(supplier, company, adc):
    order = place(supplier, company, adc, terms="prepay")
    assert order.state == State.PENDING_PAYMENT and order.payment_terms == "prepay"
    assert order.payment_due_at == order.placed_at + timedelta(days=7)
    assert on_hand(adc) == (100, 10)  # held, not taken


def test_b2c_orders_cannot_be_placed_on_credit(supplier, company, adc):
    with pytest.raises(ValidationFailed) as refused:
        place(supplier, company, adc, mode=Order.Mode.B2C)
    assert refused.value.code == "bad_terms"
    assert not Order.objects.exists()


def test_a_confirmed_order_ships_unpaid(supplier, company, adc):
    order = place(supplier, company, adc)
    fulfilment.ship(actor=supplier.owner, order=order, lines=None, carrier="SF", tracking_number="SF100")
    order.refresh_from_db()
    assert order.state == State.SHIPPED and order.paid_at is None


def test_cancelling_a_confirmed_order_puts_the_stock_back_and_refunds_nothing(supplier, company, adc):
    order = place(supplier, company, adc)
    orders.cancel(order=order, actor=company.owner, reason="changed plans")
    order.refresh_from_db()
    assert order.state == State.CANCELLED and order.refunded_total == 0
    assert on_hand(adc) == (100, 0)


def test_an_order_on_terms_is_not_refunded_through_a_payment(supplier, company, adc):
    order = place(supplier, company, adc)
    with pytest.raises(Conflict) as refused:
        orders.refund(order=order, amount=Decimal("9"), ref="return:1", reason="broken")
    assert refused.value.code == "on_terms"


def test_a_gate_holds_the_order_for_approval_with_its_reason(supplier, company, adc, gate):
    gate["hold"] = "above the spending limit"
    order = place(supplier, company, adc)
    assert order.state == State.AWAITING_APPROVAL
    assert on_hand(adc) == (100, 10)  # held while it waits, not taken
    assert order.payment_due_at == order.placed_at + timedelta(days=7)  # the approval deadline
    event = Event.objects.get(subject_id=order.pk, new=State.AWAITING_APPROVAL)
    assert "above the spending limit" in event.reason


def test_approving_a_held_order_on_terms_confirms_it(supplier, company, adc, gate):
    gate["hold"] = "above the limit"
    order = place(supplier, company, adc)
    orders.approve_held(order=order, actor=company.owner, comment="budget Q4")
    order.refresh_from_db()
    assert order.state == State.CONFIRMED and order.ship_by is not None
    assert on_hand(adc) == (90, 0)
    assert Event.objects.filter(subject_id=order.pk, new=State.CONFIRMED, reason="approved: budget Q4").exists()
    with pytest.raises(Conflict) as again:
        orders.approve_held(order=order, actor=company.owner)
    assert again.value.code == "not_held"


def test_approving_a_held_prepay_order_starts_its_payment_time(supplier, company, adc, gate, clock):
    gate["hold"] = "above the limit"
    order = place(supplier, company, adc, terms="prepay")
    approved_at = clock.travel(order.placed_at + timedelta(days=3))
    orders.approve_held(order=order, actor=company.owner)
    order.refresh_from_db()
    assert order.state == State.PENDING_PAYMENT and order.payment_due_at >= approved_at + timedelta(days=7)


def test_rejecting_a_held_order_cancels_it_and_frees_its_stock(supplier, company, adc, gate):
    gate["hold"] = "above the limit"
    order = place(supplier, company, adc)
    orders.reject_held(order=order, actor=company.owner, comment="too expensive")
    order.refresh_from_db()
    assert order.state == State.CANCELLED and on_hand(adc) == (100, 0)
    assert Event.objects.filter(subject_id=order.pk, new=State.CANCELLED, reason="rejected: too expensive").exists()


def test_a_held_order_not_decided_in_time_is_cancelled(supplier, company, adc, gate, clock):
    gate["hold"] = "above the limit"
    order = place(supplier, company, adc)
    clock.advance(days=6)
    assert orders.sweep_unpaid_orders(clock.now()) == 0
    clock.advance(days=1, seconds=1)
    assert orders.sweep_unpaid_orders(clock.now()) == 1
    assert orders.sweep_unpaid_orders(clock.now()) == 0  # idempotent
    order.refresh_from_db()
    assert order.state == State.CANCELLED and on_hand(adc) == (100, 0)


def test_a_gate_that_refuses_places_nothing(supplier, company, adc, gate):
    gate["refuse"] = Conflict("over the credit limit", code="credit_exceeded")
    with pytest.raises(Conflict):
        place(supplier, company, adc)
    assert not Order.objects.exists() and on_hand(adc) == (100, 0)


def test_everybody_buys_b2c_unless_a_resolver_says_otherwise(db):
    company = factories.seller_with_owner(kind="buyer_company")  # no approved company profile: b2b says nothing
    assert policies.buyer_context(company.owner) == policies.BuyerContext()

    def resolver(actor, seller):
        return policies.BuyerContext("b2b", company, "net30") if actor == company.owner else None

    policies.register_buyer_context(resolver)
    try:
        assert policies.buyer_context(company.owner).payment_terms == "net30"
        assert policies.buyer_context(factories.UserFactory()).mode == "b2c"
    finally:
        policies._buyer_resolvers.remove(resolver)
