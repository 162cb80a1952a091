"""Reads for bookings: a service's free slots at a place on a day, the consumer's bookings, a seller's day.

Free slots are computed in the place's time zone: each qualified staff member's working spans that weekday, minus
their days off, minus the bookings that hold a slot (`Booking.HOLDS_SLOT`), in steps that fit the duration and not
in the past. Wall-clock steps are turned into instants one by one, so a day with a DST change is still right (a
time that does not exist that day is skipped).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.catalog.models import Product
from tradeloop.core import clock
from tradeloop.core.errors import NotFound
from tradeloop.o2o.models import Booking, DayOff, Place, Service, StaffMember, Voucher, WorkingHours

DAYS_AHEAD = 14  # how far ahead a consumer can book


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # in the place's time zone
    ends_at: datetime
    staff_ids: tuple[int, ...]  # the qualified staff free then, first booked first

    @property
    def key(self) -> str:
        return self.starts_at.isoformat()


def price_of(service: Service):
    """The service's price: its one SKU's (the variants prefetched)."""
    variants = sorted(service.product.variants.all(), key=lambda v: (v.position, v.pk))
    return variants[0].price if variants else None


def step_for(duration_minutes: int) -> timedelta:
    """Slots start on the half hour, or on the quarter for durations that are not whole half hours."""
    return timedelta(minutes=30 if duration_minutes % 30 == 0 else 15)


def zone_of(place: Place) -> ZoneInfo:
    return ZoneInfo(place.time_zone)


def local_day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return (
        datetime.combine(day, time.min, tzinfo=zone),
        datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone),
    )


def today_at(place: Place, now: datetime | None = None) -> date:
    return (now or clock.now()).astimezone(zone_of(place)).date()


def bookable_days(place: Place, now: datetime | None = None) -> list[date]:
    first = today_at(place, now)
    return [first + timedelta(days=n) for n in range(DAYS_AHEAD)]


# --- the service and its staff -----------------------------------------------------------------------------------


def public_service(service_id: int) -> Service:
    """An active service whose product is published, with its product and places; else 404."""
    service = (
        Service.objects.select_related("product__seller")
        .prefetch_related(Prefetch("places", Place.objects.filter(is_active=True).order_by("id")), "product__variants")
        .filter(pk=service_id, is_active=True, product__status=Product.Status.PUBLISHED)
        .first()
    )
    if service is None:
        raise NotFound(gettext("Service not found."), field="service")
    return service


def place_of(service: Service, place_id: int | None) -> Place:
    """One of the service's (prefetched, active) places; None: the first one."""
    places = list(service.places.all())
    found = next((p for p in places if place_id is None or p.pk == place_id), None)
    if found is None:
        raise NotFound(gettext("This service is not offered at that place."), field="place")
    return found


def qualified_staff(service: Service, place: Place, staff_id: int | None = None) -> list[StaffMember]:
    """The active staff at the place who perform the service (with their hours and days off, two more queries)."""
    qs = (
        StaffMember.objects.filter(place=place, services=service, is_active=True)
        .prefetch_related(
            Prefetch("hours", WorkingHours.objects.order_by("weekday", "starts")),
            Prefetch("days_off", DayOff.objects.order_by("day")),
        )
        .order_by("id")
    )
    if staff_id is not None:
        qs = qs.filter(pk=staff_id)
    return list(qs)


# --- free slots --------------------------------------------------------------------------------------------------


def _instant(day: date, wall: time, zone: ZoneInfo) -> datetime | None:
    """The wall-clock time on that day as an aware instant; None if the clock skips it (spring forward)."""
    naive = datetime.combine(day, wall)
    aware = naive.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return aware


def _span_end(day: date, ends: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, ends, tzinfo=zone).astimezone(UTC)


def _starts_in_span(day: date, span: WorkingHours, zone: ZoneInfo, step: timedelta, length: timedelta):
    end = _span_end(day, span.ends, zone)
    wall = datetime.combine(day, span.starts)
    while wall.date() == day:
        start = _instant(day, wall.time(), zone)
        if start is not None:
            if start.astimezone(UTC) + length > end:
                return
            yield start
        wall += step


def taken_spans(staff_ids: list[int], start: datetime, end: datetime) -> dict[int, list[tuple[datetime, datetime]]]:
    """The spans held by bookings (requested or confirmed) of these staff that touch [start, end): one query."""
    taken: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    rows = Booking.objects.filter(
        staff_id__in=staff_ids, state__in=Booking.HOLDS_SLOT, starts_at__lt=end, ends_at__gt=start
    ).values_list("staff_id", "starts_at", "ends_at")
    for staff_id, starts_at, ends_at in rows:
        taken[staff_id].append((starts_at, ends_at))
    return taken


