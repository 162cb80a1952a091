"""Paid the way a person pays (the checkout's payment page, the gateway's webhook), which gives the order the
checkout's reference: vouchers are still issued and a booking's deposit is still seen as paid."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests import factories
from tests.o2o import local
from tradeloop.core import clock
from tradeloop.demo.paying import pay_in_sandbox
from tradeloop.o2o import bookings, deals
from tradeloop.o2o.models import Booking, Voucher
from tradeloop.orders.models import Order


@pytest.mark.django_db
def test_a_deal_paid_on_the_payment_page_issues_its_vouchers(celery_eager):
    deal = local.deal()
    buyer = factories.UserFactory()
    order = pay_in_sandbox(deals.buy(actor=buyer, deal_id=deal.pk, quantity=2), buyer)
    assert order.state == Order.State.PAID
    assert not order.checkout_ref.startswith("deal:")  # the checkout's own reference now
    assert list(Voucher.objects.filter(order=order).values_list("state", flat=True)) == ["valid", "valid"]
    assert deals.units_held(buyer, deal) == 2


@pytest.mark.django_db
def test_an_unpaid_deal_order_counts_against_the_per_person_limit_while_its_payment_is_open(celery_eager):
    from tradeloop.checkout import services as checkout

    deal = local.deal(per_person_limit=2)
    buyer = factories.UserFactory()
    order = deals.buy(actor=buyer, deal_id=deal.pk, quantity=2)
    checkout.pay_placed_orders([order], buyer)  # the payment page is open, not paid yet
    assert deals.units_held(buyer, deal) == 2


@pytest.mark.django_db
def test_a_deposit_paid_on_the_payment_page_confirms_the_booking(celery_eager):
    service = local.service(deposit="50.00", cancel_fee="20.00")
    place = service.places.get()
    consumer = factories.UserFactory()
    day = clock.now().astimezone(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=2)
    starts = datetime.combine(day, time(10, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
    booking = bookings.book(actor=consumer, service_id=service.pk, place_id=place.pk, starts_at=starts)
    assert booking.order is not None
    pay_in_sandbox(booking.order, consumer)
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED
