"""Reviews only from real visits: the record decides who may review what, once; edit window, replies, hiding, the
confidence-aware ranking of places."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from tests import factories
from tests.o2o import local
from tests.reviews import visits
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.o2o.models import Booking, Place, Voucher
from tradeloop.reviews import records, selectors, services
from tradeloop.reviews.models import Review

pytestmark = pytest.mark.django_db


def png(name: str = "shop.png", size: tuple[int, int] = (8, 8)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 80, 20)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def write(record, author=None, **fields):
    fields.setdefault("stars", 5)
    kind = "voucher" if isinstance(record, Voucher) else "booking"
    author = author or (record.buyer if kind == "voucher" else record.consumer)
    return services.write_review(actor=author, record_kind=kind, record_id=record.pk, **fields)


def reviews_of(place: Place, stars: list[int]) -> None:
    """Published reviews of `place` with these stars, one redeemed voucher each (rows, for the ranking)."""
    for n in stars:
        write(visits.voucher(at=place), stars=n)


# --- who may review -------------------------------------------------------------------------------------------------


def test_a_redeemed_voucher_lets_its_buyer_review_the_place_where_it_was_redeemed():
    voucher = visits.voucher()
    review = write(voucher, stars=4, scores={"service": 5, "environment": 4}, text="Quick and friendly.")
    assert (review.target_kind, review.target_id) == ("place", voucher.redeemed_place_id)
    assert review.seller_id == voucher.redeemed_place.seller_id
    assert review.visited_at == voucher.redeemed_at
    assert review.scores == {"service": 5, "environment": 4}
    assert review.language == "en"
    place = Place.objects.get(pk=voucher.redeemed_place_id)
    assert (place.rating_avg, place.rating_count) == (Decimal("4.00"), 1)


def test_a_completed_booking_lets_its_consumer_review():
    booking = visits.booking()
    review = write(booking, stars=3)
    assert (review.record_kind, review.target_id) == ("booking", booking.place_id)
    assert review.visited_at == booking.starts_at


@pytest.mark.parametrize("state", [Voucher.State.VALID, Voucher.State.PENDING, Voucher.State.REFUNDED])
def test_a_voucher_not_redeemed_cannot_be_reviewed(state):
    voucher = visits.voucher(state=state)
    with pytest.raises(NotFound) as refused:
        write(voucher)
    assert refused.value.code == "not_reviewable"
    assert not Review.objects.exists()


def test_someone_elses_voucher_cannot_be_reviewed():
    voucher = visits.voucher()
    with pytest.raises(NotFound):
        write(voucher, author=factories.UserFactory())
    with pytest.raises(NotFound):  # not even by the merchant who redeemed it
        write(voucher, author=voucher.redeemed_place.seller.owner)
    assert not Review.objects.exists()


@pytest.mark.parametrize("state", [Booking.State.CANCELLED, Booking.State.CONFIRMED, Booking.State.NO_SHOW])
def test_a_booking_not_completed_cannot_be_reviewed(state):
    with pytest.raises(NotFound):
        write(visits.booking(state=state))


def test_an_unknown_record_kind_cannot_be_reviewed(user):
    with pytest.raises(NotFound):
        services.write_review(actor=user, record_kind="order", record_id=1, stars=5)


def test_one_review_per_visit():
    voucher = visits.voucher()
    write(voucher)
    with pytest.raises(Conflict) as refused:
        write(voucher, stars=1)
    assert refused.value.code == "already_reviewed"
    assert Review.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"stars": 0}, "stars"),
        ({"stars": 6}, "stars"),
        ({"stars": True}, "stars"),
        ({"scores": {"service": 9}}, "scores.service"),
        ({"scores": {"taste": 4}}, "scores.taste"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "bad\x00"}, "text"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(fields, field):
    voucher = visits.voucher()
    with pytest.raises(ValidationFailed) as refused:
        write(voucher, **fields)
    assert refused.value.field == field
    assert not Review.objects.exists()


def test_photos_are_checked_and_at_most_nine():
    voucher = visits.voucher()
    with pytest.raises(ValidationFailed) as refused:
        write(voucher, photos=[SimpleUploadedFile("x.png", b"not an image", content_type="image/png")])
    assert refused.value.code == "photo_type"
    with pytest.raises(ValidationFailed) as refused:
        write(voucher, photos=[png(f"p{i}.png") for i in range(10)])
    assert refused.value.code == "too_many_photos"
    review = write(voucher, photos=[png(), png("b.png")])
    assert [p.position for p in review.photos.all()] == [0, 1]
    assert review.photos.first().image.name.startswith(f"reviews/{review.pk}/")


@override_settings(TRADELOOP_REVIEW_PHOTO_MAX_BYTES=100)
def test_a_photo_too_large_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        write(visits.voucher(), photos=[png(size=(200, 200))])
    assert refused.value.code == "photo_too_large"


@override_settings(TRADELOOP_REVIEW_MAX_PER_DAY=2)
def test_at_most_a_few_reviews_a_day(clock):
    buyer = factories.UserFactory()
    first, second, third = (visits.voucher(buyer) for _ in range(3))
    write(first)
    write(second)
    with pytest.raises(services.TooManyReviews) as refused:
        write(third)
    assert (refused.value.status, refused.value.code) == (429, "too_many_reviews")
    clock.advance(days=1, seconds=1)
    write(third)


# --- the author edits ----------------------------------------------------------------------------------------------


def test_the_author_edits_within_30_days_not_after(clock):
    voucher = visits.voucher()
    review = write(voucher, stars=2, text="Slow.")
    clock.advance(days=29)
    services.edit_review(actor=voucher.buyer, review_id=review.pk, stars=4, text="They called to apologise.")
    review.refresh_from_db()
    assert (review.stars, review.text, review.edited_at is not None) == (4, "They called to apologise.", True)
    assert Place.objects.get(pk=review.target_id).rating_avg == Decimal("4.00")
    clock.advance(days=1, seconds=1)
    with pytest.raises(Conflict) as refused:
        services.edit_review(actor=voucher.buyer, review_id=review.pk, stars=5)
    assert refused.value.code == "not_editable"
    with pytest.raises(Conflict):
        services.add_photos(actor=voucher.buyer, review_id=review.pk, photos=[png()])
    assert Review.objects.get(pk=review.pk).stars == 4


def test_only_the_author_edits():
    review = write(visits.voucher())
    with pytest.raises(NotFound):
        services.edit_review(actor=factories.UserFactory(), review_id=review.pk, stars=1)


def test_photos_added_later_count_towards_nine():
    voucher = visits.voucher()
    review = write(voucher, photos=[png(f"{i}.png") for i in range(8)])
    with pytest.raises(ValidationFailed):
        services.add_photos(actor=voucher.buyer, review_id=review.pk, photos=[png("a.png"), png("b.png")])
    added = services.add_photos(actor=voucher.buyer, review_id=review.pk, photos=[png("a.png")])
    assert added[0].position == 8


# --- the seller replies ---------------------------------------------------------------------------------------------


def test_the_seller_replies_once_and_may_edit_the_reply():
    review = write(visits.voucher())
    owner = review.seller.memberships.get(role__code="owner").user
    services.reply(actor=owner, review_id=review.pk, text="Thank you, see you soon!")
    with pytest.raises(Conflict) as refused:
        services.reply(actor=owner, review_id=review.pk, text="Again")
    assert refused.value.code == "already_replied"
    services.edit_reply(actor=owner, review_id=review.pk, text="Thank you! 10% off next time.")
    review.refresh_from_db()
    assert review.reply == "Thank you! 10% off next time." and review.replied_at is not None


def test_staff_who_answer_buyers_may_reply_others_may_not():
    place = local.place()
    review = write(visits.voucher(at=place))
    support = factories.member(place.seller, "support")
    services.reply(actor=support, review_id=review.pk, text="Thanks!")
    catalog = factories.member(place.seller, "catalog")
    with pytest.raises(PermissionDenied):
        services.edit_reply(actor=catalog, review_id=review.pk, text="Hm")
    stranger = local.local_business().owner
    with pytest.raises(NotFound):
        services.edit_reply(actor=stranger, review_id=review.pk, text="Not yours")


def test_the_author_cannot_reply_to_their_own_review():
    voucher = visits.voucher()
    review = write(voucher)
    with pytest.raises(NotFound):
        services.reply(actor=voucher.buyer, review_id=review.pk, text="Me again")


# --- the operator hides ---------------------------------------------------------------------------------------------


def test_hiding_a_review_takes_it_out_of_the_places_rating_and_showing_puts_it_back():
    place = local.place()
    reviews_of(place, [5, 5, 1])
    spam = Review.objects.get(stars=1)
    services.hide(actor=None, review_id=spam.pk, reason="Abusive language")
    place.refresh_from_db()
    assert (place.rating_avg, place.rating_count) == (Decimal("5.00"), 2)
    assert selectors.target_summary("place", place.pk).count == 2
    assert spam.pk not in [r.pk for r in selectors.recent_for_target("place", place.pk)]
    services.show(actor=None, review_id=spam.pk)
    place.refresh_from_db()
    assert (place.rating_avg, place.rating_count) == (Decimal("3.67"), 3)


def test_hiding_needs_a_reason():
    review = write(visits.voucher())
    with pytest.raises(ValidationFailed):
        services.hide(actor=None, review_id=review.pk, reason=" ")
    assert Review.objects.get(pk=review.pk).state == Review.State.PUBLISHED


# --- ranking ------------------------------------------------------------------------------------------------------


def test_wilson_lower_bound():
    assert services.wilson_lower_bound(0, 0) == Decimal("0")
    assert services.wilson_lower_bound(2, 2) == Decimal("0.342")
    assert services.wilson_lower_bound(180, 200) == Decimal("0.851")
    assert services.wilson_lower_bound(0, 10) == Decimal("0")


def test_two_five_star_reviews_do_not_outrank_two_hundred_averaging_four_point_eight():
    few = local.place(name="New Salon", name_zh="新店")
    many = local.place(name="Old Salon", name_zh="老店")
    reviews_of(few, [5, 5])
    for n in [5] * 180 + [3] * 20:  # average 4.8; written as rows (the ranking is what is under test)
        Review.objects.create(
            author=factories.UserFactory(),
            seller=many.seller,
            record_kind="voucher",
            record_id=10_000 + Review.objects.count(),
            target_kind="place",
            target_id=many.pk,
            stars=n,
            visited_at=many.created_at,
            editable_until=many.created_at + timedelta(days=30),
        )
    services.refresh_target("place", many.pk)
    few.refresh_from_db()
    many.refresh_from_db()
    assert few.rating_avg > many.rating_avg == Decimal("4.80")
    assert many.rating_score > few.rating_score
    assert list(Place.objects.filter(pk__in=[few.pk, many.pk])) == [many, few]  # Place orders by -rating_score


# --- waiting for a review -------------------------------------------------------------------------------------------


def test_visits_waiting_for_a_review_leave_the_list_once_reviewed():
    buyer = factories.UserFactory()
    voucher = visits.voucher(buyer)
    booking = visits.booking(buyer)
    visits.voucher(buyer, state=Voucher.State.VALID)
    visits.booking(buyer, state=Booking.State.CANCELLED)
    waiting = records.waiting(buyer)
    assert {(r.kind, r.id) for r in waiting} == {("voucher", voucher.pk), ("booking", booking.pk)}
    assert waiting[0].kind == "voucher"  # redeemed an hour ago: the newest visit
    assert "Haircut and wash · redeemed" in waiting[0].label
    write(voucher)
    assert [(r.kind, r.id) for r in records.waiting(buyer)] == [("booking", booking.pk)]


def test_target_summary_has_the_histogram_and_sub_score_averages():
    place = local.place()
    write(visits.voucher(at=place), stars=5, scores={"service": 5, "value": 4})
    write(visits.voucher(at=place), stars=3, scores={"service": 3})
    summary = selectors.target_summary("place", place.pk)
    assert [(b.stars, b.count, b.percent) for b in summary.bars] == [
        (5, 1, 50),
        (4, 0, 0),
        (3, 1, 50),
        (2, 0, 0),
        (1, 0, 0),
    ]
    assert {s.key: s.average for s in summary.scores} == {"service": 4.0, "environment": None, "value": 4.0}
    assert summary.average == Decimal("4.0")


def test_a_revoked_record_takes_its_review_off_the_place():
    voucher = visits.voucher()
    review = write(voucher)
    services.record_revoked(record_kind="voucher", record_id=voucher.pk)
    review.refresh_from_db()
    assert review.state == Review.State.HIDDEN and review.hidden_reason
    assert Place.objects.get(pk=voucher.redeemed_place_id).rating_count == 0
    assert services.record_revoked(record_kind="voucher", record_id=999_999) is None


def test_a_voucher_used_for_a_booking_is_one_visit_reviewed_through_the_booking():
    buyer = factories.UserFactory()
    booking = visits.booking(buyer)
    voucher = visits.voucher(buyer, at=booking.place)
    Booking.objects.filter(pk=booking.pk).update(voucher=voucher)
    assert [(r.kind, r.id) for r in records.waiting(buyer)] == [("booking", booking.pk)]
    with pytest.raises(NotFound):
        write(voucher)
    write(booking)
