"""Returns and refunds: the return window, never more than bought or paid, approve restocks and refunds, reject moves
no money; the ledger stays balanced and the seller's balance follows."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tradeloop.aftersales import services as aftersales
from tradeloop.aftersales.models import ReturnRequest
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.inventory.models import Stock
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance, ledger_is_balanced
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order
from tradeloop.payments.models import Payment, Refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea(merchant):
    return factories.published_product(merchant, title="Longjing tea", price="12.50", stock=10).variants.get()


@pytest.fixture
def order(merchant, tea):
    """2 × tea at 12.50 + 10.00 shipping = 35.00, delivered."""
    return factories.delivered_order(seller=merchant, items=[(tea, 2)])


def on_hand(variant) -> int:
    return sum(Stock.objects.filter(variant=variant).values_list("on_hand", flat=True))


def pending(merchant) -> Decimal:
    return balance(ledger.seller_pending(merchant, "CNY")).amount


def ask(order, units: int = 1, **kwargs) -> ReturnRequest:
    return aftersales.request_return(actor=order.buyer, order=order, lines={order.lines.get().pk: units}, **kwargs)


# --- asking ------------------------------------------------------------------------------------------------------


def test_return_within_the_window_needs_no_reason(order):
    request = ask(order, 1)
    assert request.state == ReturnRequest.State.REQUESTED
    assert request.refund_amount == Decimal("12.50")
    assert request.reason == ""
    assert order.lines.get().quantity_returned == 1


def test_return_after_the_window_is_refused(order, clock):
    clock.travel(order.delivered_at + timedelta(days=7, seconds=1))
    with pytest.raises(Conflict) as refused:
        ask(order, 1)
    assert refused.value.code == "return_window_closed"
    assert not ReturnRequest.objects.exists()


def test_a_product_may_have_a_longer_window(merchant, clock):
    gift = factories.published_product(merchant, title="Gift box", price="99").variants.get()
    order = factories.delivered_order(seller=merchant, items=[(gift, 1)], return_window_days=30)
    clock.travel(order.delivered_at + timedelta(days=29))
    assert ask(order, 1).refund_amount == Decimal("99.00")


def test_more_than_bought_is_refused_even_over_several_requests(order):
    with pytest.raises(Conflict) as refused:
        ask(order, 3)
    assert refused.value.code == "too_many"
    ask(order, 2)
    with pytest.raises(Conflict):
        ask(order, 1)
    assert ReturnRequest.objects.count() == 1


def test_only_delivered_orders_of_the_buyer(merchant, order):
    paid = factories.paid_order(seller=merchant)
    with pytest.raises(Conflict):
        aftersales.request_return(actor=paid.buyer, order=paid, lines={paid.lines.get().pk: 1})
    with pytest.raises(NotFound):
        aftersales.request_return(actor=factories.UserFactory(), order=order, lines={order.lines.get().pk: 1})
    with pytest.raises(NotFound):
        aftersales.request_return(actor=merchant.owner, order=order, lines={order.lines.get().pk: 1})


@pytest.mark.parametrize(
    "lines, kind, reason",
    [({}, "return", ""), ({"x": 1}, "return", ""), (None, "return", ""), ("ONE", "return", "")],
)
def test_bad_requests_get_clear_errors(order, lines, kind, reason):
    with pytest.raises(ValidationFailed):
        aftersales.request_return(actor=order.buyer, order=order, lines=lines, kind=kind, reason=reason)


def test_bad_kind_zero_units_and_long_reason(order):
    line = order.lines.get()
    with pytest.raises(ValidationFailed):
        aftersales.request_return(actor=order.buyer, order=order, lines={line.pk: 1}, kind="swap")
    with pytest.raises(ValidationFailed):
        aftersales.request_return(actor=order.buyer, order=order, lines={line.pk: 0})
    with pytest.raises(ValidationFailed):
        aftersales.request_return(actor=order.buyer, order=order, lines={line.pk: 1}, reason="x" * 501)
    with pytest.raises(ValidationFailed):
        aftersales.request_return(actor=order.buyer, order=order, lines={line.pk: -1})


# --- approving -----------------------------------------------------------------------------------------------------


def test_approve_restocks_refunds_and_reduces_the_sellers_balance(order, merchant, tea):
    stock_before, pending_before = on_hand(tea), pending(merchant)
    request = ask(order, 1, reason="too bitter")
    approved = aftersales.approve(actor=merchant.owner, return_id=request.pk, note="sorry")

    assert approved.state == ReturnRequest.State.REFUNDED
    assert approved.decided_by == merchant.owner and approved.decided_at is not None
    assert on_hand(tea) == stock_before + 1
    refund = Refund.objects.get(ref=f"order:{order.pk}:return:{request.pk}")
    assert refund.amount == Decimal("12.50") and refund.state == Refund.State.SUCCEEDED
    order.refresh_from_db()
    assert order.refunded_total == Decimal("12.50")
    assert Payment.objects.get(pk=order.payment_id).refunded_amount == Decimal("12.50")
    commission_part = Decimal("0.63")  # 5 % of 12.50, rounded
    assert pending(merchant) == pending_before - (Decimal("12.50") - commission_part)
    assert ledger_is_balanced()


def test_refund_only_does_not_restock(order, merchant, tea):
    stock_before = on_hand(tea)
    request = ask(order, 2, kind=ReturnRequest.Kind.REFUND_ONLY)
    aftersales.approve(actor=merchant.owner, return_id=request.pk)
    assert on_hand(tea) == stock_before
    order.refresh_from_db()
    assert order.refunded_total == Decimal("25.00")  # the goods, not the shipping


def test_partial_refunds_add_up_to_what_was_paid_for_the_goods(merchant):
    tea = factories.published_product(merchant, title="Tea", price="10.00").variants.get()
    order = factories.delivered_order(seller=merchant, items=[(tea, 3)], discount="5.00", shipping="0")
    # Paid 25.00 for 3 units: 8.33 + 8.33 + 8.34, whatever the order of the requests.
    amounts = []
    for _ in range(3):
        request = ask(order, 1)
        amounts.append(request.refund_amount)
        aftersales.approve(actor=merchant.owner, return_id=request.pk)
    assert amounts == [Decimal("8.33"), Decimal("8.34"), Decimal("8.33")]
    order.refresh_from_db()
    assert order.refunded_total == order.total == Decimal("25.00")
    assert ledger_is_balanced()


def test_never_more_than_was_paid(order, merchant, tea):
    request = ask(order, 2)
    # Most of the order was already refunded some other way: the order's refunded total says so.
    Order.objects.filter(pk=order.pk).update(refunded_total=order.total - Decimal("1.00"))
    stock_before = on_hand(tea)
    with pytest.raises(Conflict) as refused:
        aftersales.approve(actor=merchant.owner, return_id=request.pk)
    assert refused.value.code == "refund_too_large"
    request.refresh_from_db()
    assert request.state == ReturnRequest.State.REQUESTED  # nothing half-done
    assert on_hand(tea) == stock_before
    assert not Refund.objects.filter(ref=f"order:{order.pk}:return:{request.pk}").exists()
    assert ledger_is_balanced()


def test_deciding_needs_support_or_fulfilment_of_the_seller(order, merchant, rival):
    first, second = ask(order, 1), ask(order, 1)
    with pytest.raises(PermissionDenied):
        aftersales.approve(actor=factories.member(merchant, "catalog"), return_id=first.pk)
    with pytest.raises(NotFound):
        aftersales.approve(actor=rival.owner, return_id=first.pk)
    with pytest.raises(NotFound):
        aftersales.approve(actor=order.buyer, return_id=first.pk)
    aftersales.approve(actor=factories.member(merchant, "support"), return_id=first.pk)
    aftersales.reject(actor=factories.member(merchant, "fulfilment"), return_id=second.pk, reason="used")
    with pytest.raises(Conflict):
        aftersales.approve(actor=merchant.owner, return_id=first.pk)  # decided already
    with pytest.raises(Conflict):
        aftersales.approve(actor=merchant.owner, return_id=second.pk)


# --- rejecting and withdrawing -------------------------------------------------------------------------------------


def test_reject_needs_a_reason_and_leaves_money_alone(order, merchant, tea):
    request = ask(order, 2)
    stock_before, pending_before, payment_before = on_hand(tea), pending(merchant), order.payment.refunded_amount
    with pytest.raises(ValidationFailed):
        aftersales.reject(actor=merchant.owner, return_id=request.pk, reason="  ")
    rejected = aftersales.reject(actor=merchant.owner, return_id=request.pk, reason="The seal is broken")
    assert rejected.state == ReturnRequest.State.REJECTED and rejected.decision_note == "The seal is broken"
    order.refresh_from_db()
    assert order.refunded_total == 0
    assert on_hand(tea) == stock_before and pending(merchant) == pending_before
    assert Payment.objects.get(pk=order.payment_id).refunded_amount == payment_before
    assert not Refund.objects.exists()
    assert order.lines.get().quantity_returned == 0  # may be asked for again while the window is open
    ask(order, 2)


def test_buyer_withdraws_an_open_request(order, merchant):
    request = ask(order, 2)
    with pytest.raises(NotFound):
        aftersales.withdraw(actor=merchant.owner, return_id=request.pk)
    aftersales.withdraw(actor=order.buyer, return_id=request.pk)
    request.refresh_from_db()
    assert request.state == ReturnRequest.State.CANCELLED
    assert order.lines.get().quantity_returned == 0
    with pytest.raises(Conflict):
        aftersales.approve(actor=merchant.owner, return_id=request.pk)


# --- the order completes only when no return is open ---------------------------------------------------------------


def test_an_open_return_keeps_the_order_from_completing(order, merchant, clock):
    request = ask(order, 1)
    clock.travel(order.delivered_at + timedelta(days=8))
    assert orders.sweep_completed_orders(clock.now()) == 0
    aftersales.approve(actor=merchant.owner, return_id=request.pk)
    assert orders.sweep_completed_orders(clock.now()) == 1
    order.refresh_from_db()
    assert order.state == Order.State.COMPLETED
    available = balance(ledger.seller_available(merchant, "CNY")).amount
    assert available == Decimal("35.00") - Decimal("12.50") - (Decimal("1.75") - Decimal("0.63"))
    assert pending(merchant) == 0
    assert ledger_is_balanced()


# --- providers that answer later, or refuse ------------------------------------------------------------------------


def test_a_refund_confirmed_later_by_webhook_completes_the_return(order, merchant, monkeypatch):
    from tradeloop.payments import services as payments
    from tradeloop.payments.providers import sandbox
    from tradeloop.payments.providers.base import REFUND_SUCCEEDED, Outcome

    monkeypatch.setattr(sandbox.SandboxProvider, "refund", lambda self, refund: Outcome.later("sbx_re_later"))
    request = ask(order, 1)
    approved = aftersales.approve(actor=merchant.owner, return_id=request.pk)
    assert approved.state == ReturnRequest.State.APPROVED  # money on its way
    order.refresh_from_db()
    assert order.refunded_total == Decimal("12.50")

    event = sandbox.new_event(
        REFUND_SUCCEEDED, refund=f"order:{order.pk}:return:{request.pk}", provider_ref="sbx_re_later"
    )
    payments.handle_webhook(provider="sandbox", request=sandbox.SignedBody.of(event))
    request.refresh_from_db()
    assert request.state == ReturnRequest.State.REFUNDED
    assert ledger_is_balanced()


def test_a_refused_refund_rolls_the_approval_back(order, merchant, tea, monkeypatch):
    from tradeloop.payments.providers import sandbox
    from tradeloop.payments.providers.base import Outcome

    monkeypatch.setattr(sandbox.SandboxProvider, "refund", lambda self, refund: Outcome.failed("bank says no"))
    request = ask(order, 1)
    stock_before = on_hand(tea)
    with pytest.raises(Conflict) as refused:
        aftersales.approve(actor=merchant.owner, return_id=request.pk)
    assert refused.value.code == "refund_failed"
    request.refresh_from_db()
    order.refresh_from_db()
    assert request.state == ReturnRequest.State.REQUESTED and order.refunded_total == 0
    assert on_hand(tea) == stock_before
    monkeypatch.undo()
    assert aftersales.approve(actor=merchant.owner, return_id=request.pk).state == ReturnRequest.State.REFUNDED
