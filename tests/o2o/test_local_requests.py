"""Consumer requests: posting, who sees and answers them, counters, the first choice wins, the order paid into
escrow and released when the work is done, cancellation refunds, and the expiry sweep with the clock moved."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.factories import UserFactory
from tests.o2o.requesting import accept, answer_from, cleaner, deep_cleaning, housekeeping, request_for
from tradeloop.core import clock as core_clock
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance, ledger_is_balanced
from tradeloop.negotiation.models import Negotiation
from tradeloop.o2o import local_request_selectors as selectors
from tradeloop.o2o import local_requests
from tradeloop.o2o.errors import Code
from tradeloop.o2o.models import ConsumerRequest
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db
FAR = (32.2000, 118.7784)  # ~17.6 km north of Xinjiekou


@pytest.fixture
def consumer():
    return UserFactory()


def _available(org):
    return balance(ledger.seller_available(org, "CNY")).amount


# --- posting --------------------------------------------------------------------------------------------------


def test_a_request_is_open_for_seven_days(consumer):
    cleaner()
    request = request_for(consumer)
    assert request.state == ConsumerRequest.State.OPEN
    assert abs(request.expires_at - (core_clock.now() + timedelta(days=7))) < timedelta(seconds=10)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"radius_km": 0}, "radius_km"),
        ({"radius_km": 21}, "radius_km"),
        ({"title": "  "}, "title"),
        ({"budget": "-1"}, "budget"),
        ({"budget": "1.234"}, "budget"),
        ({"city": ""}, "city"),
        ({"wanted_at": None}, "wanted_at"),
        ({"at": (91.0, 0.0)}, "latitude"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(consumer, fields, field):
    cleaner()
    with pytest.raises(ValidationFailed) as refused:
        request_for(consumer, **fields)
    assert refused.value.field == field
    assert not ConsumerRequest.objects.exists()


def test_a_past_time_or_an_unserved_category_is_refused(consumer):
    cleaner()
    with pytest.raises(ValidationFailed) as past:
        request_for(consumer, wanted_at=core_clock.now() - timedelta(hours=1))
    assert past.value.field == "wanted_at"
    other = factories.CategoryFactory()
    with pytest.raises(ValidationFailed) as unserved:
        request_for(consumer, category=other)
    assert unserved.value.field == "category"


def test_nearby_businesses_are_emailed_in_their_language(
    consumer, celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    near = cleaner("Sparkle Home")
    near.owner.language = "zh-hans"
    near.owner.save(update_fields=["language"])
    cleaner("Far Away Clean", at=FAR)
    hair = cleaner("Lotus Hair", category=factories.CategoryFactory(slug="hair", name="Hair"))
    with django_capture_on_commit_callbacks(execute=True):
        request = request_for(consumer)
    assert [m.to for m in mailoutbox] == [[near.owner.email]]
    assert "Deep clean" in mailoutbox[0].subject and "顾客" in mailoutbox[0].subject
    assert f"/console/{near.pk}/requests/" in mailoutbox[0].body
    from tradeloop.o2o.local_request_mail import new_request_emails

    assert new_request_emails(request.pk) == 0  # a retried job sends nothing twice
    assert hair.pk not in {p.seller_id for p in selectors.places_near(request)}


# --- who sees and answers -------------------------------------------------------------------------------------


def test_a_business_sees_requests_within_radius_in_its_categories(consumer):
    near, far = cleaner("Near"), cleaner("Far", at=FAR)
    hair = cleaner("Hair", category=factories.CategoryFactory(slug="hair", name="Hair"))
    request = request_for(consumer, radius_km=5)
    assert [n.request.pk for n in selectors.open_requests_near(near)] == [request.pk]
    assert selectors.open_requests_near(far) == [] and selectors.open_requests_near(hair) == []
    wide = request_for(UserFactory(), radius_km=20, category=housekeeping())
    assert [n.request.pk for n in selectors.open_requests_near(far)] == [wide.pk]


def test_a_business_answers_once_at_a_nearby_place(consumer):
    near, far = cleaner("Near"), cleaner("Far", at=FAR)
    request = request_for(consumer)
    answer = answer_from(near, request)
    assert answer.negotiation.kind == Negotiation.Kind.REQUEST and answer.negotiation.buyer == consumer
    with pytest.raises(Conflict) as twice:
        answer_from(near, request, price="290.00")
    assert twice.value.code == Code.REQUEST_ANSWERED
    with pytest.raises(ValidationFailed) as away:
        answer_from(far, request)
    assert away.value.code == Code.REQUEST_NOT_NEARBY


def test_a_stranger_cannot_answer_for_a_business(consumer):
    near = cleaner()
    request = request_for(consumer)
    with pytest.raises(NotFound):
        local_requests.answer(
            actor=UserFactory(),
            request_id=request.pk,
            seller=near,
            place_id=near.place.pk,
            service_id=near.service.pk,
            price="100",
            proposed_at=request.wanted_at,
        )


def test_an_answer_needs_one_of_the_businesses_services(consumer):
    near, other = cleaner("Near"), cleaner("Other")
    request = request_for(consumer)
    with pytest.raises(ValidationFailed) as refused:
        local_requests.answer(
            actor=near.owner,
            request_id=request.pk,
            seller=near,
            place_id=near.place.pk,
            service_id=other.service.pk,
            price="100",
            proposed_at=request.wanted_at,
        )
    assert refused.value.code == Code.REQUEST_NOT_SERVICE


# --- negotiating and choosing ----------------------------------------------------------------------------------


def test_the_consumer_counters_and_the_business_accepts(consumer):
    near = cleaner()
    request = request_for(consumer)
    answer = answer_from(near, request)
    local_requests.counter(actor=consumer, answer_id=answer.pk, version=1, price="280.00", message="Can you do 280?")
    done = local_requests.accept(actor=near.owner, answer_id=answer.pk, version=2)
    order = Order.objects.get(number=done.result_ref)
    assert order.mode == Order.Mode.O2O and order.held_in_escrow and order.total == Decimal("280.00")
    assert order.buyer == consumer and order.lines.get().variant.product == near.service
    request.refresh_from_db()
    assert request.state == ConsumerRequest.State.CHOSEN and request.chosen_id == answer.negotiation_id


def test_choosing_one_answer_declines_the_others(consumer):
    first, second = cleaner("First"), cleaner("Second")
    request = request_for(consumer)
    a, b = answer_from(first, request), answer_from(second, request, price="310.00")
    accept(consumer, a)
    b.negotiation.refresh_from_db()
    assert b.negotiation.state == Negotiation.State.DECLINED
    with pytest.raises(Conflict):
        accept(consumer, b)
    assert Order.objects.filter(checkout_ref=f"request:{request.pk}").count() == 1


def test_only_the_party_whose_turn_it_is_accepts(consumer):
    near = cleaner()
    request = request_for(consumer)
    answer = answer_from(near, request)
    with pytest.raises(Conflict) as own:
        local_requests.accept(actor=near.owner, answer_id=answer.pk, version=1)
    assert own.value.code == "not_your_turn"
    with pytest.raises(NotFound):
        local_requests.accept(actor=UserFactory(), answer_id=answer.pk, version=1)


def test_paid_then_done_releases_escrow_to_the_business(consumer):
    near = cleaner()
    request = request_for(consumer)
    order = Order.objects.get(number=accept(consumer, answer_from(near, request)).result_ref)
    with pytest.raises(Conflict) as unpaid:
        local_requests.mark_done(actor=near.owner, request_id=request.pk, seller=near)
    assert unpaid.value.code == Code.REQUEST_NOT_PAID
    factories.pay_placed(order)
    assert balance(ledger.escrow("CNY")).amount == Decimal("320.00") and _available(near) == 0
    done = local_requests.mark_done(actor=near.owner, request_id=request.pk, seller=near)
    assert done.state == Order.State.COMPLETED
    commission = ledger.commission_of(ledger.Money(done.total, "CNY"), done.commission_rate).amount
    assert balance(ledger.escrow("CNY")).amount == 0
    assert _available(near) == Decimal("320.00") - commission
    assert ledger_is_balanced()


def test_only_the_chosen_business_marks_done(consumer):
    chosen, other = cleaner("Chosen"), cleaner("Other")
    request = request_for(consumer)
    a = answer_from(chosen, request)
    answer_from(other, request)
    factories.pay_placed(Order.objects.get(number=accept(consumer, a).result_ref))
    with pytest.raises(Conflict):
        local_requests.mark_done(actor=other.owner, request_id=request.pk, seller=other)
    with pytest.raises(NotFound):
        local_requests.mark_done(actor=other.owner, request_id=request.pk, seller=chosen)


def test_the_consumer_cancels_before_done_and_is_refunded(consumer):
    near = cleaner()
    request = request_for(consumer)
    order = Order.objects.get(number=accept(consumer, answer_from(near, request)).result_ref)
    factories.pay_placed(order)
    local_requests.cancel_request(actor=consumer, request_id=request.pk)
    order.refresh_from_db()
    assert order.state == Order.State.CANCELLED and order.refunded_total == order.total
    assert balance(ledger.escrow("CNY")).amount == 0 and _available(near) == 0
    assert ledger_is_balanced()
    with pytest.raises(Conflict):
        local_requests.cancel_request(actor=consumer, request_id=request.pk)


def test_cancelling_an_open_request_declines_its_answers(consumer):
    near = cleaner()
    request = request_for(consumer)
    answer = answer_from(near, request)
    with pytest.raises(NotFound):
        local_requests.cancel_request(actor=near.owner, request_id=request.pk)
    local_requests.cancel_request(actor=consumer, request_id=request.pk)
    request.refresh_from_db()
    answer.negotiation.refresh_from_db()
    assert request.state == ConsumerRequest.State.CLOSED
    assert answer.negotiation.state == Negotiation.State.DECLINED
    assert selectors.open_requests_near(near) == []


# --- expiry ---------------------------------------------------------------------------------------------------


def test_open_requests_expire_with_their_answers(consumer, clock):
    near = cleaner()
    request = request_for(consumer)
    answer = answer_from(near, request)
    clock.advance(days=7, seconds=-10)
    assert local_requests.sweep_expired_requests(core_clock.now()) == 0
    clock.advance(seconds=20)
    assert local_requests.sweep_expired_requests(core_clock.now()) == 1
    assert local_requests.sweep_expired_requests(core_clock.now()) == 0  # idempotent
    request.refresh_from_db()
    answer.negotiation.refresh_from_db()
    assert request.state == ConsumerRequest.State.EXPIRED
    assert answer.negotiation.state == Negotiation.State.EXPIRED


def test_an_expired_request_cannot_be_answered_or_chosen(consumer, clock):
    near, late = cleaner("Near"), cleaner("Late")
    request = request_for(consumer)
    answer = answer_from(near, request)
    clock.advance(days=8)
    with pytest.raises(Conflict) as closed:
        answer_from(late, request)
    assert closed.value.code == Code.REQUEST_CLOSED
    with pytest.raises(Conflict):
        accept(consumer, answer)
    assert not Order.objects.exists()


def test_deep_cleaning_is_served_by_a_housekeeping_place(consumer):
    near = cleaner()
    assert deep_cleaning().pk in set(selectors.service_categories().values_list("pk", flat=True))
    request = request_for(consumer, category=deep_cleaning())
    assert [p.seller_id for p in selectors.places_near(request)] == [near.pk]


def test_the_consumer_is_emailed_each_new_answer_in_their_language(
    consumer, celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    consumer.language = "zh-hans"
    consumer.save(update_fields=["language"])
    near = cleaner("Sparkle Home")
    request = request_for(consumer)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = answer_from(near, request, price="320.00")
    assert [m.to for m in mailoutbox] == [[consumer.email]]
    assert "Sparkle Home" in mailoutbox[0].subject and "报价" in mailoutbox[0].subject
    assert "320.00" in mailoutbox[0].body and f"/local/requests/{request.pk}/" in mailoutbox[0].body
    from tradeloop.o2o.local_request_mail import new_answer_email

    assert new_answer_email(answer.pk) == 0  # once only
