"""Concurrent posts of a review of one visit on PostgreSQL: exactly one review, the others 409 already_reviewed; and
the daily limit holds when one person posts reviews of many visits at once."""

from __future__ import annotations

import contextlib

from django.test import override_settings

from tests import factories
from tests.races import RACE_MARKS, race
from tests.reviews import visits
from tradeloop.o2o.models import Place
from tradeloop.reviews import services
from tradeloop.reviews.models import Review

pytestmark = RACE_MARKS


def test_two_concurrent_posts_of_one_visit_make_one_review():
    voucher = visits.voucher()
    outcomes = race(
        lambda i: services.write_review(
            actor=voucher.buyer, record_kind="voucher", record_id=voucher.pk, stars=1 + i, text=f"post {i}"
        ),
        racers=2,
    )
    assert sorted(outcomes) == ["already_reviewed", "ok"]
    assert Review.objects.filter(record_kind="voucher", record_id=voucher.pk).count() == 1
    assert Place.objects.get(pk=voucher.redeemed_place_id).rating_count == 1


def test_eight_concurrent_posts_of_one_booking_make_one_review():
    booking = visits.booking()
    outcomes = race(
        lambda i: services.write_review(actor=booking.consumer, record_kind="booking", record_id=booking.pk, stars=5)
    )
    assert outcomes.count("ok") == 1 and set(outcomes) == {"ok", "already_reviewed"}
    assert Review.objects.count() == 1


@override_settings(TRADELOOP_REVIEW_MAX_PER_DAY=3)
def test_the_daily_limit_holds_under_concurrent_posts():
    buyer = factories.UserFactory()
    vouchers = [visits.voucher(buyer) for _ in range(6)]

    def post(i: int) -> None:
        with contextlib.suppress(services.TooManyReviews):
            services.write_review(actor=buyer, record_kind="voucher", record_id=vouchers[i].pk, stars=4)

    race(post, racers=6)
    assert Review.objects.filter(author=buyer).count() == 3
