"""A review stands on its visit: undoing a mistaken redemption takes its review off the place and out of its rating;
redeemed again, the voucher's one review comes back about the new visit (a review the operator hid stays hidden)."""

from __future__ import annotations

import pytest

from tests.o2o import local
from tests.o2o.dealing import bought, owner, vouchers_of
from tradeloop.core.errors import Conflict, NotFound
from tradeloop.o2o import redemption
from tradeloop.o2o.models import Place
from tradeloop.reviews import records, selectors
from tradeloop.reviews import services as reviews
from tradeloop.reviews.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold():
    place = local.place()
    (voucher,) = vouchers_of(bought(local.deal(place)))
    return place, voucher


def _redeem(place, voucher):
    return redemption.redeem(actor=owner(place.seller), place_id=place.pk, code=voucher.code)


def _review(voucher, stars=5):
    return reviews.write_review(actor=voucher.buyer, record_kind="voucher", record_id=voucher.pk, stars=stars)


def _rating_count(place) -> int:
    return Place.objects.get(pk=place.pk).rating_count


def test_undoing_the_redemption_takes_its_review_off_the_place(sold, clock):
    place, voucher = sold
    _redeem(place, voucher)
    review = _review(voucher)
    assert _rating_count(place) == 1
    clock.advance(minutes=30)
    redemption.undo(actor=owner(place.seller), voucher_id=voucher.pk)
    review.refresh_from_db()
    assert review.state == Review.State.HIDDEN and review.hidden_reason
    assert _rating_count(place) == 0
    assert selectors.recent_for_target("place", place.pk) == []
    assert records.resolve("voucher", voucher.pk, voucher.buyer) is None  # no visit: nothing to review now
    with pytest.raises(NotFound) as refused:
        _review(voucher)
    assert refused.value.code == "not_reviewable"


def test_redeemed_again_the_same_review_comes_back_about_the_new_visit(sold, clock):
    place, voucher = sold
    _redeem(place, voucher)
    review = _review(voucher, stars=2)
    redemption.undo(actor=owner(place.seller), voucher_id=voucher.pk)
    clock.advance(days=40)  # well past the first edit window
    branch = local.place(place.seller, name="Branch", name_zh="分店")
    voucher.deal.places.add(branch)
    again = redemption.redeem(actor=owner(place.seller), place_id=branch.pk, code=voucher.code)
    review.refresh_from_db()
    assert review.state == Review.State.PUBLISHED and review.hidden_reason == ""
    assert (review.target_id, review.visited_at) == (branch.pk, again.redeemed_at)
    assert reviews.is_editable(review)  # the author may bring it in line with the real visit
    assert _rating_count(branch) == 1 and _rating_count(place) == 0
    with pytest.raises(Conflict) as twice:  # still one review per voucher
        _review(voucher)
    assert twice.value.code == "already_reviewed"
    assert Review.objects.filter(record_kind="voucher", record_id=voucher.pk).count() == 1


def test_a_review_the_operator_hid_stays_hidden_when_the_voucher_is_redeemed_again(sold):
    place, voucher = sold
    _redeem(place, voucher)
    review = _review(voucher)
    reviews.hide(actor=None, review_id=review.pk, reason="insults")
    redemption.undo(actor=owner(place.seller), voucher_id=voucher.pk)
    _redeem(place, voucher)
    review.refresh_from_db()
    assert review.state == Review.State.HIDDEN and review.hidden_reason == "insults"
    assert _rating_count(place) == 0


def test_undo_without_a_review_changes_no_review(sold):
    place, voucher = sold
    _redeem(place, voucher)
    redemption.undo(actor=owner(place.seller), voucher_id=voucher.pk)
    _redeem(place, voucher)
    assert not Review.objects.exists()
    assert records.resolve("voucher", voucher.pk, voucher.buyer) is not None
