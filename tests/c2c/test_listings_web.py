"""Private listings on the web and in the API: /sell/item/, My listings, the listing page (condition, place,
delivery, seller; Buy now; no retail badges), the cards; the listings endpoints; query budgets."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests import factories
from tests.api.conftest import Api, assert_error
from tests.c2c.trading import listing
from tradeloop.accounts.services import issue_token
from tradeloop.c2c import listings
from tradeloop.c2c.models import Listing, ProhibitedCategory
from tradeloop.catalog import services as catalog
from tradeloop.catalog.models import Product
from tradeloop.checkout.models import Address
from tradeloop.core import clock as core_clock
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db


def _photo(name: str = "kindle.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _page(item) -> str:
    return reverse("storefront:product", args=[item.product.pk, item.product.slug])


def _with_address(user):
    Address.objects.create(user=user, name="Mei Lin", phone="138", line1="18 Nanshan Road", city="Hangzhou")
    return user


@pytest.fixture
def person():
    return factories.UserFactory()


@pytest.fixture
def web(person):
    client = Client()
    client.force_login(person)
    return client


def _api(user) -> Api:
    _, secret = issue_token(user=user)
    return Api(Client(), secret)


FORM = {
    "title": "Kindle Paperwhite",
    "description": "Barely used.\n\nWith its cover.",
    "condition": "like_new",
    "price": "300",
    "ships": "on",
    "delivery_speed": "post",
    "shipping_fee": "12",
    "city": "Hangzhou",
    "district": "Xihu",
}


# --- web ----------------------------------------------------------------------------------------------------------


def test_sell_an_item_on_one_page_with_photos(web):
    page = web.get("/sell/item/")
    assert page.status_code == 200 and "Put it on sale" in page.content.decode()
    done = web.post("/sell/item/", {**FORM, "photos": [_photo(), _photo("back.png")]})
    item = Listing.objects.get()
    assert done.status_code == 302 and done["Location"] == _page(item)
    assert item.product.images.count() == 2 and item.delivery_speed == "post"
    html = web.get(done["Location"]).content.decode()
    assert "Your item is on sale." in html and "Edit" in html and "Withdraw" in html
    assert "Buy now" not in html  # your own listing


def test_a_prohibited_category_is_a_form_error_and_nothing_is_written(web):
    weapons = catalog.create_category(name="Weapons")
    ProhibitedCategory.objects.create(category=weapons, reason="weapons")
    refused = web.post("/sell/item/", {**FORM, "category": weapons.pk})
    assert refused.status_code == 400 and "cannot list items in this category" in refused.content.decode()
    assert not Listing.objects.exists() and not Product.objects.exists()


def test_bad_form_input_is_a_400_with_the_form(web):
    bad = web.post("/sell/item/", {**FORM, "price": "-1", "ships": "", "local_pickup": ""})
    assert bad.status_code == 400
    not_an_image = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    bad = web.post("/sell/item/", {**FORM, "photos": [not_an_image]})
    assert bad.status_code == 400 and "not an image" in bad.content.decode()
    assert not Listing.objects.exists()


def test_the_listing_page_shows_condition_place_delivery_and_no_retail_badges(client):
    item = listing(price="300.00", shipping_fee="12.00", district="Xihu", local_pickup=True)
    Product.objects.filter(pk=item.product.pk).update(condition="like_new")
    html = client.get(_page(item)).content.decode()
    assert "Like new" in html and "Hangzhou" in html and "Xihu" in html and "Local pickup" in html
    assert "Express courier" in html and "CN¥12.00" in html and "New seller" in html
    assert "Sign in to buy" in html
    for retail in ("In stock", "Sale", "Add to cart", "Offers on second-hand items aren"):
        assert retail not in html
    assert f"/people/{item.product.seller.pk}/" in html


def test_buy_now_on_the_web_goes_to_the_payment(client):
    item = listing()
    buyer = _with_address(factories.UserFactory())
    client.force_login(buyer)
    page = client.get(_page(item)).content.decode()
    assert "Buy now" in page
    bought = client.post(f"/listings/{item.pk}/buy/")
    order = Order.objects.get()
    assert bought.status_code == 302 and order.mode == "c2c" and order.buyer == buyer
    assert bought["Location"] != _page(item)
    other = Client()
    other.force_login(_with_address(factories.UserFactory()))
    refused = other.post(f"/listings/{item.pk}/buy/")
    assert refused.status_code == 302 and Order.objects.count() == 1


def test_buy_now_without_an_address_asks_for_one(client):
    item = listing()
    client.force_login(factories.UserFactory())
    asked = client.post(f"/listings/{item.pk}/buy/")
    assert asked.status_code == 302 and asked["Location"].startswith("/account/addresses/new/?next=")
    assert not Order.objects.exists()


def test_sold_and_ended_listings_say_so(client, person):
    item = listings.create_listing(actor=person, title="Lamp", price="20", city="Wuxi")
    listings.withdraw(actor=person, listing_id=item.pk)
    html = client.get(_page(item)).content.decode()
    assert "No longer available" in html and "Buy now" not in html
    sold = listing()
    Listing.objects.filter(pk=sold.pk).update(state=Listing.State.SOLD)
    html = client.get(_page(sold)).content.decode()
    assert "Sold" in html and "Buy now" not in html


def test_my_listings_tabs_renew_and_withdraw(web, person, clock):
    first = listings.create_listing(actor=person, title="Lamp", price="20", city="Wuxi")
    page = web.get("/sell/listings/").content.decode()
    assert "Lamp" in page and "My listings" in page
    assert web.post(f"/sell/listings/{first.pk}/withdraw/").status_code == 302
    assert "Lamp" not in web.get("/sell/listings/").content.decode()
    ended = web.get("/sell/listings/?tab=ended").content.decode()
    assert "Lamp" in ended and "Renew" in ended
    web.post(f"/sell/listings/{first.pk}/renew/")
    first.refresh_from_db()
    assert first.state == Listing.State.ACTIVE and first.renewals == 1
    assert web.post(f"/sell/listings/{first.pk}/explode/").status_code == 404
    stranger = Client()
    stranger.force_login(factories.UserFactory())
    assert stranger.post(f"/sell/listings/{first.pk}/withdraw/").status_code == 404
    assert stranger.get(f"/sell/listings/{first.pk}/edit/").status_code == 404


def test_edit_a_listing_on_the_web(web, person):
    item = listings.create_listing(actor=person, title="Lamp", price="20", city="Wuxi")
    form = web.get(f"/sell/listings/{item.pk}/edit/")
    assert form.status_code == 200 and 'value="Lamp"' in form.content.decode()
    saved = web.post(
        f"/sell/listings/{item.pk}/edit/",
        {
            "title": "Lamp",
            "condition": "good",
            "price": "15",
            "ships": "on",
            "delivery_speed": "express",
            "shipping_fee": "0",
            "city": "Suzhou",
        },
    )
    assert saved.status_code == 302
    item.refresh_from_db()
    assert item.city == "Suzhou" and item.product.variants.get().price == 15


def test_cards_of_listings_show_condition_and_city(client):
    item = listing(city="Ningbo")
    html = client.get("/products/?kind=listing").content.decode()
    assert item.product.display_title in html and "Ningbo" in html and "New" in html
    assert "Sale" not in html


def test_the_account_menu_links_my_listings(web):
    assert "/sell/listings/" in web.get("/sell/listings/").content.decode()


def test_listing_page_query_budget(client, django_assert_max_num_queries):
    item = listing()
    for n in range(4):
        listing(seller=item.product.seller, title=f"More {n}")
    url = _page(item)
    client.get(url)
    with django_assert_max_num_queries(7):  # the product page's 5, the listing and the seller's standing
        assert client.get(url).status_code == 200
    client.force_login(_with_address(factories.UserFactory()))
    client.get(url)
    with django_assert_max_num_queries(16):  # + session, user, header, cart badge, watch and offer boxes
        assert client.get(url).status_code == 200


# --- API ----------------------------------------------------------------------------------------------------------


def test_create_a_listing_by_api_then_photos(person):
    api = _api(person)
    made = api.post(
        "listings",
        {"title": "Kindle", "price": "300", "city": "Hangzhou", "condition": "like_new", "shipping_fee": "12"},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["state"] == "active" and body["on_sale"] and body["condition"] == "like_new"
    assert body["price"] == "300.00" and body["shipping_fee"] == "12.00" and body["seller"]["level"] is None
    photos = api.upload(f"listings/{body['id']}/photos", {"photos": [_photo()]})
    assert photos.status_code == 201 and len(photos.json()["photos"]) == 1
    assert Api(Client()).get(f"listings/{body['id']}").json()["title"] == "Kindle"


def test_api_refuses_prohibited_categories_and_bad_input(person):
    api = _api(person)
    weapons = catalog.create_category(name="Weapons")
    ProhibitedCategory.objects.create(category=weapons, reason="weapons")
    assert_error(
        api.post("listings", {"title": "Knife", "price": "30", "city": "Wuxi", "category": "weapons"}),
        400,
        "prohibited_category",
        "category",
    )
    assert api.post("listings", {"title": "Knife", "price": "-1", "city": "Wuxi"}).status_code in (400, 422)
    assert api.post("listings", {"title": "Knife", "price": "1", "city": "Wuxi", "condition": "bad"}).status_code in (
        400,
        422,
    )
    assert_error(api.post("listings", {"title": "X", "price": "1", "city": "W", "ships": False}), 400, field="ships")
    assert not Listing.objects.exists()
    assert_error(Api(Client()).post("listings", {"title": "X", "price": "1", "city": "W"}), 401)


def test_api_edit_renew_withdraw(person, clock):
    api = _api(person)
    item = listings.create_listing(actor=person, title="Lamp", price="20", city="Wuxi")
    edited = api.patch(f"listings/{item.pk}", {"price": "15", "district": "Binhu"})
    assert edited.status_code == 200 and edited.json()["price"] == "15.00" and edited.json()["district"] == "Binhu"
    assert_error(api.post(f"listings/{item.pk}/renew"), 409, "not_renewable")
    assert api.post(f"listings/{item.pk}/withdraw").json()["state"] == "withdrawn"
    assert api.post(f"listings/{item.pk}/renew").json()["state"] == "active"
    assert_error(_api(factories.UserFactory()).post(f"listings/{item.pk}/withdraw"), 404)
    mine = api.get("seller/listings", {"tab": "active"}).json()
    assert [row["id"] for row in mine["items"]] == [item.pk]


def test_api_buy_now_with_an_idempotency_key(person):
    item = listing(shipping_fee="12.00")
    buyer = _with_address(factories.UserFactory())
    api = _api(buyer)
    first = api.post(f"listings/{item.pk}/buy", HTTP_IDEMPOTENCY_KEY="buy-1")
    assert first.status_code == 201, first.content
    again = api.post(f"listings/{item.pk}/buy", HTTP_IDEMPOTENCY_KEY="buy-1")
    assert again.status_code == 201 and again.json()["number"] == first.json()["number"]
    assert first.json()["mode"] == "c2c" and first.json()["total"] == "312.00"
    second = _api(_with_address(factories.UserFactory()))
    assert_error(second.post(f"listings/{item.pk}/buy"), 409, "out_of_stock")
    seller = _api(item.product.seller.memberships.get().user)
    assert_error(seller.post(f"listings/{item.pk}/buy"), 400, "own_listing")
    assert_error(api.post("listings/999999/buy"), 404)
    assert Order.objects.count() == 1


def test_api_search_filters_and_pages(person):
    cheap = listing(price="50.00", title="Bike", city="Wuxi")
    listing(price="500.00", title="Sofa", city="Hangzhou")
    api = Api(Client())
    assert [r["id"] for r in api.get("listings", {"q": "bik"}).json()["items"]] == [cheap.pk]
    assert [r["id"] for r in api.get("listings", {"city": "wuxi"}).json()["items"]] == [cheap.pk]
    assert [r["id"] for r in api.get("listings", {"max_price": "100"}).json()["items"]] == [cheap.pk]
    first = api.get("listings", {"limit": 1}).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    rest = api.get("listings", {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert rest["items"][0]["id"] == cheap.pk and rest["next_cursor"] is None
    assert_error(api.get("listings", {"cursor": "garbage"}), 400, field="cursor")
    assert_error(api.get("listings", {"category": "nope"}), 400, field="category")
    assert_error(api.get("listings/424242"), 404)


def test_api_listings_query_budget(django_assert_max_num_queries):
    for n in range(12):
        listing(title=f"Item {n}")
    api = Api(Client())
    with django_assert_max_num_queries(4):
        assert len(api.get("listings").json()["items"]) == 12


def test_the_sweep_task_expires_listings(person, clock):
    from tradeloop.c2c import tasks

    listings.create_listing(actor=person, title="Lamp", price="20", city="Wuxi")
    clock.advance(days=121)
    assert tasks.sweep_expired_listings() == 1
    assert Listing.objects.get().state == Listing.State.EXPIRED
    assert core_clock.now()


def test_the_pages_read_in_chinese(client, web):
    item = listing(price="300.00")
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    client.force_login(_with_address(factories.UserFactory()))
    client.cookies["django_language"] = "zh-hans"
    web.cookies["django_language"] = "zh-hans"
    page = client.get(_page(item), **zh).content.decode()
    assert "立即购买" in page or "购买" in page
    assert "Buy now" not in page
    assert web.get("/sell/item/", **zh).status_code == 200
    assert web.get("/sell/listings/", **zh).status_code == 200
