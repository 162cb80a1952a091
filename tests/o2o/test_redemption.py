"""Redemption in the shop: once, at a place of the deal, inside its validity; undo within the hour; wrong codes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.o2o import local
from tests.o2o.dealing import available, bought, in_escrow, net_of, owner, vouchers_of
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied
from tradeloop.o2o import redemption
from tradeloop.o2o.models import FailedRedemption, Voucher

pytestmark = pytest.mark.django_db
State = Voucher.State


@pytest.fixture
def sold():
    place = local.place()
    order = bought(local.deal(place))
    (voucher,) = vouchers_of(order)
    return place, voucher, order


def test_staff_redeem_a_voucher_and_the_merchant_is_paid_its_price_only_then(sold):
    place, voucher, order = sold
    clerk = factories.member(place.seller, "fulfilment")
    assert available(order) == 0
    seen = redemption.preview(actor=clerk, place_id=place.pk, code=voucher.code.lower())
    assert seen.redeemable and seen.valid_here and seen.voucher.pk == voucher.pk
    redeemed = redemption.redeem(actor=clerk, place_id=place.pk, code=voucher.code)
    assert redeemed.state == State.REDEEMED and redeemed.redeemed_place == place and redeemed.redeemed_by == clerk
    assert available(order) == net_of(order, Decimal("39.00")) and in_escrow(order) == 0


def test_a_voucher_is_redeemed_once(sold):
    place, voucher, _order = sold
    redemption.redeem(actor=owner(place.seller), place_id=place.pk, code=voucher.code)
    with pytest.raises(Conflict) as refused:
        redemption.redeem(actor=owner(place.seller), place_id=place.pk, code=voucher.code)
    assert refused.value.code == "voucher_used"


def test_only_at_a_place_of_the_deal(sold):
    _place, voucher, order = sold
    elsewhere = local.place(voucher.deal.product.seller, name="Branch")
    with pytest.raises(Conflict) as refused:
        redemption.redeem(actor=owner(elsewhere.seller), place_id=elsewhere.pk, code=voucher.code)
    assert refused.value.code == "not_valid_here"
    assert not redemption.preview(actor=owner(elsewhere.seller), place_id=elsewhere.pk, code=voucher.code).valid_here
    assert in_escrow(order) == order.total


def test_only_inside_its_validity(sold, clock):
    place, voucher, _order = sold
    clock.advance(days=91)
    with pytest.raises(Conflict) as refused:
        redemption.redeem(actor=owner(place.seller), place_id=place.pk, code=voucher.code)
    assert refused.value.code == "voucher_not_redeemable"


def test_a_pending_voucher_cannot_be_redeemed():
    deal = local.deal(tipping_point=3)
    (voucher,) = vouchers_of(bought(deal))
    place = deal.places.get()
    with pytest.raises(Conflict) as refused:
        redemption.redeem(actor=owner(place.seller), place_id=place.pk, code=voucher.code)
    assert refused.value.code == "voucher_not_redeemable"


def test_another_merchants_code_is_simply_not_found(sold):
    _place, voucher, _order = sold
    rival = local.place()
    with pytest.raises(NotFound):
        redemption.preview(actor=owner(rival.seller), place_id=rival.pk, code=voucher.code)
    assert FailedRedemption.objects.filter(place=rival).count() == 1


def test_staff_need_the_fulfil_role_and_their_own_place(sold):
    place, voucher, _order = sold
    with pytest.raises(PermissionDenied):
        redemption.redeem(actor=factories.member(place.seller, "catalog"), place_id=place.pk, code=voucher.code)
    with pytest.raises(NotFound):
        redemption.redeem(actor=factories.UserFactory(), place_id=place.pk, code=voucher.code)


def test_undo_within_the_hour_then_redeem_again(sold, clock):
    place, voucher, order = sold
    staff = owner(place.seller)
    redemption.redeem(actor=staff, place_id=place.pk, code=voucher.code)
    clock.advance(minutes=59)
    undone = redemption.undo(actor=staff, voucher_id=voucher.pk)
    assert undone.state == State.VALID and undone.redeemed_at is None
    assert available(order) == 0 and in_escrow(order) == order.total
    redemption.redeem(actor=staff, place_id=place.pk, code=voucher.code)
    assert available(order) == net_of(order, order.total)
    clock.advance(minutes=61)
    with pytest.raises(Conflict) as refused:
        redemption.undo(actor=staff, voucher_id=voucher.pk)
    assert refused.value.code == "undo_window_over"


def test_undo_needs_a_redeemed_voucher_of_ones_own(sold):
    place, voucher, _order = sold
    with pytest.raises(Conflict) as refused:
        redemption.undo(actor=owner(place.seller), voucher_id=voucher.pk)
    assert refused.value.code == "not_redeemed"
    with pytest.raises(NotFound):
        redemption.undo(actor=owner(local.place().seller), voucher_id=voucher.pk)


def test_wrong_codes_are_throttled_per_staff_and_place(sold, clock, settings):
    settings.TRADELOOP_O2O_WRONG_CODES = 3
    place, voucher, _order = sold
    staff = owner(place.seller)
    for _ in range(3):
        with pytest.raises(NotFound):
            redemption.preview(actor=staff, place_id=place.pk, code="WRONGCODE")
    with pytest.raises(redemption.TooManyWrongCodes) as refused:
        redemption.redeem(actor=staff, place_id=place.pk, code=voucher.code)
    assert refused.value.status == 429 and refused.value.code == "too_many_wrong_codes"
    other = local.place(place.seller, name="Branch")
    with pytest.raises(Conflict):  # another place is counted on its own
        redemption.redeem(actor=staff, place_id=other.pk, code=voucher.code)
    clock.advance(minutes=16)
    assert redemption.redeem(actor=staff, place_id=place.pk, code=voucher.code).state == State.REDEEMED


def test_expired_window_voucher_redeemed_before_expiry_is_not_expired(sold, clock):
    from tradeloop.o2o import vouchers

    place, voucher, _order = sold
    redemption.redeem(actor=owner(place.seller), place_id=place.pk, code=voucher.code)
    clock.advance(days=100)
    assert vouchers.sweep_expired_vouchers(clock.now()) == 0
    voucher.refresh_from_db()
    assert voucher.state == State.REDEEMED
    assert timedelta(0) < clock.now() - voucher.redeemed_at
