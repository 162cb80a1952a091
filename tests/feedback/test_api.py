import pytest

from tests import factories
from tradeloop.feedback import services
from tradeloop.feedback.models import OrderFeedback, Suggestion
from tradeloop.feedback.services import note_search
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db
J = "application/json"


def test_post_list_vote_and_unvote(client, merchant, product, buyer, voter):
    client.force_login(buyer)
    made = client.post("/api/v1/suggestions", {"product": product.pk, "text": "Make it in size XL"}, content_type=J)
    assert made.status_code == 201, made.content
    sid = made.json()["id"]
    assert made.json()["store_id"] == merchant.pk
    assert client.post("/api/v1/suggestions", {"store": merchant.pk, "text": "x"}, content_type=J).status_code in (
        400,
        422,
    )
    assert client.post("/api/v1/suggestions", {"text": "no target"}, content_type=J).status_code == 400
    assert client.post(f"/api/v1/suggestions/{sid}/vote").status_code == 409  # own suggestion
    client.force_login(voter)
    voted = client.post(f"/api/v1/suggestions/{sid}/vote")
    assert voted.json() == {"id": sid, "votes": 1, "voted": True}
    assert client.post(f"/api/v1/suggestions/{sid}/vote").json()["votes"] == 1
    listed = client.get(f"/api/v1/suggestions?product={product.pk}&sort=new").json()
    assert [(s["id"], s["votes"], s["voted"]) for s in listed["items"]] == [(sid, 1, True)]
    assert client.delete(f"/api/v1/suggestions/{sid}/vote").json() == {"id": sid, "votes": 0, "voted": False}
    assert client.get("/api/v1/suggestions").status_code == 400
    assert client.get("/api/v1/suggestions?store=999999").status_code == 404
    assert client.post("/api/v1/suggestions/999999/vote").status_code == 404


def test_rate_limit_answers_429(client, merchant, buyer):
    client.force_login(buyer)
    for i in range(5):
        client.post("/api/v1/suggestions", {"store": merchant.pk, "text": f"idea {i}"}, content_type=J)
    answer = client.post("/api/v1/suggestions", {"store": merchant.pk, "text": "one more"}, content_type=J)
    assert answer.status_code == 429 and answer.json()["code"] == "too_many_suggestions"


def test_seller_desk_and_status_with_tenant_isolation(client, merchant, buyer):
    s = services.suggest(actor=buyer, text="Open on Sundays", store_id=merchant.pk)
    client.force_login(merchant.owner)
    desk = client.get(f"/api/v1/seller/suggestions?organization={merchant.pk}&status=open").json()
    assert [i["id"] for i in desk["items"]] == [s.pk]
    done = client.post(
        f"/api/v1/seller/suggestions/{s.pk}/status", {"status": "planned", "reply": "In spring"}, content_type=J
    )
    assert done.status_code == 200 and done.json()["status"] == "planned"
    bad = client.post(f"/api/v1/seller/suggestions/{s.pk}/status", {"status": "bogus"}, content_type=J)
    assert bad.status_code in (400, 422)
    other = factories.seller_with_owner()
    client.force_login(other.owner)
    assert (
        client.post(f"/api/v1/seller/suggestions/{s.pk}/status", {"status": "done"}, content_type=J).status_code == 404
    )
    assert client.get(f"/api/v1/seller/suggestions?organization={merchant.pk}").status_code == 404
    client.force_login(buyer)
    assert client.get(f"/api/v1/seller/suggestions?organization={merchant.pk}").status_code == 404


def test_order_feedback_once_after_completion(client, buyer):
    order = factories.paid_order(buyer=buyer)
    client.force_login(buyer)
    url = f"/api/v1/orders/{order.number}/feedback"
    assert client.post(url, {"text": "Faster please"}, content_type=J).json()["code"] == "order_not_completed"
    Order.objects.filter(pk=order.pk).update(state=Order.State.COMPLETED)
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert "data-order-feedback" in page
    made = client.post(url, {"text": "Faster please"}, content_type=J)
    assert made.status_code == 201
    again = client.post(url, {"text": "Again"}, content_type=J)
    assert again.status_code == 409 and again.json()["code"] == "feedback_already_given"
    assert OrderFeedback.objects.get().seller_id == order.seller_id
    other = factories.UserFactory()
    client.force_login(other)
    assert client.post(url, {"text": "not mine"}, content_type=J).status_code == 404
    client.force_login(order.seller.owner)
    got = client.get(f"/api/v1/seller/order-feedback?organization={order.seller_id}").json()
    assert [i["text"] for i in got["items"]] == ["Faster please"]


def test_demand_endpoint(client, merchant, django_assert_max_num_queries):
    note_search(text="Durian", region="Nanjing", results=0)
    client.force_login(merchant.owner)
    with django_assert_max_num_queries(10):
        got = client.get(f"/api/v1/seller/demand?organization={merchant.pk}&days=7")
    assert got.status_code == 200
    assert [(r["term"], r["searches"], r["trend"]) for r in got.json()] == [("durian", 1, "new")]
    assert client.get(f"/api/v1/seller/demand?organization={merchant.pk}&days=5").status_code == 400


def test_api_list_query_budget(client, merchant, django_assert_max_num_queries):
    for i in range(8):
        services.suggest(actor=factories.UserFactory(), text=f"idea {i}", store_id=merchant.pk)
    client.force_login(factories.UserFactory())
    with django_assert_max_num_queries(8):
        assert len(client.get(f"/api/v1/suggestions?store={merchant.pk}").json()["items"]) == 8
    assert Suggestion.objects.count() == 8
