"""Watching on the web and in the API: the button, the /watching/ page's tabs, saved searches, alerts, budgets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from tests import factories
from tests.api.conftest import Api, assert_error
from tests.c2c.test_watching import make_listing, reprice
from tradeloop.accounts.services import issue_token
from tradeloop.c2c import watching as services
from tradeloop.c2c.models import Alert, SavedSearch, Watch

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer():
    return factories.UserFactory()


@pytest.fixture
def web(buyer):
    client = Client()
    client.force_login(buyer)
    return client


@pytest.fixture
def api(buyer):
    _, secret = issue_token(user=buyer)
    return Api(Client(), secret)


def _button(user, product) -> str:
    request = RequestFactory().get("/p/1/")
    request.user = user
    return Template("{% load c2c_watching %}{% watch_button product %}").render(
        Context({"request": request, "product": product, "csrf_token": "x"})
    )


# --- web ----------------------------------------------------------------------------------------------------------


def test_the_watch_button_for_buyers_guests_and_the_seller(buyer):
    from django.contrib.auth.models import AnonymousUser

    seller = factories.seller_with_owner(kind="personal")
    item = make_listing(seller=seller)
    assert "Watch" in _button(buyer, item.product) and 'value="watch"' in _button(buyer, item.product)
    assert "Sign in to watch" in _button(AnonymousUser(), item.product)
    assert _button(seller.owner, item.product).strip() == ""
    services.watch(actor=buyer, product_id=item.product_id)
    assert 'value="unwatch"' in _button(buyer, item.product)


def test_watch_and_unwatch_by_post_and_by_htmx(web, buyer):
    item = make_listing()
    url = reverse("c2c:watch", args=[item.product_id])
    response = web.post(url, {"action": "watch", "next": f"/p/{item.product_id}/"})
    assert response.status_code == 302 and response["Location"] == f"/p/{item.product_id}/"
    assert Watch.objects.filter(user=buyer).count() == 1
    web.post(url, {"action": "watch", "next": "https://evil.example/"})  # again: still one; no open redirect
    assert Watch.objects.filter(user=buyer).count() == 1
    swapped = web.post(url, {"action": "unwatch"}, headers={"HX-Request": "true"})
    assert swapped.status_code == 200 and 'value="watch"' in swapped.content.decode()
    assert not Watch.objects.filter(user=buyer).exists()


def test_guests_are_sent_to_sign_in():
    item = make_listing()
    client = Client()
    for response in (client.get(reverse("c2c:watching")), client.post(reverse("c2c:watch", args=[item.product_id]))):
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_watching_page_shows_price_drops_and_sold_listings(web, buyer):
    cheaper = make_listing(title="Road bike", price="900.00")
    sold = make_listing(title="Camera", price="500.00")
    services.watch(actor=buyer, product_id=cheaper.product_id)
    services.watch(actor=buyer, product_id=sold.product_id)
    reprice(cheaper, "750.00")
    type(sold).objects.filter(pk=sold.pk).update(state="sold")
    page = web.get(reverse("c2c:watching")).content.decode()
    assert "Road bike" in page and "Price dropped" in page and "900.00" in page and "750.00" in page
    assert "Camera" in page and "Sold" in page


def test_saving_and_deleting_a_search_on_the_page(web, buyer):
    response = web.post(reverse("c2c:save_search"), {"q": "kindle", "city": "Hangzhou", "max_price": "300"})
    assert response.status_code == 302
    search = SavedSearch.objects.get(user=buyer)
    assert (search.query, search.city, search.max_price) == ("kindle", "Hangzhou", Decimal("300"))
    page = web.get(reverse("c2c:watching") + "?tab=searches").content.decode()
    assert "kindle" in page
    empty = web.post(reverse("c2c:save_search"), {"query": "", "city": ""})
    assert empty.status_code == 400 and "Give words" in empty.content.decode()
    theirs, _ = services.save_search(actor=factories.UserFactory(), query="bike")
    assert web.post(reverse("c2c:delete_search", args=[theirs.pk])).status_code == 404
    assert web.post(reverse("c2c:delete_search", args=[search.pk])).status_code == 302
    assert not SavedSearch.objects.filter(user=buyer).exists()


def test_alerts_tab_unread_first_and_mark_all_read(web, buyer):
    services.save_search(actor=buyer, query="bike")
    make_listing(title="Road bike")
    Alert.objects.update(read_at="2026-01-01T00:00:00Z")
    make_listing(title="Mountain bike")
    page = web.get(reverse("c2c:watching") + "?tab=alerts").content.decode()
    assert page.index("Mountain bike") < page.index("Road bike") and "Mark all read" in page
    web.post(reverse("c2c:alerts_read"))
    assert not Alert.objects.filter(user=buyer, read_at__isnull=True).exists()
    assert (
        Template("{% load c2c_watching %}{% c2c_unread_alerts %}").render(
            Context({"request": type("R", (), {"user": buyer})()})
        )
        == "0"
    )


def test_the_page_in_chinese(web, buyer):
    web.cookies["django_language"] = "zh-hans"
    page = web.get(reverse("c2c:watching"), headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "关注" in page


@pytest.mark.parametrize("tab", ["watching", "searches", "alerts"])
def test_page_query_budget(web, buyer, tab, django_assert_max_num_queries):
    for n in range(12):
        item = make_listing(title=f"Bike {n}", price="100.00")
        services.watch(actor=buyer, product_id=item.product_id)
        reprice(item, "90.00")
        services.save_search(actor=buyer, query=f"bike {n}")
    with django_assert_max_num_queries(12):
        assert web.get(reverse("c2c:watching") + f"?tab={tab}").status_code == 200


# --- API ----------------------------------------------------------------------------------------------------------


def test_api_watch_unwatch_and_list(api, buyer):
    item = make_listing(price="300.00")
    first = api.post(f"listings/{item.pk}/watch")
    assert first.status_code == 201, first.content
    assert api.post(f"listings/{item.pk}/watch").status_code == 200
    reprice(item, "250.00")
    body = api.get("watching").json()
    assert body["next_cursor"] is None
    [row] = body["items"]
    assert (
        row["listing_id"] == item.pk
        and row["product_id"] == item.product_id
        and row["price"] == "250.00"
        and row["was_price"] == "300.00"
    )
    assert row["price_dropped"] is True and row["state"] == "active"
    assert api.delete(f"listings/{item.pk}/watch").status_code == 204
    assert api.delete(f"listings/{item.pk}/watch").status_code == 204
    assert api.get("watching").json()["items"] == []
    assert_error(api.post("listings/999999/watch"), 404, "not_found")


def test_api_own_listing_and_guests(buyer):
    seller = factories.seller_with_owner(kind="personal")
    item = make_listing(seller=seller)
    _, secret = issue_token(user=seller.owner)
    assert_error(Api(Client(), secret).post(f"listings/{item.pk}/watch"), 409, "own_listing")
    guest = Api(Client())
    for response in (guest.get("watching"), guest.post(f"listings/{item.pk}/watch"), guest.get("alerts")):
        assert_error(response, 401, "not_authenticated")


def test_api_saved_searches(api, buyer):
    category = factories.CategoryFactory(slug="bikes", name="Bikes")
    made = api.post("saved-searches", {"query": "road bike", "category": category.pk, "max_price": "1000"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["query"] == "road bike" and body["category"]["slug"] == "bikes" and body["max_price"] == "1000"
    assert (
        api.post("saved-searches", {"query": "Road  Bike", "category": category.pk, "max_price": "1000"}).status_code
        == 200
    )
    assert_error(api.post("saved-searches", {}), 400, "invalid")
    assert_error(api.post("saved-searches", {"category": 999999}), 400, "invalid", "category")
    assert_error(api.post("saved-searches", {"query": "a\x00b"}), 422)
    assert_error(api.post("saved-searches", {"max_price": "-1"}), 422)
    [row] = api.get("saved-searches").json()["items"]
    theirs, _ = services.save_search(actor=factories.UserFactory(), query="bike")
    assert_error(api.delete(f"saved-searches/{theirs.pk}"), 404, "not_found")
    assert api.delete(f"saved-searches/{row['id']}").status_code == 204
    assert api.get("saved-searches").json()["items"] == []


def test_api_alerts_and_read(api, buyer):
    search, _ = services.save_search(actor=buyer, query="bike")
    make_listing(title="Road bike", price="800.00")
    [alert] = api.get("alerts", {"unread": "true"}).json()["items"]
    assert alert["kind"] == "new_match" and alert["saved_search_id"] == search.pk and alert["new_price"] == "800.00"
    assert alert["read"] is False
    assert api.post("alerts/read").json() == {"marked": 1}
    assert api.get("alerts", {"unread": "true"}).json()["items"] == []
    assert api.get("alerts").json()["items"][0]["read"] is True


@pytest.mark.parametrize("path", ["watching", "saved-searches", "alerts"])
def test_api_list_query_budget_and_pages(api, buyer, path, django_assert_max_num_queries):
    for n in range(30):
        item = make_listing(title=f"Bike {n}", price="100.00")
        services.watch(actor=buyer, product_id=item.product_id)
        reprice(item, "90.00")
        services.save_search(actor=buyer, query=f"bike {n}")
    with django_assert_max_num_queries(6):
        first = api.get(path, {"limit": 20}).json()
    assert len(first["items"]) == 20 and first["next_cursor"]
    seen, cursor = [row.get("id", row.get("listing_id")) for row in first["items"]], first["next_cursor"]
    while cursor:
        page = api.get(path, {"limit": 20, "cursor": cursor}).json()
        seen += [row.get("id", row.get("listing_id")) for row in page["items"]]
        cursor = page["next_cursor"]
    models = {"watching": Watch, "saved-searches": SavedSearch, "alerts": Alert}
    assert len(seen) == len(set(seen)) == models[path].objects.filter(user=buyer).count()
