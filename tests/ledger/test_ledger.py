"""The ledger: balanced transactions, idempotent refs, balances derived from entries, the order lifecycle."""

from decimal import Decimal

import pytest

from tests.ledger.builders import paid_order
from tradeloop.core.errors import Conflict, ValidationFailed
from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger
from tradeloop.ledger.models import Entry, Transaction
from tradeloop.ledger.selectors import balance, ledger_is_balanced, seller_balances

pytestmark = pytest.mark.django_db


def cny(amount) -> Money:
    return Money(Decimal(str(amount)), "CNY")


def test_post_refuses_an_unbalanced_transaction_and_writes_nothing():
    with pytest.raises(ledger.Unbalanced) as caught:
        ledger.post(
            memo="broken",
            ref="test:1",
            legs=[(ledger.platform_clearing("CNY"), cny(10)), (ledger.platform_revenue("CNY"), cny(-9))],
        )
    assert caught.value.code == "unbalanced"
    assert not Transaction.objects.exists()
    assert not Entry.objects.exists()


def test_post_balances_per_currency_not_in_total():
    with pytest.raises(ledger.Unbalanced):
        ledger.post(
            memo="mixed",
            ref="test:mixed",
            legs=[
                (ledger.platform_clearing("CNY"), cny(10)),
                (ledger.platform_revenue("USD"), Money(Decimal("-10"), "USD")),
            ],
        )


def test_an_entry_must_be_in_its_accounts_currency():
    with pytest.raises(ValidationFailed) as caught:
        ledger.post(
            memo="wrong currency",
            ref="test:ccy",
            legs=[
                (ledger.platform_clearing("CNY"), Money(Decimal("10"), "USD")),
                (ledger.platform_revenue("USD"), Money(Decimal("-10"), "USD")),
            ],
        )
    assert caught.value.field == "currency"


def test_posting_a_ref_twice_returns_the_first_transaction_unchanged():
    legs = [(ledger.platform_clearing("CNY"), cny(10)), (ledger.platform_revenue("CNY"), cny(-10))]
    first = ledger.post(memo="once", ref="test:once", legs=legs)
    again = ledger.post(memo="twice", ref="test:once", legs=legs)
    assert again.pk == first.pk
    assert again.memo == "once"
    assert Entry.objects.count() == 2
    assert balance(ledger.platform_revenue("CNY")) == cny(10)


def test_sale_splits_the_total_between_seller_and_commission(merchant, user):
    order = paid_order(merchant, user, total="199.99", rate="0.05")
    ledger.record_sale(order=order)
    assert balance(ledger.platform_clearing("CNY")) == cny("199.99")
    assert balance(ledger.platform_revenue("CNY")) == cny("10.00")  # 9.9995 rounded half up
    assert balance(ledger.seller_pending(merchant, "CNY")) == cny("189.99")
    assert ledger_is_balanced()


def test_refunds_in_parts_give_back_exactly_the_commission_taken(merchant, user):
    order = paid_order(merchant, user, total="100.00", rate="0.0333")
    ledger.record_sale(order=order)
    for i in range(3):
        ledger.record_refund(order=order, amount=cny("33.33"), ref=f"part:{i}")
    ledger.record_refund(order=order, amount=cny("0.01"), ref="last-cent")
    assert balance(ledger.platform_revenue("CNY")) == cny(0)
    assert balance(ledger.seller_pending(merchant, "CNY")) == cny(0)
    # The order's money is the buyer's again, still at the provider until the payment refund is made.
    assert balance(ledger.platform_payments("CNY")) == cny(100)
    assert balance(ledger.platform_clearing("CNY")) == cny(100)
    assert ledger_is_balanced()


def test_a_refund_never_exceeds_what_was_paid(merchant, user):
    order = paid_order(merchant, user, total="50.00")
    ledger.record_sale(order=order)
    ledger.record_refund(order=order, amount=cny(40), ref="r1")
    with pytest.raises(Conflict) as caught:
        ledger.record_refund(order=order, amount=cny("10.01"), ref="r2")
    assert caught.value.code == "refund_too_large"


def test_refund_is_idempotent_per_ref(merchant, user):
    order = paid_order(merchant, user, total="50.00")
    ledger.record_sale(order=order)
    first = ledger.record_refund(order=order, amount=cny(10), ref="return:1")
    again = ledger.record_refund(order=order, amount=cny(10), ref="return:1")
    assert first.pk == again.pk
    assert balance(ledger.platform_payments("CNY")) == cny(10)


def test_settle_moves_what_is_left_from_pending_to_available(merchant, user):
    order = paid_order(merchant, user, total="100.00", rate="0.10")
    ledger.record_sale(order=order)
    ledger.record_refund(order=order, amount=cny(20), ref="r")
    ledger.settle(order=order)
    ledger.settle(order=order)  # twice changes nothing
    balances = seller_balances(merchant)["CNY"]
    assert balances["pending"] == cny(0)
    assert balances["available"] == cny(72)  # (100 - 20) × 0.9
    assert balance(ledger.platform_revenue("CNY")) == cny(8)


def test_a_refund_after_settlement_comes_from_available(merchant, user):
    order = paid_order(merchant, user, total="100.00", rate="0.10")
    ledger.record_sale(order=order)
    ledger.settle(order=order)
    ledger.record_refund(order=order, amount=cny(10), ref="late")
    assert seller_balances(merchant)["CNY"]["available"] == cny(81)
    assert ledger_is_balanced()


def test_cannot_refund_or_settle_an_unrecorded_sale(merchant, user):
    order = paid_order(merchant, user)
    with pytest.raises(Conflict):
        ledger.record_refund(order=order, amount=cny(1), ref="x")
    with pytest.raises(Conflict):
        ledger.settle(order=order)


def test_balance_is_one_query(merchant, user, django_assert_num_queries):
    order = paid_order(merchant, user)
    ledger.record_sale(order=order)
    account = ledger.seller_pending(merchant, "CNY")
    with django_assert_num_queries(1):
        balance(account)
