"""Choosing among answers at once on PostgreSQL: the consumer's sessions accept different answers of one request
concurrently (and businesses accept the consumer's counters): exactly one order, the request chosen once, the other
answers declined."""

from __future__ import annotations

from tests.factories import UserFactory
from tests.o2o.requesting import answer_from, cleaner, request_for
from tests.races import RACE_MARKS, race
from tradeloop.negotiation.models import Negotiation
from tradeloop.o2o import local_requests
from tradeloop.o2o.models import ConsumerRequest
from tradeloop.orders.models import Order

pytestmark = RACE_MARKS


def test_concurrent_choices_of_different_answers_make_one_order():
    consumer = UserFactory()
    businesses = [cleaner(f"Cleaner {n}") for n in range(6)]
    request = request_for(consumer)
    answers = [answer_from(b, request, price=f"{300 + n}.00") for n, b in enumerate(businesses)]
    outcomes = race(
        lambda i: local_requests.accept(actor=consumer, answer_id=answers[i].pk, version=1), racers=len(answers)
    )
    assert outcomes.count("ok") == 1 and set(outcomes) <= {"ok", "closed", "request_closed"}
    assert Order.objects.filter(checkout_ref=f"request:{request.pk}").count() == 1
    states = sorted(Negotiation.objects.filter(kind="request").values_list("state", flat=True))
    assert states == ["accepted"] + ["declined"] * 5
    request.refresh_from_db()
    assert request.state == ConsumerRequest.State.CHOSEN


def test_businesses_accepting_counters_at_once_make_one_order():
    consumer = UserFactory()
    businesses = [cleaner(f"Cleaner {n}") for n in range(5)]
    request = request_for(consumer)
    answers = [answer_from(b, request) for b in businesses]
    for a in answers:
        local_requests.counter(actor=consumer, answer_id=a.pk, version=1, price="250.00")
    outcomes = race(
        lambda i: local_requests.accept(actor=businesses[i].owner, answer_id=answers[i].pk, version=2),
        racers=len(answers),
    )
    assert outcomes.count("ok") == 1 and set(outcomes) <= {"ok", "closed", "request_closed"}
    assert Order.objects.filter(checkout_ref=f"request:{request.pk}").count() == 1
