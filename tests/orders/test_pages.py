import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.checkout.conftest import fill_cart, stocked
from tests.factories import UserFactory, member, seller_with_owner
from tradeloop.checkout import addresses as address_book
from tradeloop.checkout import cart as carts
from tradeloop.checkout import services as checkout
from tradeloop.orders.models import Order


def place_orders(seller, buyers: int, lines: int = 2) -> list[Order]:
    variants = [stocked(seller, title=f"Goods {i}", stock=1000).variants.get() for i in range(lines)]
    placed = []
    first = UserFactory._meta.model.objects.count()
    for i in range(buyers):
        buyer = UserFactory(email=f"shopper{first + i}@example.com")
        fill_cart(buyer, [(v, 1) for v in variants])
        address = address_book.save_address(actor=buyer, data={"name": "A", "phone": "1", "line1": "x", "city": "Wuxi"})
        placed += checkout.place(
            buyer=buyer, address_id=address.pk, shipping_choices={}, coupon_codes=[], key=None
        ).orders
    return placed


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
        assert response.status_code == 200, response
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(ctx)


@pytest.fixture
def seller(db):
    return seller_with_owner(name="Busy Shop")


def test_order_desk_filters_searches_and_keeps_a_flat_query_count(client, seller, django_assert_max_num_queries):
    orders = place_orders(seller, buyers=3)
    client.force_login(seller.owner)
    desk = reverse("orders:console_orders", args=[seller.pk])
    client.get(desk)  # the first visit remembers the organization in the session
    few = queries(lambda: client.get(desk))
    orders += place_orders(seller, buyers=30, lines=1)
    assert queries(lambda: client.get(desk)) == few
    page = client.get(desk, {"q": orders[0].number}).content.decode()
    assert orders[0].number in page and orders[1].number not in page
    assert orders[0].number not in client.get(desk, {"status": "paid"}).content.decode()


def test_order_desk_pages_with_a_cursor(client, seller):
    orders = place_orders(seller, buyers=55, lines=1)
    client.force_login(seller.owner)
    first = client.get(reverse("orders:console_orders", args=[seller.pk]))
    assert first.context["page"].next_cursor
    second = client.get(
        reverse("orders:console_orders", args=[seller.pk]), {"after": first.context["page"].next_cursor}
    )
    seen = [o.pk for o in first.context["page"].items] + [o.pk for o in second.context["page"].items]
    assert sorted(seen) == sorted(o.pk for o in orders)


def test_export_streams_the_filtered_orders_as_csv(client, seller):
    orders = place_orders(seller, buyers=3)
    client.force_login(seller.owner)
    response = client.get(reverse("orders:console_export", args=[seller.pk]), {"q": orders[1].number})
    assert response["Content-Type"].startswith("text/csv") and response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["number"] for r in rows] == [orders[1].number]
    assert rows[0]["items"] == "1 x SKU-0; 1 x SKU-0" and rows[0]["buyer_email"] == orders[1].buyer.email


def test_the_order_page_shows_the_timeline_and_the_ship_panel(client, seller):
    order = place_orders(seller, buyers=1)[0]
    client.force_login(seller.owner)
    page = client.get(reverse("orders:console_order", args=[seller.pk, order.pk])).content.decode()
    assert "Awaiting payment" in page and order.buyer.email in page
    packer = member(seller, "fulfilment")
    client.force_login(packer)
    assert client.get(reverse("orders:console_order", args=[seller.pk, order.pk])).status_code == 200
    client.force_login(seller_with_owner().owner)
    assert client.get(reverse("orders:console_order", args=[seller.pk, order.pk])).status_code == 404


def test_buyer_order_history_keeps_a_flat_query_count(client, seller):
    buyer = UserFactory(email="loyal@example.com")
    variants = [stocked(seller, title=f"Tea {i}", stock=100).variants.get() for i in range(3)]
    address = address_book.save_address(actor=buyer, data={"name": "A", "phone": "1", "line1": "x", "city": "Wuxi"})

    def buy(n: int) -> None:
        for _ in range(n):
            fill_cart(buyer, [(v, 1) for v in variants])
            checkout.place(buyer=buyer, address_id=address.pk, shipping_choices={}, coupon_codes=[], key=None)
            carts.clear_cart(owner=carts.CartOwner(user=buyer))

    client.force_login(buyer)
    buy(1)
    client.get(reverse("orders:list"))
    one = queries(lambda: client.get(reverse("orders:list")))
    buy(12)
    assert queries(lambda: client.get(reverse("orders:list"))) == one
    order = Order.objects.filter(buyer=buyer).first()
    detail = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert "Timeline" in detail and order.number in detail
    client.force_login(UserFactory())
    assert client.get(reverse("orders:detail", args=[order.number])).status_code == 404


def test_placing_an_order_takes_the_same_queries_for_1_or_10_lines(seller):
    """Order placement: a fixed number of queries whatever the number of lines (per seller: pricing and rates)."""
    other_sellers = [seller_with_owner(name=f"Other {i}") for i in range(2)]
    buyer = UserFactory()
    address = address_book.save_address(actor=buyer, data={"name": "A", "phone": "1", "line1": "x", "city": "Wuxi"})
    mine = [stocked(seller, title=f"Mine {i}", stock=100).variants.get() for i in range(10)]
    theirs = [stocked(s, title=f"Theirs {i}", stock=100).variants.get() for i, s in enumerate(other_sellers * 5)]

    def placing(items) -> int:
        fill_cart(buyer, items)
        with CaptureQueriesContext(connection) as ctx:
            checkout.place(buyer=buyer, address_id=address.pk, shipping_choices={}, coupon_codes=[], key=None)
        carts.clear_cart(owner=carts.CartOwner(user=buyer))
        return len(ctx)

    one_line = placing([(mine[0], 1)])
    assert placing([(v, 1) for v in mine]) == one_line
    three_sellers = placing([(mine[0], 1), (theirs[0], 1), (theirs[1], 1)])
    assert placing([(v, 1) for v in mine[:4] + theirs]) == three_sellers
    assert one_line <= 60 and three_sellers <= one_line + 2 * 10  # each more seller: its pricing and take rate
