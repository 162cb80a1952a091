"""Many people accepting the same version at the same moment on PostgreSQL: exactly one acceptance, one hook call."""

from tests import factories
from tests.races import RACE_MARKS, RACERS, race
from tradeloop.negotiation import services as negotiation
from tradeloop.negotiation.models import Negotiation

pytestmark = RACE_MARKS


def test_concurrent_acceptances_of_one_version_accept_once(fake, quote):
    company = factories.seller_with_owner(kind="buyer_company", owner=quote.buyer)
    Negotiation.objects.filter(pk=quote.pk).update(buyer_org=company)
    purchasers = [quote.buyer] + [factories.member(company, "buyer") for _ in range(RACERS - 1)]
    outcomes = race(lambda i: negotiation.accept(actor=purchasers[i], negotiation=quote.pk, version=1))
    assert sorted(outcomes) == ["already_accepted"] * (RACERS - 1) + ["ok"]
    assert len(fake.accepted) == 1
    assert Negotiation.objects.get(pk=quote.pk).state == Negotiation.State.ACCEPTED


def test_concurrent_counters_to_one_version_write_one_new_version(fake, quote, variant):
    from tests.negotiation.conftest import draft

    outcomes = race(
        lambda i: negotiation.counter(
            actor=quote.buyer, negotiation=quote.pk, version=1, draft=draft(variant, price=f"1{i}.00")
        )
    )
    assert outcomes.count("ok") == 1 and set(outcomes) <= {"ok", "superseded"}
    assert Negotiation.objects.get(pk=quote.pk).current_version == 2
