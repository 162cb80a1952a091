"""A state machine over buy or offer (⇄ counter) → pay → ship → confirm / dispute / the clock: whatever happens, escrow never goes
negative, money is released at most once, the ledger balances, and every paid order ends released, refunded or split.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tests.books import assert_books_balance
from tests.c2c.trading import offered_c2c_order, paid_c2c_order
from tests.factories import UserFactory
from tradeloop.accounts.models import Membership
from tradeloop.c2c import disputes
from tradeloop.c2c import escrow as escrows
from tradeloop.c2c.models import Dispute, Escrow
from tradeloop.core import clock
from tradeloop.core.errors import DomainError
from tradeloop.fulfilment import services as fulfilment
from tradeloop.ledger import services as ledger
from tradeloop.ledger.models import Transaction
from tradeloop.orders.models import Order

OUTCOMES = ["full_refund", "partial_refund", "release", "return_then_refund"]


def _seller(order: Order):
    return Membership.objects.filter(organization_id=order.seller_id).select_related("user").first().user


class EscrowMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        clock.reset()
        self.orders: list[int] = []
        self.operator = UserFactory(is_staff=True, is_superuser=True)

    def _order(self, i: int) -> Order:
        return Order.objects.get(pk=self.orders[i % len(self.orders)])

    def _open_dispute(self, order: Order) -> Dispute | None:
        return Dispute.objects.filter(escrow__order=order, state__in=Dispute.OPEN).first()

    def _try(self, step, **kwargs) -> None:
        with contextlib.suppress(DomainError):  # a step the state does not allow is refused, and changes nothing
            step(**kwargs)

    @precondition(lambda self: len(self.orders) < 4)
    @rule()
    def buy_and_pay(self):
        self.orders.append(paid_c2c_order().pk)

    @precondition(lambda self: len(self.orders) < 4)
    @rule(countered=st.booleans())
    def offer_accept_and_pay(self, countered):
        self.orders.append(offered_c2c_order(countered=countered).pk)

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 3))
    def ship(self, i):
        order = self._order(i)
        if order.state == Order.State.PAID:
            fulfilment.ship(
                actor=_seller(order), order=order, lines=None, carrier="SF Express", tracking_number=f"SF{order.pk:08d}"
            )

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 3))
    def confirm(self, i):
        order = self._order(i)
        self._try(escrows.confirm_receipt, actor=order.buyer, order_id=order.pk)

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 3))
    def extend(self, i):
        order = self._order(i)
        self._try(escrows.extend, actor=order.buyer, order_id=order.pk)

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 3), reason=st.sampled_from(["not_received", "not_as_described", "counterfeit"]))
    def open_dispute(self, i, reason):
        order = self._order(i)
        self._try(disputes.open_dispute, actor=order.buyer, order_id=order.pk, reason=reason, description="No.")

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 3), move=st.sampled_from(["withdraw", "escalate", "answer", "seller_refunds"]))
    def dispute_move(self, i, move):
        order = self._order(i)
        dispute = self._open_dispute(order)
        if dispute is None:
            return
        if move == "withdraw":
            self._try(disputes.withdraw, actor=order.buyer, dispute_id=dispute.pk)
        elif move == "escalate":
            self._try(disputes.escalate, actor=order.buyer, dispute_id=dispute.pk)
        elif move == "answer":
            self._try(disputes.add_message, actor=_seller(order), dispute_id=dispute.pk, text="Sent intact.")
        else:
            self._try(disputes.seller_refunds, actor=_seller(order), dispute_id=dispute.pk)

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 3), outcome=st.sampled_from(OUTCOMES), part=st.sampled_from(["0.10", "0.50", "0.99"]))
    def operator_resolves(self, i, outcome, part):
        order = self._order(i)
        dispute = self._open_dispute(order)
        if dispute is None:
            return
        held = ledger.order_money(order).in_escrow
        amount = (held * Decimal(part)).quantize(Decimal("0.01")) if outcome == "partial_refund" else None
        self._try(disputes.resolve, actor=self.operator, dispute_id=dispute.pk, outcome=outcome, amount=amount)

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 3), confirm=st.booleans())
    def item_returned(self, i, confirm):
        order = self._order(i)
        dispute = self._open_dispute(order)
        if dispute is None or dispute.state != Dispute.State.RETURNING:
            return
        self._try(disputes.submit_return, actor=order.buyer, dispute_id=dispute.pk, carrier="SF", tracking_number="R1")
        if confirm:
            self._try(disputes.return_received, actor=_seller(order), dispute_id=dispute.pk)

    @rule(days=st.sampled_from([1, 3, 6, 11, 31]))
    def time_passes(self, days):
        clock.advance(days=days)
        fulfilment.sweep_ship_deadlines()
        escrows.sweep_auto_confirm()
        disputes.sweep_dispute_deadlines()

    @invariant()
    def money_adds_up(self):
        for order in Order.objects.filter(pk__in=self.orders):
            assert ledger.order_money(order).in_escrow >= 0
            assert Transaction.objects.filter(ref=f"order:{order.pk}:settled").count() <= 1
        assert_books_balance()

    def teardown(self):
        # drive every order to its end: the clock far ahead, the sweeps, an operator for what is with the platform
        for _ in range(4):
            for dispute in Dispute.objects.filter(state__in=[Dispute.State.ESCALATED, Dispute.State.ANSWERED]):
                disputes.resolve(actor=self.operator, dispute_id=dispute.pk, outcome="release")
            for dispute in Dispute.objects.filter(state=Dispute.State.RETURNING, return_tracking=""):
                order = dispute.escrow.order
                disputes.submit_return(actor=order.buyer, dispute_id=dispute.pk, carrier="SF", tracking_number="R")
            clock.advance(days=40)
            fulfilment.sweep_ship_deadlines()
            escrows.sweep_auto_confirm()
            disputes.sweep_dispute_deadlines()
        for order in Order.objects.filter(pk__in=self.orders):
            escrow = Escrow.objects.get(order=order)
            assert escrow.state in Escrow.CLOSED, (order.state, escrow.state)
            assert ledger.order_money(order).in_escrow == 0
            settled = Transaction.objects.filter(ref=f"order:{order.pk}:settled").count()
            assert settled == (0 if escrow.state == Escrow.State.REFUNDED else 1)
        assert_books_balance()
        clock.reset()
        super().teardown()


EscrowMachine.TestCase.settings = settings(  # small: the whole machine runs in well under a minute
    max_examples=30, stateful_step_count=15, deadline=None, suppress_health_check=list(HealthCheck)
)


class TestEscrowMachine(EscrowMachine.TestCase, TestCase):
    pass
