"""O2O's integrity records for the review system (reviews.records), registered from O2oConfig.ready().

voucher   a voucher its buyer redeemed in the shop: reviews the place where it was redeemed
booking   a booking completed for its consumer: reviews the place where it happened
place     the target: service, environment and value as sub-scores; its rating_avg / rating_count /
          rating_score follow every change of its published reviews
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tradeloop.o2o import search_source
from tradeloop.o2o.models import Booking, Place, Voucher
from tradeloop.reviews import records
from tradeloop.reviews.models import Review

PLACE_SCORES = (
    ("service", pgettext_lazy("review sub-score", "Service")),
    ("environment", pgettext_lazy("review sub-score", "Environment")),
    ("value", pgettext_lazy("review sub-score", "Value")),
)


def _day(moment: datetime, place: Place) -> str:
    """3 December / 12月3日, in the place's time zone."""
    try:
        zone = ZoneInfo(place.time_zone)
    except (ValueError, KeyError):
        zone = None
    return formats.date_format(timezone.localtime(moment, zone), "MONTH_DAY_FORMAT")


def _reviewed(kind: str):
    return Review.objects.filter(record_kind=kind).values("record_id")


# --- vouchers ----------------------------------------------------------------------------------------------------


def reviewable_vouchers():
    """Every voucher that lets its buyer review: redeemed in a place, not used for a booking."""
    # a voucher used for a booking is one visit with it: the completed booking is the record that is reviewed
    return Voucher.objects.filter(
        state=Voucher.State.REDEEMED,
        redeemed_place__isnull=False,
        redeemed_at__isnull=False,
        booking__isnull=True,
    ).select_related("deal__product", "redeemed_place")


def _redeemed_vouchers(user):
    return reviewable_vouchers().filter(buyer=user)


def _voucher_record(voucher: Voucher) -> records.Record:
    place = voucher.redeemed_place
    return records.Record(
        kind="voucher",
        id=voucher.pk,
        author_id=voucher.buyer_id,
        seller_id=place.seller_id,
        target_kind="place",
        target_id=place.pk,
        visited_at=voucher.redeemed_at,
        label=gettext("%(title)s · redeemed %(day)s at %(place)s")
        % {"title": voucher.deal.product.display_title, "day": _day(voucher.redeemed_at, place), "place": place},
    )


def resolve_voucher(record_id: int, user) -> records.Record | None:
    voucher = _redeemed_vouchers(user).filter(pk=record_id).first()
    return _voucher_record(voucher) if voucher else None


def waiting_vouchers(user, limit: int) -> list[records.Record]:
    found = _redeemed_vouchers(user).exclude(pk__in=_reviewed("voucher")).order_by("-redeemed_at", "-id")[:limit]
    return [_voucher_record(v) for v in found]


# --- bookings ----------------------------------------------------------------------------------------------------


def reviewable_bookings():
    """Every booking that lets its consumer review: completed."""
    return Booking.objects.filter(state=Booking.State.COMPLETED).select_related("service__product", "place")


def _completed_bookings(user):
    return reviewable_bookings().filter(consumer=user)


def _booking_record(booking: Booking) -> records.Record:
    return records.Record(
        kind="booking",
        id=booking.pk,
        author_id=booking.consumer_id,
        seller_id=booking.place.seller_id,
        target_kind="place",
        target_id=booking.place_id,
        visited_at=booking.starts_at,
        label=gettext("%(title)s · booked for %(day)s at %(place)s")
        % {
            "title": booking.service.product.display_title,
            "day": _day(booking.starts_at, booking.place),
            "place": booking.place,
        },
    )


def resolve_booking(record_id: int, user) -> records.Record | None:
    booking = _completed_bookings(user).filter(pk=record_id).first()
    return _booking_record(booking) if booking else None


def waiting_bookings(user, limit: int) -> list[records.Record]:
    found = _completed_bookings(user).exclude(pk__in=_reviewed("booking")).order_by("-starts_at", "-id")[:limit]
    return [_booking_record(b) for b in found]


# --- the review of a visit, as the voucher and booking pages show it -------------------------------------------


@dataclass(frozen=True)
class VisitReview:
    """A record the user may review (`review` None: "Write a review") or has reviewed ("Your review")."""

    kind: str
    record_id: int
    review: Review | None = None


_REVIEWABLE = {"voucher": reviewable_vouchers, "booking": reviewable_bookings}
_AUTHOR = {"voucher": "buyer", "booking": "consumer"}


def visit_reviews(kind: str, record_ids: list[int], user) -> dict[int, VisitReview]:
    """For the user's records of `kind` among `record_ids`: those that may be reviewed or were (two queries, none
    without ids). A record missing from the answer offers no review."""
    if not record_ids or not getattr(user, "is_authenticated", False):
        return {}
    written = {r.record_id: r for r in Review.objects.filter(record_kind=kind, record_id__in=record_ids, author=user)}
    open_ = _REVIEWABLE[kind]().filter(pk__in=record_ids, **{_AUTHOR[kind]: user}).values_list("pk", flat=True)
    found = {pk: VisitReview(kind, pk) for pk in open_}
    found.update({pk: VisitReview(kind, pk, review) for pk, review in written.items()})
    return found


# --- places ------------------------------------------------------------------------------------------------------


def _place_url(place_id: int) -> str:
    try:
        return reverse("o2o:place", args=[place_id])
    except NoReverseMatch:  # the place page is not wired in
        return ""


def describe_places(place_ids: list[int]) -> dict[int, records.Target]:
    places = Place.objects.filter(pk__in=place_ids, is_active=True).only("name", "name_zh")
    return {p.pk: records.Target(title=p.display_name, url=_place_url(p.pk)) for p in places}


def place_rating_changed(place_id: int, summary: records.Summary) -> None:
    Place.objects.filter(pk=place_id).update(
        rating_avg=summary.average, rating_count=summary.count, rating_score=summary.score
    )
    search_source.place_changed([place_id])  # the search index carries the place's rating


def register() -> None:
    mark = _("Verified visit")
    records.register_record_kind("voucher", resolve=resolve_voucher, waiting=waiting_vouchers, mark=mark)
    records.register_record_kind("booking", resolve=resolve_booking, waiting=waiting_bookings, mark=mark)
    records.register_target_kind("place", scores=PLACE_SCORES, describe=describe_places, on_change=place_rating_changed)
