"""Operators deciding one application at once: exactly one decision is recorded, the balance is paid out once."""

from decimal import Decimal

from tests import factories
from tests.races import RACE_MARKS, race
from tests.trust.conftest import submitted
from tests.trust.test_payouts import earn
from tradeloop.core import states
from tradeloop.ledger.selectors import ledger_is_balanced
from tradeloop.payments.models import Payout
from tradeloop.trust import services
from tradeloop.trust.models import Verification

pytestmark = RACE_MARKS


def test_eight_operators_approve_or_reject_at_once_one_decision_wins():
    seller = factories.seller_with_owner(name="Racing Tea", verified=False)
    earn(seller, factories.UserFactory())
    v = submitted(seller)
    staff = [factories.UserFactory(is_staff=True) for _ in range(8)]

    def decide(i: int) -> None:
        if i % 2:
            services.approve(actor=staff[i], verification_id=v.pk)
        else:
            services.reject(actor=staff[i], verification_id=v.pk, reason="racing")

    outcomes = race(decide)
    assert outcomes.count("ok") == 1 and outcomes.count("illegal_transition") == 7
    decisions = [e for e in states.history(v) if e.old == "submitted"]
    assert len(decisions) == 1
    final = Verification.objects.get(pk=v.pk).state
    assert final == decisions[0].new
    paid = Payout.objects.filter(seller=seller)
    assert paid.count() == (1 if final == "approved" else 0)
    if final == "approved":
        assert paid.get().amount == Decimal("90")
    assert ledger_is_balanced()
