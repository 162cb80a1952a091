"""After-sales over the API: orders/{number}/returns, seller/returns, approve (idempotent) and reject."""

from datetime import timedelta

import pytest

from tests import factories
from tests.api.conftest import assert_error
from tradeloop.aftersales import services
from tradeloop.aftersales.models import ReturnRequest
from tradeloop.payments.models import Refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(merchant):
    return factories.delivered_order(seller=merchant)


@pytest.fixture
def buyer_api(order, api_as):
    return api_as(order.buyer)


def ask(buyer_api, order, units=1, **extra):
    line = order.lines.get()
    return buyer_api.post(
        f"orders/{order.number}/returns", {"lines": [{"line_id": line.pk, "quantity": units}], **extra}
    )


def test_buyer_asks_and_lists_returns(buyer_api, order):
    created = ask(buyer_api, order, 1, reason="wrong colour")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "requested" and body["kind"] == "return" and body["reason"] == "wrong colour"
    assert body["refund_amount"] == "12.50" and body["lines"][0]["quantity"] == 1
    listed = buyer_api.get(f"orders/{order.number}/returns").json()
    assert [r["id"] for r in listed] == [body["id"]]


def test_buyer_errors(buyer_api, order, api_as, clock):
    line = order.lines.get()
    assert_error(ask(buyer_api, order, 3), 409, "too_many", f"lines.{line.pk}")
    assert_error(buyer_api.post(f"orders/{order.number}/returns", {"lines": []}), 422, field="lines")
    assert_error(ask(buyer_api, order, 1, kind="swap"), 422, field="kind")
    assert_error(api_as(factories.UserFactory()).get(f"orders/{order.number}/returns"), 404)
    assert_error(ask(api_as(factories.UserFactory()), order, 1), 404)
    clock.travel(order.delivered_at + timedelta(days=8))
    assert_error(ask(buyer_api, order, 1), 409, "return_window_closed")


def test_seller_desk_approve_and_reject(buyer_api, order, merchant, owner_api):
    first = ask(buyer_api, order, 1).json()
    second = ask(buyer_api, order, 1).json()
    desk = owner_api.get("seller/returns", {"organization": merchant.pk, "state": "requested"})
    assert desk.status_code == 200
    assert [r["id"] for r in desk.json()["items"]] == [second["id"], first["id"]]

    approved = owner_api.post(f"seller/returns/{first['id']}/approve", {"note": "ok"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "refunded"
    assert_error(owner_api.post(f"seller/returns/{second['id']}/reject", {}), 422, field="reason")
    rejected = owner_api.post(f"seller/returns/{second['id']}/reject", {"reason": "opened and used"})
    assert rejected.json()["state"] == "rejected" and rejected.json()["decision_note"] == "opened and used"
    assert_error(owner_api.post(f"seller/returns/{second['id']}/approve"), 409, "illegal_transition")

    refunded = owner_api.get("seller/returns", {"organization": merchant.pk, "state": "refunded"}).json()["items"]
    assert [r["id"] for r in refunded] == [first["id"]]
    assert_error(owner_api.get("seller/returns", {"organization": merchant.pk, "state": "lost"}), 422, field="state")


def test_approve_honours_idempotency_key(buyer_api, order, owner_api):
    request_id = ask(buyer_api, order, 2).json()["id"]
    headers = {"HTTP_IDEMPOTENCY_KEY": "approve-once"}
    first = owner_api.post(f"seller/returns/{request_id}/approve", {}, **headers)
    again = owner_api.post(f"seller/returns/{request_id}/approve", {}, **headers)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert Refund.objects.filter(ref=f"order:{order.pk}:return:{request_id}").count() == 1


def test_other_tenants_and_roles(buyer_api, order, merchant, rival, api_as):
    request_id = ask(buyer_api, order, 1).json()["id"]
    assert_error(api_as(rival.owner).post(f"seller/returns/{request_id}/approve"), 404)
    assert_error(api_as(rival.owner).get("seller/returns", {"organization": merchant.pk}), 404)
    assert_error(api_as(factories.member(merchant, "catalog")).post(f"seller/returns/{request_id}/approve"), 403)
    assert_error(buyer_api.post(f"seller/returns/{request_id}/approve"), 404)
    assert ReturnRequest.objects.get(pk=request_id).state == "requested"


def test_seller_returns_query_budget(merchant, owner_api, django_assert_max_num_queries):
    tea = factories.published_product(merchant, title="Tea", stock=500).variants.get()
    for _ in range(3):
        order = factories.delivered_order(seller=merchant, items=[(tea, 10)])
        line = order.lines.get()
        for _ in range(10):
            services.request_return(actor=order.buyer, order=order, lines={line.pk: 1})
    with django_assert_max_num_queries(8):
        response = owner_api.get("seller/returns", {"organization": merchant.pk, "limit": 30})
    assert len(response.json()["items"]) == 30


def test_a_line_named_twice_asks_nothing(buyer_api, order):
    twice = [{"line_id": order.lines.get().pk, "quantity": 1}] * 2

    assert_error(buyer_api.post(f"orders/{order.number}/returns", {"lines": twice}), 400, "invalid", "lines")
    assert not ReturnRequest.objects.exists()
