"""Escrow and disputes through the pages, the API and the back office, for buyer, seller, strangers and operators."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.api.conftest import Api, assert_error
from tests.c2c.test_disputes import _data_dir, available, in_escrow, photo, seller_of  # noqa: F401
from tests.c2c.trading import commission_of, paid_c2c_order, shipped_c2c_order
from tests.factories import UserFactory
from tradeloop.accounts.services import issue_token
from tradeloop.aftersales import selectors as aftersales
from tradeloop.c2c import disputes
from tradeloop.c2c.models import Dispute, Escrow
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db


def api_as(user) -> Api:
    _, secret = issue_token(user=user)
    return Api(Client(), secret)


def web_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_buyers_order_page_shows_escrow_and_no_returns():
    order = shipped_c2c_order()
    page = web_as(order.buyer).get(f"/orders/{order.number}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Your money is held by the platform until you confirm receipt" in text
    assert "Confirm receipt" in text and "Extend by 3 days" in text and "Open a dispute" in text
    assert "Return or refund" not in text
    assert all(row.units == 0 for row in aftersales.returnable_lines(order))


def test_the_sellers_console_page_shows_the_escrow():
    order = shipped_c2c_order()
    seller = seller_of(order)
    page = web_as(seller).get(f"/console/{order.seller_id}/orders/{order.pk}/")
    assert page.status_code == 200
    assert "Paid into escrow: released when the buyer confirms (auto on" in page.content.decode()


def test_confirm_and_extend_on_the_web():
    order = shipped_c2c_order()
    buyer = web_as(order.buyer)
    assert web_as(UserFactory()).post(f"/orders/{order.pk}/confirm-receipt/").status_code == 404
    assert buyer.post(f"/orders/{order.pk}/extend-receipt/").status_code == 302
    page = buyer.get(f"/orders/{order.number}/").content.decode()
    assert "Extend by 3 days" not in page
    assert buyer.post(f"/orders/{order.pk}/confirm-receipt/").status_code == 302
    order.refresh_from_db()
    assert order.state == Order.State.COMPLETED and available(order) == order.total - commission_of(order)


def test_open_a_dispute_on_the_web_and_the_thread_for_both_sides():
    order = shipped_c2c_order()
    buyer = web_as(order.buyer)
    assert buyer.get(f"/orders/{order.pk}/dispute/").status_code == 200
    bad = buyer.post(
        f"/orders/{order.pk}/dispute/",
        {"reason": "not_received", "description": "Nothing came.", "photos": [SimpleUploadedFile("x.png", b"no")]},
    )
    assert bad.status_code == 400 and not Dispute.objects.exists()
    done = buyer.post(
        f"/orders/{order.pk}/dispute/", {"reason": "not_received", "description": "Nothing came.", "photos": [photo()]}
    )
    dispute = Dispute.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/disputes/{dispute.pk}/"
    thread = buyer.get(f"/disputes/{dispute.pk}/").content.decode()
    assert "Nothing came." in thread and "Ask the platform to decide" in thread
    photo_id = dispute.messages.get().photos.get().pk
    assert buyer.get(f"/disputes/{dispute.pk}/photos/{photo_id}/")["Content-Type"] == "image/png"
    stranger = web_as(UserFactory())
    assert stranger.get(f"/disputes/{dispute.pk}/").status_code == 404
    assert stranger.get(f"/disputes/{dispute.pk}/photos/{photo_id}/").status_code == 404
    seller = web_as(seller_of(order))
    assert "Refund the buyer in full" in seller.get(f"/disputes/{dispute.pk}/").content.decode()
    assert seller.post(f"/disputes/{dispute.pk}/", {"text": "Shipped on Monday."}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.ANSWERED
    assert "Shipped on Monday." in buyer.get(f"/disputes/{dispute.pk}/").content.decode()
    assert seller.get(f"/console/{order.seller_id}/disputes/").status_code == 200
    assert order.number in buyer.get("/disputes/").content.decode()
    assert buyer.post(f"/disputes/{dispute.pk}/escalate/").status_code == 302
    dispute.refresh_from_db()
    assert dispute.state == Dispute.State.ESCALATED


def test_the_api_for_buyer_and_seller():
    order = shipped_c2c_order()
    buyer, seller, stranger = api_as(order.buyer), api_as(seller_of(order)), api_as(UserFactory())
    escrow = buyer.get(f"orders/{order.pk}/escrow").json()
    assert escrow["state"] == "held" and Decimal(escrow["held"]) == order.total and escrow["confirm_by"]
    assert_error(stranger.get(f"orders/{order.pk}/escrow"), 404)
    assert_error(buyer.post("disputes", {"order_id": order.pk, "reason": "lost", "description": "x"}), 422)
    assert_error(stranger.post("disputes", {"order_id": order.pk, "reason": "counterfeit", "description": "x"}), 404)
    made = buyer.post("disputes", {"order_id": order.pk, "reason": "counterfeit", "description": "Fake logo."})
    assert made.status_code == 201, made.content
    dispute_id = made.json()["id"]
    assert_error(buyer.post("disputes", {"order_id": order.pk, "reason": "counterfeit", "description": "x"}), 409)
    assert buyer.get(f"orders/{order.pk}/escrow").json()["state"] == "disputed"
    assert_error(buyer.post(f"orders/{order.pk}/confirm-receipt"), 409, "dispute_open")
    assert_error(stranger.get(f"disputes/{dispute_id}"), 404)
    assert [d["id"] for d in seller.get("disputes").json()["items"]] == [dispute_id]
    assert stranger.get("disputes").json()["items"] == []
    up = seller.upload(f"disputes/{dispute_id}/photos", {"text": "Receipt", "photos": [photo("JPEG", "r.jpg")]})
    assert up.status_code == 201, up.content
    assert up.json()["state"] == "answered" and up.json()["messages"][-1]["photos"]
    bad = buyer.upload(f"disputes/{dispute_id}/photos", {"photos": [photo("GIF", "x.gif")]})
    assert_error(bad, 400, "photo_type", "photos.0")
    assert_error(buyer.post(f"disputes/{dispute_id}/refund"), 403)
    assert buyer.post(f"disputes/{dispute_id}/messages", {"text": "Look again."}).status_code == 201
    done = seller.post(f"disputes/{dispute_id}/refund")
    assert done.status_code == 200 and done.json()["outcome"] == "full_refund"
    assert in_escrow() == 0 and available(order) == 0
    assert_error(buyer.post(f"disputes/{dispute_id}/withdraw"), 409, "dispute_closed")


def test_the_api_return_then_refund_and_withdraw():
    order = shipped_c2c_order()
    buyer, seller = api_as(order.buyer), api_as(seller_of(order))
    dispute_id = buyer.post(
        "disputes", {"order_id": order.pk, "reason": "not_as_described", "description": "Wrong colour."}
    ).json()["id"]
    disputes.resolve(actor=UserFactory(is_staff=True), dispute_id=dispute_id, outcome="return_then_refund")
    assert_error(buyer.post(f"disputes/{dispute_id}/return", {"carrier": "", "tracking_number": "1"}), 422)
    sent = buyer.post(f"disputes/{dispute_id}/return", {"carrier": "SF Express", "tracking_number": "SF7"})
    assert sent.status_code == 200 and sent.json()["return_due"]
    assert seller.post(f"disputes/{dispute_id}/return-received").json()["state"] == "resolved"
    assert in_escrow() == 0
    other = shipped_c2c_order()
    api = api_as(other.buyer)
    other_id = api.post("disputes", {"order_id": other.pk, "reason": "not_received", "description": "?"}).json()["id"]
    assert api.post(f"disputes/{other_id}/withdraw").json()["state"] == "withdrawn"
    assert api.get(f"orders/{other.pk}/escrow").json()["state"] == "held"
    assert api.post(f"orders/{other.pk}/extend-receipt").json()["extended"] is True


def test_an_unpaid_order_has_no_dispute():
    order = paid_c2c_order()
    assert_error(
        api_as(order.buyer).post("disputes", {"order_id": order.pk, "reason": "not_received", "description": "x"}),
        409,
        "not_shipped",
    )


def test_the_disputes_list_query_budget(django_assert_max_num_queries):
    order = shipped_c2c_order()
    buyer = order.buyer
    disputes.open_dispute(actor=buyer, order_id=order.pk, reason="not_received", description="x")
    for _ in range(4):
        other = shipped_c2c_order(buyer=buyer)
        disputes.open_dispute(actor=buyer, order_id=other.pk, reason="not_received", description="x")
    api = api_as(buyer)
    with django_assert_max_num_queries(8):
        assert len(api.get("disputes").json()["items"]) == 5
    client = web_as(buyer)
    with django_assert_max_num_queries(12):
        assert client.get("/disputes/").status_code == 200


@pytest.mark.parametrize("outcome", ["full_refund", "partial_refund", "release", "return_then_refund"])
def test_an_operator_resolves_in_the_back_office(outcome):
    order = shipped_c2c_order()
    dispute = disputes.open_dispute(actor=order.buyer, order_id=order.pk, reason="counterfeit", description="Fake.")
    staff = UserFactory(is_staff=True, is_superuser=True)
    admin = web_as(staff)
    change = admin.get(f"/admin/c2c/dispute/{dispute.pk}/change/")
    assert change.status_code == 200 and b"Fake." in change.content and b"Resolve this dispute" in change.content
    url = f"/admin/c2c/dispute/{dispute.pk}/resolve/"
    assert admin.get(url).status_code == 200
    if outcome == "partial_refund":
        assert admin.post(url, {"outcome": outcome, "amount": "9999"}).status_code == 400
    data = {"outcome": outcome, "amount": "50.00" if outcome == "partial_refund" else "", "note": "Decided."}
    assert admin.post(url, data).status_code == 302
    dispute.refresh_from_db()
    order.refresh_from_db()
    assert dispute.resolved_by == staff or outcome == "return_then_refund"
    states = {
        "full_refund": Escrow.State.REFUNDED,
        "partial_refund": Escrow.State.SPLIT,
        "release": Escrow.State.RELEASED,
        "return_then_refund": Escrow.State.DISPUTED,
    }
    assert order.escrow.state == states[outcome]
    if outcome == "return_then_refund":
        assert dispute.state == Dispute.State.RETURNING and in_escrow() == order.total
    else:
        assert dispute.state == Dispute.State.RESOLVED and in_escrow() == 0
    assert web_as(UserFactory(is_staff=False)).get(url).status_code == 302  # not an operator: to the admin login
