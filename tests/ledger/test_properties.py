"""Property: any sequence of sales, partial refunds, settlements and payouts keeps the books right.

After every step: each transaction balances per currency; every balance equals the sum of its entries;
no seller balance is negative; and what the platform holds at the provider (clearing) equals what it owes
sellers plus what it earned.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.factories import UserFactory, verify
from tests.ledger.builders import paid_order
from tradeloop.accounts.models import Organization
from tradeloop.core import clock
from tradeloop.core.money import Money, quantize
from tradeloop.ledger import services as ledger
from tradeloop.ledger.models import Account, Entry
from tradeloop.ledger.selectors import balance, ledger_is_balanced
from tradeloop.payments.models import Payout
from tradeloop.payments.services import run_payouts

MINOR = {"CNY": Decimal("0.01"), "JPY": Decimal("1")}

sale = st.tuples(
    st.just("sale"),
    st.integers(0, 1),  # which seller
    st.integers(1, 500_000),  # total in minor units
    st.sampled_from(["0", "0.05", "0.0333", "0.125", "1"]),  # commission rate
    st.sampled_from(["CNY", "JPY"]),
)
refund = st.tuples(st.just("refund"), st.integers(0, 40), st.integers(1, 100))  # order, % of what is left
settle = st.tuples(st.just("settle"), st.integers(0, 40))
payout = st.tuples(st.just("payout"), st.integers(0, 2))  # seller 0, 1, or everyone
steps = st.lists(st.one_of(sale, refund, settle, payout), min_size=1, max_size=25)


class LedgerProperties(TestCase):
    def setUp(self):
        self.buyer = UserFactory()
        self.sellers = [
            verify(Organization.objects.create(kind="merchant", name=f"Seller {i}", slug=f"seller-{i}"))
            for i in range(2)
        ]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps)
    def test_any_sequence_keeps_the_books_right(self, plan):
        orders, settled = [], set()
        for step in plan:
            getattr(self, f"do_{step[0]}")(orders, settled, *step[1:])
            self.check_books()

    # --- steps ---

    def do_sale(self, orders, settled, seller, minor_units, rate, currency):
        total = MINOR[currency] * minor_units
        order = paid_order(self.sellers[seller], self.buyer, total=str(total), rate=rate, currency=currency)
        ledger.record_sale(order=order)
        orders.append(order)

    def do_refund(self, orders, settled, index, percent):
        if not orders:
            return
        order = orders[index % len(orders)]
        if order.pk in settled:  # returns are made within the return window, before settlement
            return
        left = ledger.order_money(order)
        remaining = left.total - left.refunded
        amount = (remaining * percent / 100).quantize(MINOR[order.currency], rounding=ROUND_DOWN)
        if amount <= 0:
            return
        ledger.record_refund(order=order, amount=Money(amount, order.currency), ref=f"step:{Entry.objects.count()}")

    def do_settle(self, orders, settled, index):
        if not orders:
            return
        order = orders[index % len(orders)]
        ledger.settle(order=order)
        settled.add(order.pk)

    def do_payout(self, orders, settled, which):
        run_payouts(now=clock.now(), seller=self.sellers[which] if which < 2 else None)

    # --- the invariants ---

    def check_books(self):
        assert ledger_is_balanced()
        sums = defaultdict(Decimal)
        for account_id, amount in Entry.objects.values_list("account_id", "amount"):
            sums[account_id] += amount
        owed = defaultdict(Decimal)  # per currency: to sellers + earned by the platform
        held = defaultdict(Decimal)
        for account in Account.objects.all():
            derived = balance(account)
            assert derived.amount == sums[account.pk] * account.sign, account.code
            assert derived.amount == quantize(derived.amount, account.currency)
            if account.owner_id is not None:
                assert derived.amount >= 0, f"{account.code} is negative: {derived}"
            if account.kind in Account.CREDIT_NORMAL:
                owed[account.currency] += derived.amount
            else:
                held[account.currency] += derived.amount
        assert held == owed
        for payout in Payout.objects.all():
            assert payout.state == Payout.State.PAID
            assert payout.amount > 0
