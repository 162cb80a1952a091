"""API: GET/POST conversations, GET conversations/{id}, POST conversations/{id}/messages."""

import pytest

from tests import factories
from tests.api.conftest import Api, assert_error
from tradeloop.accounts.services import issue_token

pytestmark = pytest.mark.django_db


def api_as(client, user) -> Api:
    return Api(client, issue_token(user=user)[1])


def test_buyer_asks_and_support_answers(client, buyer, support, merchant, product):
    as_buyer = api_as(client, buyer)
    started = as_buyer.post("conversations", {"product_id": product.pk, "body": "Is it <b>fresh</b>?"})
    assert started.status_code == 201, started.content
    body = started.json()
    cid = body["conversation"]["id"]
    assert (body["side"], body["conversation"]["kind"], body["messages"][0]["body"]) == (
        "buyer",
        "presales",
        "Is it <b>fresh</b>?",
    )
    as_support = api_as(client, support)
    inbox = as_support.get("conversations", {"organization": merchant.pk, "unread": True}).json()
    assert [c["id"] for c in inbox["items"]] == [cid] and inbox["items"][0]["unread"] is True
    thread = as_support.get(f"conversations/{cid}").json()
    assert thread["side"] == "seller"
    assert as_support.get("conversations", {"organization": merchant.pk, "unread": True}).json()["items"] == []
    reply = as_support.post(f"conversations/{cid}/messages", {"body": "Picked this morning."})
    assert reply.status_code == 201 and reply.json()["from_seller"] is True
    mine = as_buyer.get("conversations").json()["items"]
    assert mine[0]["unread"] is True and mine[0]["preview"] == "Picked this morning."


def test_errors(client, buyer, merchant, product):
    as_buyer = api_as(client, buyer)
    assert_error(as_buyer.post("conversations", {"body": "hi"}), 400, field="product_id")
    assert_error(as_buyer.post("conversations", {"product_id": 999999, "body": "hi"}), 404)
    assert_error(as_buyer.post("conversations", {"product_id": product.pk, "body": "   "}), 400, field="body")
    assert_error(as_buyer.post("conversations", {"product_id": product.pk, "body": "x" * 2001}), 422)
    assert_error(as_buyer.post("conversations", {"order_number": "NOPE", "body": "hi"}), 404)
    cid = as_buyer.post("conversations", {"product_id": product.pk, "body": "hi"}).json()["conversation"]["id"]
    stranger = api_as(client, factories.UserFactory())
    assert_error(stranger.get(f"conversations/{cid}"), 404)
    assert_error(stranger.post(f"conversations/{cid}/messages", {"body": "me too"}), 404)
    assert_error(stranger.get("conversations", {"organization": merchant.pk}), 404)
    assert_error(
        api_as(client, factories.member(merchant, "catalog")).get("conversations", {"organization": merchant.pk}), 403
    )
    assert_error(Api(client).get("conversations"), 401)


def test_inbox_query_budget(client, support, merchant, django_assert_max_num_queries):
    from tradeloop.conversations import services

    for i in range(30):
        product = factories.published_product(merchant, title=f"P{i}")
        services.ask_about_product(actor=factories.UserFactory(), product_id=product.pk, body=f"Question {i}")
    as_support = api_as(client, support)
    with django_assert_max_num_queries(6):
        body = as_support.get("conversations", {"organization": merchant.pk, "limit": 30}).json()
    assert len(body["items"]) == 30