def _free(spans: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    return not any(s < end and e > start for s, e in spans)


def free_slots(
    service: Service,
    place: Place,
    day: date,
    *,
    staff_id: int | None = None,
    now: datetime | None = None,
    staff: list[StaffMember] | None = None,
) -> list[Slot]:
    """The slots free on `day` (in the place's time zone) for `staff_id`, or for any qualified staff (None)."""
    now = now or clock.now()
    zone = zone_of(place)
    staff = staff if staff is not None else qualified_staff(service, place, staff_id)
    if staff_id is not None:
        staff = [s for s in staff if s.pk == staff_id]
    if not staff:
        return []
    length = timedelta(minutes=service.duration_minutes)
    step = step_for(service.duration_minutes)
    day_start, day_end = local_day_bounds(day, zone)
    taken = taken_spans([s.pk for s in staff], day_start, day_end + length)
    free_by_start: dict[datetime, list[int]] = defaultdict(list)
    for person in staff:
        if any(off.day == day for off in person.days_off.all()):
            continue
        for span in (h for h in person.hours.all() if h.weekday == day.weekday()):
            for start in _starts_in_span(day, span, zone, step, length):
                if start > now and _free(taken[person.pk], start, start + length):
                    free_by_start[start.astimezone(UTC)].append(person.pk)
    return [
        Slot(start.astimezone(zone), (start + length).astimezone(zone), tuple(ids))
        for start, ids in sorted(free_by_start.items())
    ]


def slot_for(service: Service, place: Place, starts_at: datetime, staff: list[StaffMember]) -> Slot | None:
    """The free slot that starts at `starts_at` (working hours, days off, bookings), or None."""
    day = starts_at.astimezone(zone_of(place)).date()
    return next((s for s in free_slots(service, place, day, staff=staff) if s.starts_at == starts_at), None)


# --- bookings ----------------------------------------------------------------------------------------------------

BOOKING_RELATED = ("service__product__seller", "staff", "place", "consumer", "order", "voucher__deal__product")


def _bookings() -> QuerySet[Booking]:
    return Booking.objects.select_related(*BOOKING_RELATED)


def consumer_bookings(actor: User, *, upcoming: bool, now: datetime | None = None, limit: int = 50) -> list[Booking]:
    """The actor's bookings: upcoming (not over, still on) soonest first, or past ones latest first."""
    now = now or clock.now()
    qs = _bookings().filter(consumer=actor)
    if upcoming:
        return list(qs.filter(state__in=Booking.HOLDS_SLOT, ends_at__gt=now).order_by("starts_at", "id")[:limit])
    return list(qs.filter(~Q(state__in=Booking.HOLDS_SLOT) | Q(ends_at__lte=now)).order_by("-starts_at", "-id")[:limit])


def consumer_booking(actor: User, booking_id: int) -> Booking:
    found = _bookings().filter(pk=booking_id, consumer_id=getattr(actor, "pk", None)).first()
    if found is None:
        raise NotFound(gettext("Booking not found."), field="booking")
    return found


def seller_booking(seller: Organization, booking_id: int) -> Booking:
    found = _bookings().filter(pk=booking_id, place__seller=seller).first()
    if found is None:
        raise NotFound(gettext("Booking not found."), field="booking")
    return found


def seller_bookings(
    seller: Organization, *, start: datetime, end: datetime, place_id: int | None = None
) -> list[Booking]:
    """The seller's bookings that start in [start, end), waiting ones first, then by time."""
    qs = _bookings().filter(place__seller=seller, starts_at__gte=start, starts_at__lt=end)
    if place_id is not None:
        qs = qs.filter(place_id=place_id)
    return list(qs.order_by("starts_at", "id"))


def waiting_for_answer(seller: Organization) -> list[Booking]:
    """Requests the shop has to confirm or decline (their deposit, if any, paid), soonest deadline first."""
    return list(
        _bookings()
        .filter(place__seller=seller, state=Booking.State.REQUESTED, answer_by__isnull=False)
        .order_by("answer_by", "id")[:100]
    )


def zone_for(seller: Organization, place_id: int | None = None) -> ZoneInfo:
    """The clock a seller's day is read on: the place's, else the first place's, else the site's."""
    qs = Place.objects.filter(seller=seller)
    if place_id is not None:
        qs = qs.filter(pk=place_id)
    found = qs.order_by("id").values_list("time_zone", flat=True).first()
    return ZoneInfo(found or settings.TIME_ZONE)


def org_services(seller: Organization) -> list[Service]:
    return list(
        Service.objects.filter(product__seller=seller)
        .select_related("product")
        .prefetch_related("places", "product__variants")
        .order_by("id")
    )


def org_staff(seller: Organization, staff_id: int | None = None) -> list[StaffMember]:
    qs = StaffMember.objects.filter(place__seller=seller).prefetch_related("services", "hours", "days_off")
    if staff_id is not None:
        qs = qs.filter(pk=staff_id)
    return list(qs.order_by("place_id", "id"))


def seller_places(seller: Organization) -> list[Place]:
    return list(Place.objects.filter(seller=seller).order_by("id"))


def place_staff(place: Place) -> list[StaffMember]:
    return list(place.staff.filter(is_active=True).order_by("id"))


def services_at(places: list[Place]) -> dict[int, list[Service]]:
    """Each place's active, published services (two queries for any number of places)."""
    services = (
        Service.objects.filter(places__in=places, is_active=True, product__status=Product.Status.PUBLISHED)
        .select_related("product")
        .prefetch_related("places", "product__variants")
        .distinct()
        .order_by("id")
    )
    by_place: dict[int, list[Service]] = defaultdict(list)
    wanted = {p.pk for p in places}
    for service in services:
        for place in service.places.all():
            if place.pk in wanted:
                by_place[place.pk].append(service)
    return by_place


def service_staff(service: Service) -> list[StaffMember]:
    """Who performs the service at any of its (prefetched) places: one query."""
    places = [p.pk for p in service.places.all()]
    return list(StaffMember.objects.filter(place_id__in=places, services=service, is_active=True).order_by("id"))


def usable_vouchers(actor: User, place: Place, now: datetime | None = None) -> list[Voucher]:
    """The actor's vouchers that are ready to use, valid at the place, and not attached to a booking."""
    if not getattr(actor, "is_authenticated", False):
        return []
    return list(
        Voucher.objects.filter(
            buyer=actor,
            state=Voucher.State.VALID,
            valid_until__gt=now or clock.now(),
            deal__places=place,
            booking__isnull=True,
        )
        .select_related("deal__product")
        .order_by("valid_until", "id")[:20]
    )
