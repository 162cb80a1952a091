"""The customer summary follows the orders: paid, refunded, cancelled; the lifetime value matches the ledger."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.crm.conftest import row
from tradeloop.core.money import Money
from tradeloop.crm import services
from tradeloop.crm.models import Customer
from tradeloop.ledger.models import Entry
from tradeloop.orders import services as orders

pytestmark = pytest.mark.django_db


def test_a_paid_order_makes_the_buyer_a_customer_with_its_figures(shop, buy, clock):
    buyer = factories.UserFactory(name="Wang Fang")
    first = buy(buyer, price="50.00")
    clock.advance(days=3)
    buy(buyer, price="30.00", city="Nanjing")
    customer = row(shop, buyer)
    assert customer.orders_count == 2
    assert customer.lifetime_value == Decimal("80.00")
    assert customer.currency == shop.currency
    assert customer.first_order_at == first.placed_at
    assert customer.last_order_at > customer.first_order_at
    assert customer.city == "Nanjing"  # from the last order's shipping address
    assert customer.name == "Wang Fang" and customer.email == buyer.email


def test_an_unpaid_order_is_not_a_customer_yet(shop, django_capture_on_commit_callbacks):
    buyer = factories.UserFactory()
    variant = factories.published_product(seller=shop).variants.get()
    with django_capture_on_commit_callbacks(execute=True):
        orders.place_order(
            actor=buyer,
            buyer=buyer,
            seller=shop,
            mode="b2c",
            currency="CNY",
            lines=[orders.LineIn(variant, 1, variant.price)],
            shipping_address={"city": "Shanghai"},
        )
    assert not Customer.objects.filter(seller=shop).exists()


def test_a_refund_lowers_the_lifetime_value_as_the_ledger_records_it(shop, buy, django_capture_on_commit_callbacks):
    buyer = factories.UserFactory()
    order = buy(buyer, price="50.00")
    with django_capture_on_commit_callbacks(execute=True):
        orders.refund(order=order, amount=Money(Decimal("20.00"), "CNY"), ref="goodwill", reason="late")
    customer = row(shop, buyer)
    assert customer.lifetime_value == Decimal("30.00")
    refunds = Entry.objects.filter(transaction__ref=f"order:{order.pk}:refund:goodwill", amount__gt=0)
    assert sum(e.amount for e in refunds) == Decimal("20.00")  # the same 20.00 the ledger gave back


def test_a_cancelled_paid_order_adds_nothing(shop, buy, django_capture_on_commit_callbacks):
    buyer = factories.UserFactory()
    buy(buyer, price="40.00")
    second = buy(buyer, price="60.00")
    with django_capture_on_commit_callbacks(execute=True):
        orders.cancel(order=second, actor=shop.owner, reason="out of stock")
    customer = row(shop, buyer)
    assert customer.orders_count == 1
    assert customer.lifetime_value == Decimal("40.00")


def test_a_company_buyer_is_one_customer_with_its_name(shop, buy):
    company = factories.seller_with_owner(kind="buyer_company", name="Jade Trading Co")
    order = buy(company.owner, price="100.00")
    order.buyer_org = company
    order.save(update_fields=["buyer_org"])
    services.rebuild(seller=shop)
    customer = Customer.objects.get(seller=shop, company=company)
    assert customer.company_name == "Jade Trading Co" and customer.name == "Jade Trading Co"
    assert customer.lifetime_value == Decimal("100.00")


def test_rebuild_recomputes_every_row_from_the_orders(shop, clock):
    buyers = [factories.UserFactory() for _ in range(3)]
    for buyer in buyers:  # no on-commit callbacks here: the rows are missing
        factories.paid_order(seller=shop, buyer=buyer, shipping="0")
    assert not Customer.objects.exists()
    assert services.rebuild() == 3
    assert services.rebuild() == 3  # idempotent
    assert Customer.objects.filter(seller=shop).count() == 3
    assert all(c.orders_count == 1 for c in Customer.objects.all())


def test_refresh_twice_is_the_same(shop, buy):
    buyer = factories.UserFactory()
    order = buy(buyer)
    before = row(shop, buyer)
    services.refresh_for(order)
    after = row(shop, buyer)
    assert (before.pk, before.orders_count, before.lifetime_value) == (
        after.pk,
        after.orders_count,
        after.lifetime_value,
    )
    assert after.last_order_at - order.placed_at < timedelta(seconds=1)


def test_the_rebuild_command(shop):
    from io import StringIO

    from django.core.management import call_command

    factories.paid_order(seller=shop, shipping="0")
    out = StringIO()
    call_command("crm_rebuild", "--seller", str(shop.pk), stdout=out)
    assert "1 customer summaries recomputed" in out.getvalue()
    assert Customer.objects.filter(seller=shop).count() == 1
