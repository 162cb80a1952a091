"""The seller customers API: list with filters and cursor, one customer, tags, notes, segments, members, coupon and
message sends; another seller's answers 404; bad input 4xx; fixed query budgets."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from tests.api.conftest import Api, assert_error
from tradeloop.accounts.services import issue_token
from tradeloop.crm.models import Customer

pytestmark = pytest.mark.django_db


def as_user(user) -> Api:
    _, secret = issue_token(user=user)
    api = Api(Client(), secret)
    api.get("me")  # the token's last-used stamp is written once
    return api


@pytest.fixture
def many(shop, buy, clock):
    buyers = []
    for i in range(12):
        buyer = factories.UserFactory(name=f"Buyer {i:02d}")
        buy(buyer, price=f"{10 + i}.00", city="Nanjing" if i % 2 else "Shanghai")
        clock.advance(hours=1)
        buyers.append(buyer)
    return buyers


def test_the_list_filters_sorts_and_pages_at_a_fixed_cost(shop, many, django_assert_max_num_queries):
    api = as_user(shop.owner)
    with django_assert_max_num_queries(5):  # auth, membership, the page, its tags
        first = api.get("seller/customers", {"organization": shop.pk, "limit": 5}).json()
    assert [c["name"] for c in first["items"]] == [f"Buyer {i:02d}" for i in (11, 10, 9, 8, 7)]
    second = api.get("seller/customers", {"organization": shop.pk, "limit": 5, "cursor": first["next_cursor"]}).json()
    assert [c["name"] for c in second["items"]][0] == "Buyer 06"
    by_value = api.get("seller/customers", {"organization": shop.pk, "sort": "value", "limit": 2}).json()
    assert [c["lifetime_value"] for c in by_value["items"]] == ["21.00", "20.00"]
    assert by_value["items"][0]["currency"] == "CNY"
    nanjing = api.get("seller/customers", {"organization": shop.pk, "city": "nanjing", "limit": 100}).json()
    assert len(nanjing["items"]) == 6 and {c["city"] for c in nanjing["items"]} == {"Nanjing"}
    found = api.get("seller/customers", {"organization": shop.pk, "q": many[3].email}).json()
    assert [c["name"] for c in found["items"]] == ["Buyer 03"]


def test_tags_and_notes(shop, many):
    api = as_user(shop.owner)
    ids = list(Customer.objects.filter(seller=shop).order_by("pk").values_list("pk", flat=True))
    made = api.post(f"seller/customers/{ids[0]}/tags", {"tag": "VIP", "customer_ids": ids[1:3]})
    assert made.status_code == 201, made.content
    assert made.json()["tagged"] == 3 and made.json()["customer"]["tags"][0]["name"] == "VIP"
    tag_id = made.json()["customer"]["tags"][0]["id"]
    tagged = api.get("seller/customers", {"organization": shop.pk, "tag": tag_id}).json()
    assert {c["id"] for c in tagged["items"]} == set(ids[:3])
    note = api.post(f"seller/customers/{ids[0]}/notes", {"text": "Call before shipping"})
    assert note.status_code == 201 and note.json()["author_id"] == shop.owner.pk
    detail = api.get(f"seller/customers/{ids[0]}").json()
    assert [n["text"] for n in detail["notes"]] == ["Call before shipping"]
    assert len(detail["orders"]) == 1 and detail["orders"][0]["state"] == "paid"
    assert api.delete(f"seller/customers/{ids[0]}/tags/{tag_id}").status_code == 204
    assert api.delete(f"seller/customers/notes/{note.json()['id']}").status_code == 204


def test_bad_input_is_a_clear_4xx(shop, many):
    api = as_user(shop.owner)
    customer = Customer.objects.filter(seller=shop).first()
    assert_error(
        api.get("seller/customers", {"organization": shop.pk, "cursor": "nonsense!"}), 400, "invalid", "cursor"
    )
    assert api.get("seller/customers", {"organization": shop.pk, "sort": "name"}).status_code == 422
    assert api.post(f"seller/customers/{customer.pk}/tags", {"tag": ""}).status_code == 422
    assert api.post(f"seller/customers/{customer.pk}/notes", {"text": "x" * 2001}).status_code == 422
    assert_error(
        api.post(
            "seller/segments", {"organization": shop.pk, "name": "x", "rules": [{"kind": "min_orders", "value": "a"}]}
        ),
        400,
        "invalid",
        "rules[0].value",
    )
    assert (
        api.post("seller/segments", {"organization": shop.pk, "name": "x", "rules": [{"kind": "zzz"}]}).status_code
        == 422
    )


def test_another_sellers_customer_and_segment_answer_404(shop, many):
    other = factories.seller_with_owner(kind="merchant")
    api = as_user(other.owner)
    customer = Customer.objects.filter(seller=shop).first()
    mine = as_user(shop.owner)
    segment = mine.post(
        "seller/segments", {"organization": shop.pk, "name": "All", "rules": [{"kind": "min_orders", "value": 1}]}
    )
    assert segment.status_code == 201, segment.content
    sid = segment.json()["id"]
    assert_error(api.get(f"seller/customers/{customer.pk}"), 404, "not_found")
    assert_error(api.post(f"seller/customers/{customer.pk}/notes", {"text": "hi"}), 404, "not_found")
    assert_error(api.get("seller/customers", {"organization": shop.pk}), 404, "not_found")
    assert_error(api.get(f"seller/segments/{sid}/members"), 404, "not_found")
    assert_error(api.post(f"seller/segments/{sid}/message", {"subject": "a", "body": "b"}), 404, "not_found")
    own = api.post(f"seller/customers/{customer.pk}/tags", {"tag": "x"})
    assert own.status_code == 404


def test_segments_members_and_sends(shop, many, mailoutbox, django_assert_max_num_queries):
    api = as_user(shop.owner)
    made = api.post(
        "seller/segments",
        {
            "organization": shop.pk,
            "name": "Nanjing regulars",
            "rules": [{"kind": "city_is", "value": "Nanjing"}, {"kind": "spent_over", "value": "15"}],
        },
    )
    assert made.status_code == 201, made.content
    segment = made.json()
    assert segment["members"] == 3  # 17, 19, 21 spent in Nanjing
    assert segment["rules"][0]["label"] == "City is: Nanjing"
    for n in range(3):
        api.post(
            "seller/segments",
            {"organization": shop.pk, "name": f"S{n}", "rules": [{"kind": "min_orders", "value": n + 1}]},
        )
    with django_assert_max_num_queries(6):  # auth, membership, segments, tags, one COUNT for all
        listed = api.get("seller/segments", {"organization": shop.pk}).json()
    assert {s["name"]: s["members"] for s in listed}["S0"] == 12
    with django_assert_max_num_queries(6):
        members = api.get(f"seller/segments/{segment['id']}/members").json()
    assert len(members["items"]) == 3
    coupon = api.post(f"seller/segments/{segment['id']}/coupon", {"kind": "percent", "value": "10", "valid_days": 14})
    assert coupon.status_code == 201, coupon.content
    assert coupon.json()["recipients"] == 3 and coupon.json()["code"].startswith("SEG")
    message = api.post(f"seller/segments/{segment['id']}/message", {"subject": "Spring tea", "body": "It is here"})
    assert message.status_code == 201 and message.json()["recipients"] == 3
    assert_error(api.post(f"seller/segments/{segment['id']}/coupon", {"value": "10", "valid_days": 0}), 422)
    empty = api.post(
        "seller/segments", {"organization": shop.pk, "name": "None", "rules": [{"kind": "min_orders", "value": 99}]}
    )
    assert_error(
        api.post(f"seller/segments/{empty.json()['id']}/message", {"subject": "a", "body": "b"}), 409, "empty_segment"
    )
