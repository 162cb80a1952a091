"""Part of an escrow order leaves escrow (an O2O voucher redeemed), and a release can be reversed (undone)."""

from decimal import Decimal

import pytest

from tests.books import assert_books_balance
from tests.c2c.trading import paid_c2c_order
from tradeloop.core.errors import Conflict
from tradeloop.core.money import Money
from tradeloop.ledger import selectors as ledger
from tradeloop.ledger import services as books

pytestmark = pytest.mark.django_db


def money(amount: str) -> Money:
    return Money(Decimal(amount), "CNY")


def available(order) -> Decimal:
    return ledger.balance(books.seller_available(order.seller, "CNY")).amount


def test_a_released_part_reaches_the_seller_minus_commission_and_leaves_the_rest_in_escrow():
    order = paid_c2c_order(commission_rate="0.10")  # 300.00
    books.release_part(order=order, amount=money("100.00"), ref="voucher:1:1")
    books.release_part(order=order, amount=money("100.00"), ref="voucher:1:1")  # posted once
    assert available(order) == Decimal("90.00")
    assert books.order_money(order).in_escrow == Decimal("200.00")
    assert_books_balance()


def test_a_reversed_release_goes_back_into_escrow():
    order = paid_c2c_order(commission_rate="0.10")
    books.release_part(order=order, amount=money("100.00"), ref="voucher:1:1")
    books.reverse_release(order=order, ref="voucher:1:1")
    assert available(order) == 0
    assert books.order_money(order).in_escrow == Decimal("300.00")
    assert books.order_money(order).commission == 0
    assert_books_balance()


def test_escrow_never_releases_or_refunds_more_than_it_holds():
    order = paid_c2c_order()
    books.release_part(order=order, amount=money("250.00"), ref="a")
    with pytest.raises(Conflict):
        books.release_part(order=order, amount=money("60.00"), ref="b")
    with pytest.raises(Conflict):
        books.record_refund(order=order, amount=money("60.00"), ref="r1")
    books.record_refund(order=order, amount=money("50.00"), ref="r2")
    assert books.order_money(order).in_escrow == 0
    assert_books_balance()
