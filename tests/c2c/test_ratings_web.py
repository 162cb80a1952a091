"""Ratings and profiles on the web and through the API: rate from the order page, double-blind views, the public
profile with its level, query budgets."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from tests.api.conftest import Api, assert_error
from tests.c2c.test_ratings import completed_order
from tests.c2c.trading import listing, shipped_c2c_order
from tradeloop.accounts.services import issue_token
from tradeloop.c2c import ratings, standing
from tradeloop.c2c.models import Rating

pytestmark = pytest.mark.django_db


def api_as(user=None) -> Api:
    if user is None:
        return Api(Client())
    _, secret = issue_token(user=user)
    return Api(Client(), secret)


def web_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the web ----------------------------------------------------------------------------------------------------


def test_buyer_rates_from_the_order_page():
    order = completed_order()
    web = web_as(order.buyer)
    page = web.get(f"/orders/{order.pk}/ratings/")
    assert page.status_code == 200
    assert "Rate the seller" in page.content.decode()
    answer = web.post(
        f"/orders/{order.pk}/ratings/",
        {"stars": "4", "text": "Nice", "as_described": "5", "communication": "4", "shipping": ""},
    )
    assert answer.status_code == 302
    r = Rating.objects.get()
    assert (r.stars, r.as_described, r.communication, r.shipping, r.text) == (4, 5, 4, None, "Nice")
    page = web.get(f"/orders/{order.pk}/ratings/").content.decode()
    assert "Rate the seller" not in page and "Nice" in page


def test_seller_rates_the_buyer_on_the_web():
    order = completed_order()
    web = web_as(order.seller.owner)
    page = web.get(f"/orders/{order.pk}/ratings/").content.decode()
    assert "Rate the buyer" in page and 'name="shipping"' not in page
    assert web.post(f"/orders/{order.pk}/ratings/", {"stars": "5"}).status_code == 302
    assert Rating.objects.get().side == "seller"


def test_a_bad_form_is_a_form_error():
    order = completed_order()
    answer = web_as(order.buyer).post(f"/orders/{order.pk}/ratings/", {"stars": "9"})
    assert answer.status_code == 400
    assert not Rating.objects.exists()


def test_strangers_get_404_and_unfinished_orders_show_no_form():
    order = completed_order()
    assert web_as(factories.UserFactory()).get(f"/orders/{order.pk}/ratings/").status_code == 404
    shipped = shipped_c2c_order()
    page = web_as(shipped.buyer).get(f"/orders/{shipped.pk}/ratings/")
    assert page.status_code == 200 and "Send the rating" not in page.content.decode()
    assert web_as(shipped.buyer).post(f"/orders/{shipped.pk}/ratings/", {"stars": "5"}).status_code == 400


def test_the_rating_box_tag():
    from django.template import Context, Template
    from django.test import RequestFactory

    order = completed_order()
    request = RequestFactory().get("/")
    request.user = order.buyer
    html = Template("{% load c2c_trust %}{% order_rating order %}").render(
        Context({"order": order, "request": request})
    )
    assert "Rate the seller" in html and f"/orders/{order.pk}/ratings/" in html
    request.user = factories.UserFactory()
    assert "Rate" not in Template("{% load c2c_trust %}{% order_rating order %}").render(
        Context({"order": order, "request": request})
    )
    shipped = shipped_c2c_order()
    request.user = shipped.buyer
    assert "Rate" not in Template("{% load c2c_trust %}{% order_rating order %}").render(
        Context({"order": shipped, "request": request})
    )


def test_seller_level_tag():
    from django.template import Context, Template

    seller = factories.seller_with_owner(kind="personal")
    tpl = Template("{% load c2c_trust %}{% seller_level org %}")
    html = tpl.render(Context({"org": seller}))
    assert "New seller" in html and f"/people/{seller.pk}/" in html
    for _ in range(3):
        completed_order(item=listing(seller=seller))
    seller.refresh_from_db()
    html = tpl.render(Context({"org": type(seller).objects.get(pk=seller.pk)}))
    assert "Good seller" in html and 'data-level="good"' in html


def test_the_public_profile(clock):
    seller = factories.seller_with_owner(kind="personal", name="Li Lei")
    orders = [completed_order(item=listing(seller=seller, title=f"Book {n}")) for n in range(3)]
    for n, order in enumerate(orders):
        ratings.rate(actor=order.buyer, order_id=order.pk, stars=5 - n, text=f"note {n}", as_described=5)
    listing(seller=seller, title="Bicycle on sale")
    page = Client().get(f"/people/{seller.pk}/").content.decode()
    assert "Li Lei" in page and "Bicycle on sale" in page and "New seller" not in page
    assert "note 0" not in page  # double-blind: not yet
    clock.advance(days=8)
    standing.refresh(seller)
    page = Client().get(f"/people/{seller.pk}/").content.decode()
    assert "note 0" in page and "note 2" in page and "Good seller" in page
    assert "4.0" in page  # average of 5, 4, 3


def test_profile_of_a_merchant_or_unknown_is_404():
    merchant = factories.seller_with_owner()
    assert Client().get(f"/people/{merchant.pk}/").status_code == 404
    assert Client().get("/people/999999/").status_code == 404


def test_profile_query_budget(clock, django_assert_max_num_queries):
    seller = factories.seller_with_owner(kind="personal")
    for n in range(6):
        order = completed_order(item=listing(seller=seller, title=f"Item {n}"))
        ratings.rate(actor=order.buyer, order_id=order.pk, stars=5, text="ok", as_described=4)
        ratings.rate(actor=order.seller.owner, order_id=order.pk, stars=5)
    for n in range(8):
        listing(seller=seller, title=f"For sale {n}")
    client = Client()
    with django_assert_max_num_queries(8):
        assert client.get(f"/people/{seller.pk}/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"/people/{seller.pk}/ratings/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"/people/{seller.pk}/ratings/?role=buyer").status_code == 200


# --- the API ----------------------------------------------------------------------------------------------------


def test_rate_through_the_api_and_the_double_blind(clock):
    order = completed_order()
    buyer, seller = api_as(order.buyer), api_as(order.seller.owner)
    got = buyer.get(f"orders/{order.pk}/ratings")
    assert got.status_code == 200, got.content
    assert got.json()["can_rate"] is True and got.json()["my_side"] == "buyer"
    posted = buyer.post(f"orders/{order.pk}/ratings", {"stars": 5, "text": "Great", "shipping": 4})
    assert posted.status_code == 201, posted.content
    assert posted.json()["ratings"][0]["stars"] == 5
    body = seller.get(f"orders/{order.pk}/ratings").json()
    assert body["ratings"] == [] and body["other_side_rated"] is True
    assert_error(buyer.post(f"orders/{order.pk}/ratings", {"stars": 4}), 409, "already_rated")
    assert_error(seller.post(f"orders/{order.pk}/ratings", {"stars": 4, "shipping": 2}), 400, field="shipping")
    assert seller.post(f"orders/{order.pk}/ratings", {"stars": 3}).status_code == 201
    body = buyer.get(f"orders/{order.pk}/ratings").json()
    assert sorted(r["side"] for r in body["ratings"]) == ["buyer", "seller"]


def test_api_errors():
    order = completed_order()
    buyer = api_as(order.buyer)
    assert_error(buyer.post(f"orders/{order.pk}/ratings", {"stars": 6}), 422)
    assert_error(buyer.post(f"orders/{order.pk}/ratings", {"stars": True}), 422)
    assert_error(api_as(factories.UserFactory()).post(f"orders/{order.pk}/ratings", {"stars": 5}), 404)
    assert_error(api_as().post(f"orders/{order.pk}/ratings", {"stars": 5}), 401)
    shipped = shipped_c2c_order()
    assert_error(api_as(shipped.buyer).post(f"orders/{shipped.pk}/ratings", {"stars": 5}), 409, "not_rateable")


def test_profile_api_and_keyset_pages(clock, django_assert_max_num_queries):
    seller = factories.seller_with_owner(kind="personal")
    for n in range(5):
        order = completed_order(item=listing(seller=seller, title=f"Item {n}"))
        ratings.rate(actor=order.buyer, order_id=order.pk, stars=4, communication=5)
    clock.advance(days=8)
    standing.refresh(seller)
    anonymous = api_as()
    body = anonymous.get(f"profiles/{seller.pk}").json()
    assert body["standing"]["level"] == "good" and body["as_seller"]["count"] == 5
    assert body["as_seller"]["communication"] == 5.0
    seen, cursor = [], None
    while True:
        with django_assert_max_num_queries(4):
            page = anonymous.get(
                f"profiles/{seller.pk}/ratings", {"limit": 2, **({"cursor": cursor} if cursor else {})}
            )
        assert page.status_code == 200, page.content
        seen += [r["id"] for r in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 5
    assert_error(anonymous.get(f"profiles/{factories.seller_with_owner().pk}"), 404)
    assert_error(anonymous.get(f"profiles/{seller.pk}/ratings", {"cursor": "garbage"}), 400)


def test_the_order_pages_link_to_the_ratings():
    order = completed_order()
    page = web_as(order.buyer).get(f"/orders/{order.number}/").content.decode()
    assert "Rate the seller" in page and f"/orders/{order.pk}/ratings/" in page
    console = web_as(order.seller.owner).get(f"/console/{order.seller_id}/orders/{order.pk}/").content.decode()
    assert "Rate the buyer" in console
    shipped = shipped_c2c_order()
    assert "Rate the seller" not in web_as(shipped.buyer).get(f"/orders/{shipped.number}/").content.decode()
