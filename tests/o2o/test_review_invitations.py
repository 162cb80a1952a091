"""The consumer is invited to review a visit: once a redemption can no longer be undone (a mistaken one sends
nothing) and once a booking is completed; one e-mail per record, in their language; the voucher and booking pages
offer "Write a review" or show "Your review", in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.o2o import local
from tests.o2o.dealing import bought, owner, vouchers_of
from tests.reviews import visits
from tradeloop.celery import app as celery_app
from tradeloop.core import clock as tl_clock
from tradeloop.notifications.models import EmailLog
from tradeloop.o2o import redemption, review_invitations
from tradeloop.o2o.models import Booking, Voucher
from tradeloop.reviews import services as reviews

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold():
    place = local.place()
    buyer = factories.UserFactory(language="zh-hans")
    (voucher,) = vouchers_of(bought(local.deal(place), buyer))
    return place, voucher


def _redeem(place, voucher):
    return redemption.redeem(actor=owner(place.seller), place_id=place.pk, code=voucher.code)


def _sweep(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return review_invitations.sweep_invitations(tl_clock.now())


def test_the_buyer_is_invited_once_the_redemption_can_no_longer_be_undone(
    sold, clock, celery_eager, django_capture_on_commit_callbacks
):
    place, voucher = sold
    _redeem(place, voucher)
    clock.advance(minutes=30)
    assert _sweep(django_capture_on_commit_callbacks) == 0
    clock.advance(minutes=31)
    assert _sweep(django_capture_on_commit_callbacks) == 1
    (sent,) = mail.outbox
    assert sent.to == [voucher.buyer.email] and "莲花美发" in sent.subject and "评价" in sent.subject
    assert reverse("reviews:write", args=["voucher", voucher.pk]) in sent.body
    assert "莲花美发" in sent.alternatives[0][0]
    assert _sweep(django_capture_on_commit_callbacks) == 0
    assert review_invitations.invitation_email("voucher", voucher.pk) == 0  # a twin job sends nothing twice
    assert len(mail.outbox) == 1


def test_a_mistaken_redemption_undone_sends_nothing(sold, clock, celery_eager, django_capture_on_commit_callbacks):
    place, voucher = sold
    _redeem(place, voucher)
    clock.advance(minutes=20)
    redemption.undo(actor=owner(place.seller), voucher_id=voucher.pk)
    clock.advance(hours=2)
    assert _sweep(django_capture_on_commit_callbacks) == 0
    assert review_invitations.invitation_email("voucher", voucher.pk) == 0
    _redeem(place, voucher)  # the real visit
    clock.advance(minutes=61)
    assert _sweep(django_capture_on_commit_callbacks) == 1 and len(mail.outbox) == 1


def test_no_invitation_for_a_visit_reviewed_already_or_long_ago(
    sold, clock, celery_eager, django_capture_on_commit_callbacks
):
    place, voucher = sold
    _redeem(place, voucher)
    reviews.write_review(actor=voucher.buyer, record_kind="voucher", record_id=voucher.pk, stars=4)
    old_place = local.place()
    (old,) = vouchers_of(bought(local.deal(old_place)))
    _redeem(old_place, old)
    clock.advance(days=3)  # the sweep was not running: a visit this old is not invited any more
    assert _sweep(django_capture_on_commit_callbacks) == 0 and mail.outbox == []


def test_a_completed_booking_invites_its_consumer_in_their_language(
    clock, celery_eager, django_capture_on_commit_callbacks
):
    booking = visits.booking(factories.UserFactory(language="en"))
    Booking.objects.filter(pk=booking.pk).update(closed_at=tl_clock.now())
    visits.booking(state=Booking.State.NO_SHOW)  # no visit: nothing
    assert _sweep(django_capture_on_commit_callbacks) == 1
    (sent,) = mail.outbox
    assert "How was Lotus Hair Studio?" in sent.subject
    assert reverse("reviews:write", args=["booking", booking.pk]) in sent.body
    assert EmailLog.objects.filter(kind=review_invitations.KIND, ref=f"booking:{booking.pk}").count() == 1
    assert _sweep(django_capture_on_commit_callbacks) == 0


def test_a_voucher_used_for_a_booking_is_invited_through_the_booking_only(
    clock, celery_eager, django_capture_on_commit_callbacks
):
    booking = visits.booking()
    voucher = visits.voucher(booking.consumer, at=booking.place)
    Voucher.objects.filter(pk=voucher.pk).update(redeemed_at=tl_clock.now() - timedelta(hours=2))
    Booking.objects.filter(pk=booking.pk).update(voucher=voucher, closed_at=tl_clock.now())
    assert _sweep(django_capture_on_commit_callbacks) == 1
    assert EmailLog.objects.get(kind=review_invitations.KIND).ref == f"booking:{booking.pk}"


def test_the_sweep_is_on_celery_beat():
    tasks = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert "tradeloop.o2o.tasks.sweep_review_invitations" in tasks


# --- the pages --------------------------------------------------------------------------------------------------


def web_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_voucher_page_offers_a_review_then_shows_it(sold):
    place, voucher = sold
    client = web_as(voucher.buyer)
    page = reverse("o2o:voucher", args=[voucher.pk])
    write = reverse("reviews:write", args=["voucher", voucher.pk])
    assert write not in client.get(page).content.decode()  # not used yet: no review possible
    _redeem(place, voucher)
    html = client.get(page).content.decode()
    assert write in html and "Write a review" in html
    review = reviews.write_review(actor=voucher.buyer, record_kind="voucher", record_id=voucher.pk, stars=4)
    html = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert write not in html and reverse("reviews:edit", args=[review.pk]) in html
    assert "Your review" in html and "★★★★☆" in html


def test_the_used_tab_offers_reviews_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    buyer = factories.UserFactory()
    place = local.place()

    def used_one():
        (voucher,) = vouchers_of(bought(local.deal(place), buyer))
        _redeem(place, voucher)
        return voucher

    first = used_one()
    review = reviews.write_review(actor=buyer, record_kind="voucher", record_id=first.pk, stars=5)
    client = web_as(buyer)
    url = reverse("o2o:vouchers") + "?tab=used"
    with django_assert_max_num_queries(20) as few:
        html = client.get(url).content.decode()
    assert reverse("reviews:edit", args=[review.pk]) in html
    more = [used_one() for _ in range(3)]
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert all(reverse("reviews:write", args=["voucher", v.pk]) in html for v in more)
    assert "Write a review" not in client.get(reverse("o2o:vouchers")).content.decode()  # the To use tab


def test_the_booking_page_offers_a_review_once_completed():
    booking = visits.booking(state=Booking.State.CONFIRMED)
    client = web_as(booking.consumer)
    page = reverse("o2o:booking", args=[booking.pk])
    write = reverse("reviews:write", args=["booking", booking.pk])
    assert write not in client.get(page).content.decode()
    Booking.objects.filter(pk=booking.pk).update(state=Booking.State.COMPLETED)
    assert write in client.get(page).content.decode()
    review = reviews.write_review(actor=booking.consumer, record_kind="booking", record_id=booking.pk, stars=3)
    html = client.get(page).content.decode()
    assert reverse("reviews:edit", args=[review.pk]) in html and "★★★☆☆" in html
    assert web_as(factories.UserFactory()).get(page).status_code == 404
