"""Money that arrives too late still goes through the ledger: received from the buyer, and refunded out of it."""

from decimal import Decimal

from tests.checkout.conftest import fill_cart
from tests.checkout.test_checkout import place
from tradeloop.checkout import reactions
from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger
from tradeloop.ledger.models import Transaction
from tradeloop.ledger.selectors import balance, ledger_is_balanced
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order
from tradeloop.payments import services as payments
from tradeloop.payments.models import Payment, Refund


def cny(amount) -> Money:
    return Money(Decimal(str(amount)), "CNY")


def payment_postings(payment: Payment) -> list[tuple[str, Decimal]]:
    """("captured" or "refund", what the provider account got) of every ledger transaction of a payment, in order."""
    found = []
    for txn in Transaction.objects.filter(ref__startswith=f"payment:{payment.pk}:").order_by("id"):
        clearing = txn.entries.get(account=ledger.platform_clearing(payment.currency))
        found.append(("captured" if txn.ref.endswith(":captured") else "refund", clearing.amount))
    return found


def test_a_payment_captured_after_its_checkout_expired_is_refunded_through_the_ledger(buyer, address, shop, pay, clock):
    fill_cart(buyer, [(shop["tea"], 1)])
    placed = place(buyer, address, shop)  # 88.00 + 12.00 shipping
    clock.advance(minutes=16)
    reactions.sweep_expired_checkouts(clock.now())  # orders cancelled; the payment itself is still open
    pay(placed.checkout.payment)

    payment = Payment.objects.get(pk=placed.checkout.payment_id)
    order = Order.objects.get()
    refund = Refund.objects.get(payment=payment)
    assert refund.ref == f"order:{order.pk}:cancelled-unpaid" and refund.amount == Decimal("100")
    assert payment_postings(payment) == [("captured", Decimal("100")), ("refund", Decimal("-100"))]
    assert balance(ledger.platform_clearing("CNY")) == cny(0)
    assert balance(ledger.platform_payments("CNY")) == cny(0)  # nothing left in limbo
    assert ledger.order_money(order).sold is False  # no sale was ever recorded
    assert ledger_is_balanced()


def test_the_share_of_an_order_cancelled_before_the_payment_came_is_refunded_through_the_ledger(
    buyer, address, shop, pay
):
    fill_cart(buyer, [(shop["tea"], 1), (shop["apples"], 4)])
    placed = place(buyer, address, shop)  # tea 100.00 (with shipping), apples 50.00 + 8.00 shipping
    tea_order, apple_order = sorted(placed.orders, key=lambda o: o.seller.name != "Tea House")
    orders.cancel(order=apple_order, actor=buyer, reason="changed my mind")  # before the money came
    pay(placed.checkout.payment)

    payment = Payment.objects.get(pk=placed.checkout.payment_id)
    tea_order.refresh_from_db()
    apple_order.refresh_from_db()
    assert (tea_order.state, apple_order.state) == (Order.State.PAID, Order.State.CANCELLED)
    refund = Refund.objects.get(payment=payment)
    assert refund.ref == f"order:{apple_order.pk}:cancelled-unpaid" and refund.amount == apple_order.total
    assert payment_postings(payment) == [("captured", payment.captured_amount), ("refund", -apple_order.total)]
    assert balance(ledger.platform_clearing("CNY")) == cny(tea_order.total)  # what was sold stays held
    assert balance(ledger.platform_payments("CNY")) == cny(0)
    assert ledger_is_balanced()


def test_a_payment_captured_after_the_payment_itself_expired_is_refunded_through_the_ledger(
    buyer, address, shop, pay, clock
):
    fill_cart(buyer, [(shop["tea"], 1)])
    placed = place(buyer, address, shop)
    clock.advance(minutes=16)
    payments.sweep_expired_payments(clock.now())
    pay(placed.checkout.payment)

    payment = Payment.objects.get(pk=placed.checkout.payment_id)
    assert payment.state == Payment.State.EXPIRED and payment.refunded_amount == payment.captured_amount
    assert payment_postings(payment) == [("captured", Decimal("100")), ("refund", Decimal("-100"))]
    assert balance(ledger.platform_payments("CNY")) == cny(0)


def test_a_refund_the_provider_refuses_later_is_reversed_in_the_ledger(db, monkeypatch):
    from tests import factories
    from tradeloop.payments.providers import sandbox
    from tradeloop.payments.providers.base import REFUND_FAILED, Outcome

    order = factories.paid_order()  # a captured sandbox payment
    monkeypatch.setattr(sandbox.SandboxProvider, "refund", lambda self, refund: Outcome.later("sbx_re_later"))
    orders.refund(order=order, amount=Decimal("10.00"), ref="goodwill", reason="late", actor=None)
    event = sandbox.new_event(REFUND_FAILED, refund=f"order:{order.pk}:goodwill", reason="account closed")
    payments.handle_webhook(provider="sandbox", request=sandbox.SignedBody.of(event))

    payment = Payment.objects.get(pk=order.payment_id)
    assert payment.refunded_amount == 0
    assert [amount for _kind, amount in payment_postings(payment)] == [order.total, Decimal("-10"), Decimal("10")]
    # The order's refund stands: the buyer is owed the 10.00 the provider did not pay; it is held for them.
    assert balance(ledger.platform_payments("CNY")) == cny(10)
    assert ledger_is_balanced()
