"""Vouchers: issued on payment, pending until the deal tips, refunded any time or at expiry, checked in the ledger."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.o2o import local
from tests.o2o.dealing import available, bought, in_escrow, net_of, owner, vouchers_of
from tradeloop.core.errors import Conflict, NotFound
from tradeloop.o2o import redemption, vouchers
from tradeloop.o2o.models import AtExpiry, Deal, Voucher
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db
State = Voucher.State


def test_one_voucher_per_unit_with_an_unguessable_code(clock):
    deal = local.deal(voucher_valid_days=90)
    order = bought(deal, quantity=3)
    made = vouchers_of(order)
    assert len(made) == 3 and {v.state for v in made} == {State.VALID}
    assert len({v.code for v in made}) == 3
    assert all(len(v.code) == 20 and v.code.isalnum() for v in made)  # 96 bits in base32
    assert all(v.price == Decimal("39.00") for v in made)
    assert made[0].valid_until == order.paid_at + timedelta(days=90)
    assert in_escrow(order) == Decimal("117.00") and available(order) == 0


def test_codes_are_read_back_however_they_are_typed():
    code = vouchers.new_code()
    assert vouchers.normalized(vouchers.grouped(code).lower()) == code
    assert vouchers.normalized("ab-c0 1") == "ABCOI"


def test_vouchers_wait_for_the_tipping_point_then_all_become_valid(
    mailoutbox, celery_eager, django_capture_on_commit_callbacks
):
    deal = local.deal(tipping_point=3)
    first = bought(deal, quantity=2)
    second = bought(deal)
    assert {v.state for v in vouchers_of(first) + vouchers_of(second)} == {State.PENDING}
    deal.refresh_from_db()
    assert deal.buyer_count == 2 and deal.tipped_at is None
    with django_capture_on_commit_callbacks(execute=True):
        third = bought(deal)
    deal.refresh_from_db()
    assert deal.tipped_at is not None and deal.buyer_count == 3
    assert {v.state for o in (first, second, third) for v in vouchers_of(o)} == {State.VALID}
    assert len([m for m in mailoutbox if "It's on" in m.subject]) == 3


def test_the_same_buyer_twice_counts_once_towards_tipping():
    deal = local.deal(tipping_point=2, per_person_limit=5)
    buyer = factories.UserFactory()
    bought(deal, buyer)
    bought(deal, buyer)
    deal.refresh_from_db()
    assert deal.buyer_count == 1 and deal.tipped_at is None


def test_a_deal_that_does_not_tip_refunds_every_buyer_in_full(clock):
    deal = local.deal(tipping_point=5)
    placed = [bought(deal, quantity=2), bought(deal)]
    clock.advance(days=8)
    assert vouchers.sweep_deals(clock.now()) == 1
    deal.refresh_from_db()
    assert deal.state == Deal.State.FAILED and deal.product.status == "unpublished"
    for order in placed:
        order.refresh_from_db()
        assert order.state == Order.State.CANCELLED and order.refunded_total == order.total
        assert in_escrow(order) == 0
        assert {v.state for v in vouchers_of(order)} == {State.REFUNDED}
    assert vouchers.sweep_deals(clock.now()) == 0  # idempotent


def test_a_tipped_deal_ends_at_its_sale_end_and_its_vouchers_stay_valid(clock):
    deal = local.deal(tipping_point=2)
    order = bought(deal)
    bought(deal)
    clock.advance(days=8)
    assert vouchers.sweep_deals(clock.now()) == 1
    deal.refresh_from_db()
    assert deal.state == Deal.State.ENDED
    assert {v.state for v in vouchers_of(order)} == {State.VALID}


def test_a_late_payment_on_a_failed_deal_is_refunded_by_the_next_sweep(clock):
    from tradeloop.o2o import deals

    deal = local.deal(tipping_point=5, sale_ends_at=clock.now() + timedelta(minutes=5))
    buyer = factories.UserFactory()
    order = deals.buy(actor=buyer, deal_id=deal.pk)
    clock.advance(minutes=6)
    vouchers.sweep_deals(clock.now())
    factories.pay_placed(order)
    vouchers.sweep_deals(clock.now())
    order.refresh_from_db()
    assert order.state == Order.State.CANCELLED and order.refunded_total == order.total


def test_the_buyer_refunds_an_unused_voucher_for_exactly_its_price():
    deal = local.deal()
    order = bought(deal, quantity=2)
    one, two = vouchers_of(order)
    vouchers.refund(actor=order.buyer, voucher_id=one.pk)
    one.refresh_from_db()
    order.refresh_from_db()
    assert one.state == State.REFUNDED and one.closed_at is not None
    assert order.refunded_total == Decimal("39.00") and in_escrow(order) == Decimal("39.00")
    deal.refresh_from_db()
    assert deal.sold_count == 1
    with pytest.raises(Conflict) as refused:
        vouchers.refund(actor=order.buyer, voucher_id=one.pk)
    assert refused.value.code == "voucher_not_refundable"
    vouchers.refund(actor=order.buyer, voucher_id=two.pk)
    order.refresh_from_db()
    assert order.state == Order.State.COMPLETED and order.refunded_total == order.total


def test_refunds_need_the_deal_to_allow_them_and_the_voucher_unused():
    deal = local.deal(refundable_any_time=False)
    order = bought(deal)
    (voucher,) = vouchers_of(order)
    with pytest.raises(Conflict):
        vouchers.refund(actor=order.buyer, voucher_id=voucher.pk)
    other = bought(local.deal())
    (used,) = vouchers_of(other)
    place = used.deal.places.get()
    redemption.redeem(actor=owner(place.seller), place_id=place.pk, code=used.code)
    with pytest.raises(Conflict):
        vouchers.refund(actor=other.buyer, voucher_id=used.pk)
    with pytest.raises(NotFound):
        vouchers.refund(actor=factories.UserFactory(), voucher_id=voucher.pk)


def test_a_pending_voucher_can_be_refunded_and_its_buyer_no_longer_counts():
    deal = local.deal(tipping_point=3)
    order = bought(deal)
    vouchers.refund(actor=order.buyer, voucher_id=vouchers_of(order)[0].pk)
    deal.refresh_from_db()
    assert deal.buyer_count == 0 and deal.sold_count == 0


def test_unused_vouchers_are_refunded_at_expiry(clock):
    deal = local.deal(voucher_valid_days=30)
    order = bought(deal)
    clock.advance(days=30, seconds=1)
    assert vouchers.sweep_expired_vouchers(clock.now()) == 1
    (voucher,) = vouchers_of(order)
    order.refresh_from_db()
    assert voucher.state == State.EXPIRED and order.refunded_total == order.total
    assert order.state == Order.State.COMPLETED and available(order) == 0
    assert vouchers.sweep_expired_vouchers(clock.now()) == 0


def test_forfeited_vouchers_go_to_the_merchant_at_expiry(clock):
    deal = local.deal(voucher_valid_days=30, at_expiry=AtExpiry.FORFEIT)
    order = bought(deal)
    clock.advance(days=31)
    vouchers.sweep_expired_vouchers(clock.now())
    order.refresh_from_db()
    assert order.refunded_total == 0 and order.state == Order.State.COMPLETED
    assert available(order) == net_of(order, order.total) and in_escrow(order) == 0


def test_an_order_completes_once_its_last_redemption_can_no_longer_be_undone(clock):
    deal = local.deal()
    order = bought(deal)
    (voucher,) = vouchers_of(order)
    place = deal.places.get()
    redemption.redeem(actor=owner(place.seller), place_id=place.pk, code=voucher.code)
    assert vouchers.sweep_closed_orders(clock.now()) == 0
    clock.advance(minutes=61)
    assert vouchers.sweep_closed_orders(clock.now()) == 1
    order.refresh_from_db()
    assert order.state == Order.State.COMPLETED and available(order) == net_of(order, order.total)


def test_withdrawing_a_deal_before_it_tips_refunds_its_buyers(django_capture_on_commit_callbacks):
    from tradeloop.o2o import deals

    deal = local.deal(tipping_point=4)
    order = bought(deal)
    with django_capture_on_commit_callbacks(execute=True):
        deals.withdraw(actor=owner(deal.product.seller), deal_id=deal.pk)
    order.refresh_from_db()
    assert order.state == Order.State.CANCELLED and order.refunded_total == order.total


def test_a_refund_never_takes_more_than_escrow_still_holds():
    from tradeloop.core.money import Money
    from tradeloop.ledger import services as ledger

    order = bought(local.deal(), quantity=2)
    one, two = vouchers_of(order)
    ledger.release_part(order=order, amount=Money(Decimal("50.00"), "CNY"), ref="test:part")  # 28.00 left
    with pytest.raises(Conflict) as refused:
        vouchers.refund(actor=order.buyer, voucher_id=one.pk)
    assert refused.value.code == "voucher_not_refundable"
    one.refresh_from_db()
    assert one.state == State.VALID and in_escrow(order) == Decimal("28.00")


def test_the_sweeps_run_on_celery_beat(clock):
    from tradeloop import celery
    from tradeloop.o2o import tasks

    tasks_run = {entry["task"] for entry in celery.app.conf.beat_schedule.values()}
    assert {
        "tradeloop.o2o.tasks.sweep_deals",
        "tradeloop.o2o.tasks.sweep_expired_vouchers",
        "tradeloop.o2o.tasks.sweep_closed_voucher_orders",
    } <= tasks_run
    deal = local.deal(tipping_point=2)
    bought(deal)
    clock.advance(days=8)
    assert tasks.sweep_deals() == 1 and tasks.sweep_expired_vouchers() == 0 and tasks.sweep_closed_voucher_orders() == 0
