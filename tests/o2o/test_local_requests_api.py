"""Consumer requests in the API: post, list (with answers), one, cancel; the answers' moves by either party with
version numbers; the business's nearby list, answer, its answers and done; 4xx on bad input, 404 for strangers,
flat query budgets on the lists, and the money checked against the ledger."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.factories import UserFactory
from tests.o2o.requesting import answer_from, cleaner, deep_cleaning, request_for
from tradeloop.core import clock
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance, ledger_is_balanced
from tradeloop.o2o.models import ConsumerRequest
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def consumer():
    return UserFactory()


def _body(**overrides) -> dict:
    body = {
        "category": deep_cleaning().pk,
        "title": "Deep clean of a 90 m² flat on Saturday",
        "wanted_at": (clock.now() + timedelta(days=3)).isoformat(),
        "latitude": 32.0416,
        "longitude": 118.7784,
        "city": "Nanjing",
        "district": "Xuanwu",
        "radius_km": 5,
        "budget": "350.00",
    }
    return {**body, **overrides}


def test_post_list_and_read_a_request(client, consumer):
    cleaner()
    client.force_login(consumer)
    made = client.post("/api/v1/requests", _body(), content_type=JSON)
    assert made.status_code == 201, made.content
    out = made.json()
    assert out["state"] == "open" and out["budget"] == "350.00" and out["answers"] == []
    assert client.get(f"/api/v1/requests/{out['id']}").json()["title"].startswith("Deep clean")
    assert [r["id"] for r in client.get("/api/v1/requests").json()["items"]] == [out["id"]]


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"radius_km": 21}, 422, None),
        ({"radius_km": True}, 422, None),
        ({"latitude": 95}, 422, None),
        ({"budget": "-3"}, 422, None),
        ({"category": 999999}, 400, "category"),
        ({"wanted_at": "2001-01-01T00:00:00+08:00"}, 400, "wanted_at"),
        ({"unknown": 1}, 422, None),
    ],
)
def test_bad_requests_are_4xx_and_change_nothing(client, consumer, overrides, status, field):
    cleaner()
    client.force_login(consumer)
    answer = client.post("/api/v1/requests", _body(**overrides), content_type=JSON)
    assert answer.status_code == status, answer.content
    if field:
        assert answer.json()["field"] == field
    assert not ConsumerRequest.objects.exists()


def test_the_whole_flow_in_the_api(client, consumer):
    near, other = cleaner("Near"), cleaner("Other")
    request = request_for(consumer)
    client.force_login(near.owner)
    nearby = client.get(f"/api/v1/seller/requests?organization={near.pk}").json()["items"]
    assert [n["id"] for n in nearby] == [request.pk] and "latitude" not in nearby[0]
    body = {
        "organization": near.pk,
        "place": near.place.pk,
        "service": near.service.pk,
        "price": "320.00",
        "message": "Two cleaners",
        "proposed_at": request.wanted_at.isoformat(),
    }
    made = client.post(f"/api/v1/seller/requests/{request.pk}/answer", body, content_type=JSON)
    assert made.status_code == 201, made.content
    answer_id = made.json()["id"]
    again = client.post(f"/api/v1/seller/requests/{request.pk}/answer", body, content_type=JSON)
    assert again.status_code == 409 and again.json()["code"] == "request_answered"
    other_answer = answer_from(other, request, price="310.00")

    client.force_login(consumer)
    one = client.get(f"/api/v1/requests/{request.pk}").json()
    assert {a["price"] for a in one["answers"]} == {"320.00", "310.00"}
    assert one["answers"][0]["place"]["distance_km"] == 0.0
    countered = client.post(
        f"/api/v1/request-answers/{answer_id}/counter", {"version": 1, "price": "300.00"}, content_type=JSON
    )
    assert countered.status_code == 201 and countered.json()["turn"] == "seller"
    stale = client.post(f"/api/v1/request-answers/{answer_id}/accept", {"version": 1}, content_type=JSON)
    assert stale.status_code == 409

    client.force_login(near.owner)
    accepted = client.post(
        f"/api/v1/request-answers/{answer_id}/accept", {"version": 2}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert accepted.status_code == 200, accepted.content
    number = accepted.json()["order_number"]
    replay = client.post(
        f"/api/v1/request-answers/{answer_id}/accept", {"version": 2}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert replay.status_code == 200 and replay.json()["order_number"] == number  # the same key: no second order
    assert Order.objects.filter(checkout_ref=f"request:{request.pk}").count() == 1
    order = Order.objects.get(number=number)
    assert order.total == Decimal("300.00") and order.mode == "o2o"
    client.force_login(consumer)
    one = client.get(f"/api/v1/requests/{request.pk}").json()
    assert one["state"] == "chosen" and one["chosen_answer_id"] == answer_id
    assert {a["id"]: a["state"] for a in one["answers"]}[other_answer.pk] == "declined"

    factories.pay_placed(order)
    client.force_login(near.owner)
    done = client.post(f"/api/v1/seller/requests/{request.pk}/done", {"organization": near.pk}, content_type=JSON)
    assert done.status_code == 200, done.content
    order.refresh_from_db()
    commission = ledger.commission_of(ledger.Money(order.total, "CNY"), order.commission_rate).amount
    assert order.state == Order.State.COMPLETED
    assert balance(ledger.seller_available(near, "CNY")).amount == Decimal("300.00") - commission
    assert balance(ledger.escrow("CNY")).amount == 0 and ledger_is_balanced()
    mine = client.get(f"/api/v1/seller/request-answers?organization={near.pk}").json()["items"]
    assert [a["state"] for a in mine] == ["accepted"]


def test_cancel_in_the_api_refunds(client, consumer):
    near = cleaner()
    request = request_for(consumer)
    answer = answer_from(near, request)
    client.force_login(consumer)
    client.post(f"/api/v1/request-answers/{answer.pk}/accept", {"version": 1}, content_type=JSON)
    factories.pay_placed(Order.objects.get(checkout_ref=f"request:{request.pk}"))
    cancelled = client.post(f"/api/v1/requests/{request.pk}/cancel", {}, content_type=JSON)
    assert cancelled.status_code == 200
    assert Order.objects.get(checkout_ref=f"request:{request.pk}").state == Order.State.CANCELLED
    assert balance(ledger.escrow("CNY")).amount == 0 and ledger_is_balanced()
    again = client.post(f"/api/v1/requests/{request.pk}/cancel", {}, content_type=JSON)
    assert again.status_code == 409 and again.json()["code"] == "request_closed"


def test_strangers_get_404(client, consumer):
    near, other = cleaner("Near"), cleaner("Other")
    request = request_for(consumer)
    answer = answer_from(near, request)
    client.force_login(UserFactory())
    assert client.get(f"/api/v1/requests/{request.pk}").status_code == 404
    assert client.get(f"/api/v1/request-answers/{answer.pk}").status_code == 404
    accept = client.post(f"/api/v1/request-answers/{answer.pk}/accept", {"version": 1}, content_type=JSON)
    assert accept.status_code == 404
    client.force_login(other.owner)
    assert client.get(f"/api/v1/seller/requests?organization={near.pk}").status_code == 404
    done = client.post(f"/api/v1/seller/requests/{request.pk}/done", {"organization": other.pk}, content_type=JSON)
    assert done.status_code == 404


def test_request_lists_query_budget(client, consumer, django_assert_max_num_queries):
    businesses = [cleaner(f"Cleaner {n}") for n in range(3)]
    for _ in range(4):
        request = request_for(consumer)
        for business in businesses:
            answer_from(business, request)
    client.force_login(consumer)
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/v1/requests").json()["items"]) == 4
    client.force_login(businesses[0].owner)
    org = businesses[0].pk
    with django_assert_max_num_queries(10):
        assert len(client.get(f"/api/v1/seller/requests?organization={org}").json()["items"]) == 4
    with django_assert_max_num_queries(12):
        assert len(client.get(f"/api/v1/seller/request-answers?organization={org}").json()["items"]) == 4
