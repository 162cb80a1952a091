"""Payouts of unverified sellers wait; the operator's approval pays the balance out (checked against the ledger)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.ledger.builders import paid_order
from tests.trust.conftest import submitted
from tradeloop.core import clock
from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import ledger_is_balanced, seller_balances
from tradeloop.payments import holds
from tradeloop.payments import services as payments
from tradeloop.payments.models import Payout
from tradeloop.trust import services

pytestmark = pytest.mark.django_db


def earn(seller, buyer, total="100.00"):
    order = paid_order(seller, buyer, total=total, rate="0.10")
    ledger.record_sale(order=order)
    ledger.settle(order=order)
    return order


def available(seller) -> Money:
    return seller_balances(seller)["CNY"]["available"]


def test_an_unverified_sellers_payout_is_held_and_released_on_approval(newcomer, merchant, user, staff):
    earn(newcomer, user)
    earn(merchant, user)
    paid = payments.run_payouts(now=clock.now())
    assert [p.seller_id for p in paid] == [merchant.pk]  # the verified one only
    assert available(newcomer) == Money(Decimal("90"), "CNY")
    assert holds.held(newcomer) and not holds.held(merchant)
    v = submitted(newcomer)
    assert payments.run_payouts(now=clock.now(), seller=newcomer) == []  # pending: still held
    services.approve(actor=staff, verification_id=v.pk)
    [payout] = Payout.objects.filter(seller=newcomer)
    assert (payout.amount, payout.state) == (Decimal("90"), Payout.State.PAID)
    assert available(newcomer) == Money(Decimal("0"), "CNY")
    assert ledger_is_balanced()


def test_a_rejected_seller_stays_held(newcomer, user, staff):
    earn(newcomer, user)
    v = submitted(newcomer)
    services.reject(actor=staff, verification_id=v.pk, reason="The licence is expired.")
    assert payments.run_payouts(now=clock.now()) == []
    assert available(newcomer) == Money(Decimal("90"), "CNY")


def test_a_legal_change_holds_payouts_again_until_re_approved(newcomer, user, staff):
    v = submitted(newcomer)
    services.approve(actor=staff, verification_id=v.pk)
    services.save_application(actor=newcomer.owner, organization=newcomer, data={"registered_address": "2 New Road"})
    earn(newcomer, user)
    assert payments.run_payouts(now=clock.now()) == []
    services.approve(actor=staff, verification_id=v.pk)
    assert Payout.objects.get(seller=newcomer).amount == Decimal("90")


def test_payouts_page_and_api_say_the_payout_is_held_and_why(client, newcomer, user):
    earn(newcomer, user)
    client.force_login(newcomer.owner)
    page = client.get(reverse("payments:console_payouts", args=[newcomer.pk]))
    assert b"data-payout-hold" in page.content
    assert reverse("trust:console", args=[newcomer.pk]).encode() in page.content
    answer = client.post("/api/v1/payouts", {"organization": newcomer.pk}, content_type="application/json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["payouts"] == [] and body["held"] is True and "verified" in body["hold_reasons"][0]


def test_a_verified_sellers_payouts_page_has_no_hold_note(client, merchant):
    client.force_login(merchant.owner)
    page = client.get(reverse("payments:console_payouts", args=[merchant.pk]))
    assert page.status_code == 200 and b"data-payout-hold" not in page.content
