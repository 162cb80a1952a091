"""Make-an-offer on the web and in the API: the offer box, the thread for both sides, My offers, the seller's rules;
the API's answers, 404 for another user's offer and a flat query budget."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tests.c2c.trading import listing
from tests.factories import UserFactory
from tradeloop.c2c import offers
from tradeloop.negotiation.models import Negotiation
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def item():
    return listing(price="300.00")


@pytest.fixture
def seller(item):
    return item.product.seller.owner


@pytest.fixture
def buyer():
    return UserFactory()


def _box(user, product) -> str:
    request = RequestFactory().get(f"/products/{product.pk}/")
    request.user = user
    return Template('{% include "c2c/_offer_box.html" %}').render(Context({"request": request, "product": product}))


def test_the_offer_box_for_a_buyer_a_guest_and_the_seller(item, buyer, seller):
    from django.contrib.auth.models import AnonymousUser

    html = _box(buyer, item.product)
    assert "Send offer" in html and "You have 5 of 5 offers left." in html
    assert "Sign in to make an offer" in _box(AnonymousUser(), item.product)
    offers.make_offer(actor=buyer, listing_id=item.pk, amount=Decimal("250"))
    html = _box(buyer, item.product)
    assert "Open the offer" in html and "Send offer" not in html
    assert "1 open offer on your listing." in _box(seller, item.product)


def test_offer_counter_accept_on_the_web(client, item, buyer, seller):
    client.force_login(buyer)
    made = client.post(f"/offers/new/{item.product.pk}/", {"amount": "250", "next": "/"})
    offer = Negotiation.objects.get()
    assert made["Location"] == f"/offers/{offer.pk}/"
    page = client.get(f"/offers/{offer.pk}/").content.decode()
    assert "Version 1" in page and "Withdraw" in page and "Expires in" in page
    client.force_login(seller)
    page = client.get(f"/offers/{offer.pk}/").content.decode()
    assert "Accept CN¥250.00" in page and "Send counter-offer" in page
    too_high = client.post(f"/offers/{offer.pk}/counter/", {"version": 1, "amount": "301"})
    assert too_high.status_code == 400 and "asking price" in too_high.content.decode()
    assert client.post(f"/offers/{offer.pk}/counter/", {"version": 1, "amount": "280"}).status_code == 302
    client.force_login(buyer)
    assert client.post(f"/offers/{offer.pk}/accept/", {"version": 2}).status_code == 302
    order = Order.objects.get()
    page = client.get(f"/offers/{offer.pk}/").content.decode()
    assert "Pay now" in page and f"/orders/{order.number}/" in page and order.lines.get().unit_price == Decimal("280")
    made_tab = client.get("/offers/").content.decode()
    assert item.product.display_title in made_tab
    client.force_login(seller)
    assert item.product.display_title in client.get("/offers/?tab=received").content.decode()


def test_the_seller_sets_auto_rules_on_the_listings_offers_page(client, item, seller, buyer):
    client.force_login(seller)
    assert client.get(f"/offers/listing/{item.pk}/").status_code == 200
    bad = client.post(f"/offers/listing/{item.pk}/", {"auto_accept_at": "100", "auto_decline_below": "200"})
    assert bad.status_code == 400
    ok = client.post(f"/offers/listing/{item.pk}/", {"auto_accept_at": "290", "auto_decline_below": "100"})
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.auto_accept_at == Decimal("290") and item.auto_decline_below == Decimal("100")
    client.force_login(buyer)
    assert client.get(f"/offers/listing/{item.pk}/").status_code == 404


def test_pages_in_chinese(client, item, buyer):
    offer = offers.make_offer(actor=buyer, listing_id=item.pk, amount=Decimal("250"))
    buyer.language = "zh-hans"
    buyer.save(update_fields=["language"])
    client.force_login(buyer)
    listing_page = client.get("/offers/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert listing_page.status_code == 200 and "我发出的出价" in listing_page.content.decode()
    thread = client.get(f"/offers/{offer.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert thread.status_code == 200 and "撤回" in thread.content.decode()


def test_another_users_offer_is_404_on_web_and_api(client, item, buyer):
    offer = offers.make_offer(actor=buyer, listing_id=item.pk, amount=Decimal("250"))
    client.force_login(UserFactory())
    assert client.get(f"/offers/{offer.pk}/").status_code == 404
    assert client.get(f"/api/v1/offers/{offer.pk}").status_code == 404
    accept = client.post(f"/api/v1/offers/{offer.pk}/accept", {"version": 1}, content_type=JSON)
    assert accept.status_code == 404


def test_the_api_round(client, item, buyer, seller):
    client.force_login(buyer)
    high = client.post(f"/api/v1/listings/{item.pk}/offers", {"amount": "300.01"}, content_type=JSON)
    assert high.status_code == 400 and high.json()["code"] == "offer_too_high"
    made = client.post(f"/api/v1/listings/{item.pk}/offers", {"amount": "250", "note": "cash"}, content_type=JSON)
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["state"] == "open" and body["amount"] == "250.0000" and body["turn"] == "seller"
    assert body["listing_id"] == item.pk and body["asking_price"] == "300.0000"
    offer_id = body["id"]
    client.force_login(seller)
    rules = client.patch(f"/api/v1/listings/{item.pk}/offer-rules", {"auto_accept_at": "295"}, content_type=JSON)
    assert rules.status_code == 200 and rules.json()["auto_accept_at"] == "295.0000"
    assert len(client.get(f"/api/v1/listings/{item.pk}/offers").json()["items"]) == 1
    countered = client.post(f"/api/v1/offers/{offer_id}/counter", {"version": 1, "amount": "290"}, content_type=JSON)
    assert countered.status_code == 201 and countered.json()["turn"] == "buyer"
    client.force_login(buyer)
    stale = client.post(f"/api/v1/offers/{offer_id}/accept", {"version": 1}, content_type=JSON)
    assert stale.status_code == 409 and stale.json()["code"] == "superseded"
    done = client.post(
        f"/api/v1/offers/{offer_id}/accept", {"version": 2}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="o1"
    )
    assert done.status_code == 200 and done.json()["state"] == "accepted" and done.json()["order_number"]
    replay = client.post(
        f"/api/v1/offers/{offer_id}/accept", {"version": 2}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="o1"
    )
    assert replay.status_code == 200 and Order.objects.count() == 1
    again = client.post(f"/api/v1/offers/{offer_id}/accept", {"version": 2}, content_type=JSON)
    assert again.status_code == 409 and again.json()["code"] == "already_accepted"
    mine = client.get("/api/v1/offers?side=buyer").json()["items"]
    assert [o["id"] for o in mine] == [offer_id]


def test_the_api_withdraw_and_decline(client, item, buyer, seller):
    client.force_login(buyer)
    first = client.post(f"/api/v1/listings/{item.pk}/offers", {"amount": "200"}, content_type=JSON).json()
    gone = client.post(f"/api/v1/offers/{first['id']}/withdraw", {}, content_type=JSON)
    assert gone.status_code == 200 and gone.json()["state"] == "withdrawn"
    second = client.post(f"/api/v1/listings/{item.pk}/offers", {"amount": "210"}, content_type=JSON).json()
    client.force_login(seller)
    no = client.post(f"/api/v1/offers/{second['id']}/decline", {"reason": "too low"}, content_type=JSON)
    assert no.status_code == 200 and no.json()["state"] == "declined"


def test_get_offers_query_budget(client, seller, django_assert_max_num_queries):
    items = [listing(seller=None, price="100") for _ in range(3)]
    buyer = UserFactory()
    for it in items:
        offer = offers.make_offer(actor=buyer, listing_id=it.pk, amount=Decimal("90"))
        offers.counter(actor=it.product.seller.owner, offer_id=offer.pk, version=1, amount=Decimal("95"))
    client.force_login(buyer)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/offers")
    assert response.status_code == 200 and len(response.json()["items"]) == 3
    with django_assert_max_num_queries(16):
        assert client.get("/offers/").status_code == 200


def test_an_expired_offer_shows_no_answers(client, item, buyer, seller, clock):
    offer = offers.make_offer(actor=buyer, listing_id=item.pk, amount=Decimal("250"))
    clock.advance(hours=48, seconds=1)
    client.force_login(seller)
    page = client.get(f"/offers/{offer.pk}/").content.decode()
    assert "This offer has expired." in page and "Send counter-offer" not in page


def test_a_bad_amount_in_the_offer_box_goes_back_with_the_reason(client, item, buyer):
    client.force_login(buyer)
    back = client.post(f"/offers/new/{item.product.pk}/", {"amount": "999"}, follow=True)
    assert "asking price" in back.content.decode() and not Negotiation.objects.exists()
