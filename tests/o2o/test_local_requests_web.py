"""Consumer requests on the web: posting one (form errors on bad input), the answers side by side with counter,
decline and choose, the console's nearby list, answer form and "mark done"; 404 for another tenant's; flat query
budgets on the list pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.factories import UserFactory
from tests.o2o.requesting import answer_from, cleaner, deep_cleaning, request_for
from tradeloop.core import clock
from tradeloop.negotiation.models import Negotiation
from tradeloop.o2o.models import ConsumerRequest, RequestAnswer
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def consumer():
    return UserFactory()


def _when(days: int = 2) -> str:
    return timezone.localtime(clock.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _form(**overrides) -> dict:
    data = {
        "category": deep_cleaning().pk,
        "title": "Deep clean of a 90 m² flat",
        "details": "Two bedrooms",
        "wanted_at": _when(),
        "city": "Nanjing",
        "district": "Xuanwu",
        "latitude": "32.0416",
        "longitude": "118.7784",
        "radius_km": "5",
        "budget": "350",
    }
    return {**data, **overrides}


def test_posting_a_request_on_the_web(client, consumer):
    cleaner()
    deep_cleaning()  # below the place's housekeeping: offered too
    client.force_login(consumer)
    page = client.get("/local/requests/new/").content.decode()
    assert "Deep cleaning" in page and "Use my location" in page
    made = client.post("/local/requests/new/", _form())
    request = ConsumerRequest.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/local/requests/{request.pk}/"
    assert request.consumer == consumer and request.radius_km == 5
    assert "No offers yet" in client.get(made["Location"]).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"radius_km": "25"}, "less than or equal to 20"),
        ({"title": ""}, "This field is required"),
        ({"wanted_at": "2001-01-01T10:00"}, "Choose a time in the future."),
        ({"category": "999999"}, "Select a valid choice"),
        ({"latitude": "abc"}, "Enter a number"),
    ],
)
def test_bad_input_shows_form_errors(client, consumer, overrides, message):
    cleaner()
    client.force_login(consumer)
    answer = client.post("/local/requests/new/", _form(**overrides))
    assert answer.status_code == 400 and message in answer.content.decode()
    assert not ConsumerRequest.objects.exists()


def test_the_answers_side_by_side_then_choose_and_pay(client, consumer):
    first, second = cleaner("Sparkle Home", price="300.00"), cleaner("Fresh Nest", price="280.00")
    request = request_for(consumer)
    a, b = answer_from(first, request, price="320.00"), answer_from(second, request, price="290.00")
    client.force_login(consumer)
    page = client.get(f"/local/requests/{request.pk}/").content.decode()
    assert page.index("Fresh Nest") < page.index("Sparkle Home")  # cheapest first
    assert "Two cleaners, 4 hours" in page and "0.0 km" in page and "within your budget" in page
    countered = client.post(
        f"/local/requests/{request.pk}/answers/{a.pk}/counter/", {"version": 1, "price": "300", "message": "300?"}
    )
    assert countered.status_code == 302
    assert Negotiation.objects.get(pk=a.negotiation_id).current_version == 2
    bad = client.post(f"/local/requests/{request.pk}/answers/{b.pk}/counter/", {"version": 1, "price": "-5"})
    assert bad.status_code == 400
    chosen = client.post(f"/local/requests/{request.pk}/answers/{b.pk}/accept/", {"version": 1})
    assert chosen.status_code == 302
    page = client.get(f"/local/requests/{request.pk}/").content.decode()
    order = Order.objects.get(checkout_ref=f"request:{request.pk}")
    assert "You chose Fresh Nest" in page and "Pay now" in page and order.number in page
    factories.pay_placed(order)
    page = client.get(f"/local/requests/{request.pk}/").content.decode()
    assert "is held until the business marks the work done" in page and "Cancel the order (refund)" in page


def test_another_consumers_request_is_404(client, consumer):
    near = cleaner()
    request = request_for(consumer)
    answer = answer_from(near, request)
    client.force_login(UserFactory())
    assert client.get(f"/local/requests/{request.pk}/").status_code == 404
    assert client.post(f"/local/requests/{request.pk}/answers/{answer.pk}/accept/", {"version": 1}).status_code == 404
    assert client.post(f"/local/requests/{request.pk}/cancel/").status_code == 404


def test_my_requests_query_budget(client, consumer, django_assert_max_num_queries):
    businesses = [cleaner(f"Cleaner {n}") for n in range(3)]
    for _ in range(4):
        request = request_for(consumer)
        for business in businesses:
            answer_from(business, request)
    client.force_login(consumer)
    with django_assert_max_num_queries(14):
        page = client.get("/local/requests/")
    assert page.status_code == 200 and page.content.decode().count("/local/requests/") >= 5
    assert "Post a request" in page.content.decode()


# --- the console ----------------------------------------------------------------------------------------------


def test_the_console_lists_nearby_requests_and_answers_them(client, consumer):
    near = cleaner()
    request = request_for(consumer)
    client.force_login(near.owner)
    page = client.get(f"/console/{near.pk}/requests/").content.decode()
    assert request.title in page and "0.0 km from" in page and "350.00" in page
    data = {
        f"r{request.pk}-place": near.place.pk,
        f"r{request.pk}-service": near.service.pk,
        f"r{request.pk}-price": "330",
        f"r{request.pk}-proposed_at": _when(3),
        f"r{request.pk}-message": "We bring everything",
    }
    bad = client.post(f"/console/{near.pk}/requests/{request.pk}/answer/", {**data, f"r{request.pk}-price": "0"})
    assert bad.status_code == 400 and not RequestAnswer.objects.exists()
    sent = client.post(f"/console/{near.pk}/requests/{request.pk}/answer/", data)
    assert sent.status_code == 302
    answer = RequestAnswer.objects.get()
    assert answer.seller == near and answer.place == near.place
    page = client.get(f"/console/{near.pk}/requests/").content.decode()
    assert "You answered" in page and "Waiting for the customer" in page


def test_the_console_marks_chosen_paid_work_done(client, consumer):
    near = cleaner()
    request = request_for(consumer)
    answer = answer_from(near, request)
    from tradeloop.o2o import local_requests

    local_requests.accept(actor=consumer, answer_id=answer.pk, version=1)
    order = Order.objects.get(checkout_ref=f"request:{request.pk}")
    factories.pay_placed(order)
    client.force_login(near.owner)
    assert "Mark done" in client.get(f"/console/{near.pk}/requests/").content.decode()
    assert client.post(f"/console/{near.pk}/requests/{request.pk}/done/").status_code == 302
    order.refresh_from_db()
    assert order.state == Order.State.COMPLETED


def test_another_tenants_console_is_404(client, consumer):
    near, other = cleaner("Near"), cleaner("Other")
    request = request_for(consumer)
    answer = answer_from(near, request)
    client.force_login(other.owner)
    assert client.get(f"/console/{near.pk}/requests/").status_code == 404
    assert client.post(f"/console/{other.pk}/request-answers/{answer.pk}/withdraw/").status_code == 404


def test_console_requests_query_budget(client, django_assert_max_num_queries):
    near = cleaner()
    for n in range(6):
        request = request_for(UserFactory(), title=f"Clean {n}")
        if n % 2:
            answer_from(near, request)
    client.force_login(near.owner)
    with django_assert_max_num_queries(22):
        page = client.get(f"/console/{near.pk}/requests/")
    assert page.status_code == 200 and page.content.decode().count("Clean ") >= 6


def test_a_support_member_reads_but_cannot_answer(client, consumer):
    near = cleaner()
    request = request_for(consumer)
    support = factories.member(near, "support")
    client.force_login(support)
    page = client.get(f"/console/{near.pk}/requests/").content.decode()
    assert request.title in page and "Send an offer" not in page
    refused = client.post(f"/console/{near.pk}/requests/{request.pk}/answer/", {})
    assert refused.status_code == 403 and not RequestAnswer.objects.exists()
