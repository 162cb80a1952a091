"""Placing an order costs a fixed number of queries, whatever its number of lines (5 or 10, from one shop)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.checkout.conftest import fill_cart, shipping_method, stocked
from tests.factories import seller_with_owner
from tradeloop.orders.models import Order

CHECKOUT = "/checkout/"
# the session and the user, the key, the cart and its prices, shipping, promotions and the address, the checkout,
# the order with its lines and adjustments, the stock held, the seller told, the payment opened; with the test's
# own transaction around it (a SAVEPOINT pair that production does not pay)
PLACING_BUDGET = 35


def _cart_of(buyer, lines: int):
    shop = seller_with_owner(name="Tea House")
    method = shipping_method(shop)
    fill_cart(buyer, [(stocked(shop, title=f"Tea {n}").variants.get(), 1) for n in range(lines)])
    return shop, method


@pytest.mark.parametrize("lines", [5, 10])
def test_placing_an_order_takes_a_fixed_number_of_queries(client, buyer, address, lines):
    shop, method = _cart_of(buyer, lines)
    client.force_login(buyer)
    form = {"action": "place", "address": address.pk, f"ship_{shop.pk}": method.pk, "idempotency_key": "k"}
    with CaptureQueriesContext(connection) as captured:
        response = client.post(CHECKOUT, form)
    assert response.status_code == 302
    assert Order.objects.get(buyer=buyer).lines.count() == lines
    assert len(captured) <= PLACING_BUDGET, "\n".join(q["sql"][:120] for q in captured.captured_queries)


def test_a_repeated_key_replays_the_checkout_without_placing_again(client, buyer, address):
    shop, method = _cart_of(buyer, 5)
    client.force_login(buyer)
    form = {"action": "place", "address": address.pk, f"ship_{shop.pk}": method.pk, "idempotency_key": "same"}
    first, again = client.post(CHECKOUT, form), client.post(CHECKOUT, form)
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert Order.objects.filter(buyer=buyer).count() == 1
