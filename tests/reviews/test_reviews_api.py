"""The reviews API: a target's public page with its summary, the caller's reviews and visits waiting, writing (only
from a real visit), editing, photos, the seller's desk and replies; every list at a fixed number of queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.api.conftest import Api, assert_error, png
from tests.o2o import local
from tests.reviews import visits
from tradeloop.accounts.services import issue_token
from tradeloop.o2o.models import Booking, Place, Voucher
from tradeloop.reviews import services
from tradeloop.reviews.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def as_user(user) -> Api:
    _, secret = issue_token(user=user)
    return Api(Client(), secret)


def body(record, **fields) -> dict:
    kind = "voucher" if isinstance(record, Voucher) else "booking"
    return {"record_kind": kind, "record_id": record.pk, "stars": 5} | fields


def owner_of(place: Place):
    return place.seller.memberships.get(role__code="owner").user


def test_the_buyer_reviews_a_redeemed_voucher_and_it_shows_on_the_place():
    voucher = visits.voucher()
    api = as_user(voucher.buyer)
    assert [r["record_id"] for r in api.get("reviews/pending").json()] == [voucher.pk]
    made = api.post("reviews", body(voucher, stars=4, scores={"service": 5, "value": 4}, text="Great cut"))
    assert made.status_code == 201, made.content
    review = made.json()
    assert (review["stars"], review["scores"], review["verified"]) == (4, {"service": 5, "value": 4}, "Verified visit")
    assert api.get("reviews/pending").json() == []
    public = Api(Client()).get("reviews", {"target": f"place:{voucher.redeemed_place_id}"}).json()
    assert [r["id"] for r in public["items"]] == [review["id"]]
    assert public["summary"]["count"] == 1 and public["summary"]["average"] == "4.0"
    assert public["summary"]["histogram"][1] == {"stars": 4, "count": 1}
    assert public["summary"]["scores"][0] == {"key": "service", "label": "Service", "average": 5.0}
    assert public["items"][0]["author"].endswith("***")


def test_without_a_completed_visit_there_is_no_way_to_review():
    buyer = factories.UserFactory()
    api = as_user(buyer)
    unused = visits.voucher(buyer, state=Voucher.State.VALID)
    theirs = visits.voucher()
    cancelled = visits.booking(buyer, state=Booking.State.CANCELLED)
    for record in (unused, theirs, cancelled):
        assert_error(api.post("reviews", body(record)), 404, "not_reviewable")
    assert_error(api.post("reviews", {"record_kind": "order", "record_id": 1, "stars": 5}), 404, "not_reviewable")
    assert_error(Api(Client()).post("reviews", body(theirs)), 401)
    assert not Review.objects.exists()


def test_a_second_review_of_the_same_visit_is_409():
    booking = visits.booking()
    api = as_user(booking.consumer)
    assert api.post("reviews", body(booking)).status_code == 201
    assert_error(api.post("reviews", body(booking, stars=1)), 409, "already_reviewed")


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"stars": 0}, 422, "invalid", "stars"),
        ({"stars": True}, 422, "invalid", "stars"),
        ({"scores": {"service": 6}}, 422, "invalid", "scores.service"),
        ({"scores": {"taste": 5}}, 400, "unknown_score", "scores.taste"),
        ({"text": "x" * 2001}, 422, "invalid", "text"),
        ({"surprise": 1}, 422, "invalid", "surprise"),
    ],
)
def test_bad_input_is_a_clear_error(change, status, code, field):
    voucher = visits.voucher()
    assert_error(as_user(voucher.buyer).post("reviews", body(voucher, **change)), status, code, field)
    assert not Review.objects.exists()


def test_edit_within_the_window_then_409(clock):
    voucher = visits.voucher()
    api = as_user(voucher.buyer)
    review_id = api.post("reviews", body(voucher, stars=2)).json()["id"]
    edited = api.patch(f"reviews/{review_id}", {"stars": 4, "text": "Better on second thought"})
    assert edited.status_code == 200 and edited.json()["stars"] == 4 and edited.json()["edited_at"]
    assert_error(as_user(factories.UserFactory()).patch(f"reviews/{review_id}", {"stars": 1}), 404)
    clock.advance(days=30, seconds=1)
    assert_error(api.patch(f"reviews/{review_id}", {"stars": 5}), 409, "not_editable")


def test_photos_upload():
    voucher = visits.voucher()
    api = as_user(voucher.buyer)
    review_id = api.post("reviews", body(voucher)).json()["id"]
    added = api.upload(f"reviews/{review_id}/photos", {"photos": [png("a.png"), png("b.png")]})
    assert added.status_code == 201, added.content
    assert len(added.json()["photos"]) == 2 and added.json()["photos"][0]["url"].startswith("/media/reviews/")
    not_an_image = SimpleUploadedFile("notes.png", b"hello", content_type="image/png")
    bad = api.upload(f"reviews/{review_id}/photos", {"photos": [png("c.png"), not_an_image]})
    assert_error(bad, 400, "photo_type", "photos.1")
    assert Review.objects.get(pk=review_id).photos.count() == 2


def test_the_seller_answers_once_then_edits_and_other_tenants_get_404():
    place = local.place()
    voucher = visits.voucher(at=place)
    review_id = as_user(voucher.buyer).post("reviews", body(voucher)).json()["id"]
    seller = as_user(owner_of(place))
    desk = seller.get("seller/reviews", {"organization": place.seller_id, "unanswered": True}).json()
    assert [r["id"] for r in desk["items"]] == [review_id]
    answered = seller.post(f"seller/reviews/{review_id}/reply", {"text": "Thank you!"})
    assert answered.status_code == 201 and answered.json()["reply"] == "Thank you!"
    assert_error(seller.post(f"seller/reviews/{review_id}/reply", {"text": "Again"}), 409, "already_replied")
    assert seller.patch(f"seller/reviews/{review_id}/reply", {"text": "Thanks, see you"}).json()["reply"] == (
        "Thanks, see you"
    )
    assert seller.get("seller/reviews", {"organization": place.seller_id, "unanswered": True}).json()["items"] == []
    rival = as_user(local.local_business().owner)
    assert_error(rival.patch(f"seller/reviews/{review_id}/reply", {"text": "Ours?"}), 404)
    assert_error(rival.get("seller/reviews", {"organization": place.seller_id}), 404)
    catalog = as_user(factories.member(place.seller, "catalog"))
    assert_error(catalog.get("seller/reviews", {"organization": place.seller_id}), 403)


def test_an_unknown_target_is_404():
    assert_error(Api(Client()).get("reviews", {"target": "planet:1"}), 404)
    assert_error(Api(Client()).get("reviews", {"target": "place"}), 422)


def _many_reviews(place: Place, n: int) -> None:
    deal = local.deal(place)
    for i in range(n):
        voucher = visits.voucher(at=place, deal=deal)
        review = services.write_review(
            actor=voucher.buyer, record_kind="voucher", record_id=voucher.pk, stars=1 + i % 5, photos=[png(f"{i}.png")]
        )
        services.reply(actor=owner_of(place), review_id=review.pk, text="Thanks")


def test_every_list_has_a_fixed_query_budget(django_assert_max_num_queries):
    place = local.place()
    _many_reviews(place, 12)
    public = Api(Client())
    with django_assert_max_num_queries(4):  # the page, its photos, the summary (+ nothing per review)
        assert len(public.get("reviews", {"target": f"place:{place.pk}", "limit": 100}).json()["items"]) == 12

    seller = as_user(owner_of(place))
    seller.get("me")  # the token's last-used stamp is written once
    with django_assert_max_num_queries(6):
        assert len(seller.get("seller/reviews", {"organization": place.seller_id}).json()["items"]) == 12

    buyer = factories.UserFactory()
    deal = local.deal(place)
    for _ in range(5):
        voucher = visits.voucher(buyer, at=place, deal=deal)
        services.write_review(actor=buyer, record_kind="voucher", record_id=voucher.pk, stars=5, photos=[png()])
    for _ in range(4):
        visits.voucher(buyer, at=place, deal=deal)
        visits.booking(buyer, at=place)
    mine = as_user(buyer)
    mine.get("me")
    with django_assert_max_num_queries(6):
        assert len(mine.get("reviews/mine").json()["items"]) == 5
    with django_assert_max_num_queries(6):
        assert len(mine.get("reviews/pending").json()) == 8


def test_a_hidden_place_has_no_public_reviews():
    place = local.place()
    voucher = visits.voucher(at=place)
    services.write_review(actor=voucher.buyer, record_kind="voucher", record_id=voucher.pk, stars=5)
    Place.objects.filter(pk=place.pk).update(is_active=False)
    assert_error(Api(Client()).get("reviews", {"target": f"place:{place.pk}"}), 404)
