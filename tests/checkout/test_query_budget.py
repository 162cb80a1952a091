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
# the order with its lines and adjustments, the stock held, the webhook's delivery, the payment opened: 30 statements
# in a real transaction, as in production (no test transaction's SAVEPOINT pair around it); SQLite's driver logs the
# BEGIN and COMMIT that PostgreSQL's sends unlogged, so they are not counted
PLACING_BUDGET = 30
TRANSACTION_CONTROL = ("BEGIN", "COMMIT")


@pytest.fixture
def tasks_queued_for_the_worker():
    """What the placing queues on commit (e-mails, the staff's notices) is the worker's work, not the request's."""
    from tradeloop.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = before


def _cart_of(buyer, lines: int):
    shop = seller_with_owner(name="Tea House")
    method = shipping_method(shop)
    fill_cart(buyer, [(stocked(shop, title=f"Tea {n}").variants.get(), 1) for n in range(lines)])
    return shop, method


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lines", [5, 10])
def test_placing_an_order_takes_a_fixed_number_of_queries(client, buyer, address, lines, tasks_queued_for_the_worker):
    shop, method = _cart_of(buyer, lines)
    client.force_login(buyer)
    form = {"action": "place", "address": address.pk, f"ship_{shop.pk}": method.pk, "idempotency_key": "k"}
    with CaptureQueriesContext(connection) as captured:
        response = client.post(CHECKOUT, form)
    assert response.status_code == 302
    assert Order.objects.get(buyer=buyer).lines.count() == lines
    statements = [q for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]
    assert len(statements) <= PLACING_BUDGET, "\n".join(q["sql"][:120] for q in captured.captured_queries)


def test_a_repeated_key_replays_the_checkout_without_placing_again(client, buyer, address):
    shop, method = _cart_of(buyer, 5)
    client.force_login(buyer)
    form = {"action": "place", "address": address.pk, f"ship_{shop.pk}": method.pk, "idempotency_key": "same"}
    first, again = client.post(CHECKOUT, form), client.post(CHECKOUT, form)
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert Order.objects.filter(buyer=buyer).count() == 1
