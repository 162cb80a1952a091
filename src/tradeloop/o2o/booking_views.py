"""Booking pages: a service with its staff, a 14-day strip and the free slots; booking (then the deposit's
payment); the consumer's bookings, one booking with cancel and its .ics; the console's calendar with the answers.
Thin: o2o.bookings decides, booking_selectors reads."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.checkout import services as checkout
from tradeloop.core import clock
from tradeloop.core.errors import DomainError, NotFound
from tradeloop.o2o import booking_selectors as selectors
from tradeloop.o2o import bookings, review_records
from tradeloop.o2o.booking_calendar import ics_for
from tradeloop.o2o.booking_forms import BookForm
from tradeloop.o2o.models import Booking

SECTION = "o2o:console_bookings"


def _day(raw: str | None, days: list[date]) -> date:
    wanted = parse_date(raw or "") if raw else None
    return wanted if wanted in days else days[0]


def _staff_choice(raw: str | None, staff: list) -> int | None:
    """The chosen staff member's id, or None for "anyone" (also for an id that is not one of them)."""
    if raw and raw.isdigit() and any(s.pk == int(raw) for s in staff):
        return int(raw)
    return None


def service_page(request: HttpRequest, service_id: int) -> HttpResponse:
    try:
        service = selectors.public_service(service_id)
        place = selectors.place_of(
            service, int(request.GET["place"]) if request.GET.get("place", "").isdigit() else None
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    staff = selectors.qualified_staff(service, place)
    chosen = _staff_choice(request.GET.get("staff"), staff)
    days = selectors.bookable_days(place)
    day = _day(request.GET.get("day"), days)
    slots = selectors.free_slots(service, place, day, staff_id=chosen, staff=staff)
    context = {
        "service": service,
        "product": service.product,
        "price": selectors.price_of(service),
        "place": place,
        "places": list(service.places.all()),
        "staff": staff,
        "chosen": chosen,
        "days": days,
        "day": day,
        "slots": slots,
        "vouchers": selectors.usable_vouchers(request.user, place),
    }
    return render(request, "o2o/service_detail.html", context)


@login_required
@require_POST
def book(request: HttpRequest, service_id: int) -> HttpResponse:
    form = BookForm(request.POST)
    back = reverse("o2o:service", args=[service_id])
    if not form.is_valid():
        messages.error(request, gettext("Pick one of the free slots."))
        return redirect(back)
    data = form.cleaned_data
    try:
        booking = bookings.book(
            actor=request.user,
            service_id=service_id,
            place_id=data["place"],
            staff_id=data["staff"],
            starts_at=data["starts_at"],
            voucher_id=data.get("voucher"),
            note=data.get("note", ""),
            key=data.get("idempotency_key") or None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"{back}?place={data['place']}&day={data['starts_at'].date().isoformat()}")
    return _after_booking(request, booking)


def _after_booking(request: HttpRequest, booking: Booking) -> HttpResponse:
    if bookings.awaits_payment(booking):
        return _pay(request, booking)
    if booking.state == Booking.State.CONFIRMED:
        messages.success(request, gettext("Booked: see you then."))
    else:
        messages.success(request, gettext("Requested: the shop will confirm soon."))
    return redirect("o2o:booking", booking.pk)


def _pay(request: HttpRequest, booking: Booking) -> HttpResponse:
    try:
        placed = checkout.pay_placed_orders(
            [booking.order], request.user, return_url=reverse("o2o:booking", args=[booking.pk])
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("o2o:booking", booking.pk)
    return redirect(placed.payment_url)


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "o2o/booking_list.html",
        {
            "upcoming": selectors.consumer_bookings(request.user, upcoming=True),
            "past": selectors.consumer_bookings(request.user, upcoming=False),
        },
    )


def _mine(request: HttpRequest, booking_id: int) -> Booking:
    try:
        return selectors.consumer_booking(request.user, booking_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def booking_page(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _mine(request, booking_id)
    open_ = booking.state in Booking.HOLDS_SLOT and booking.starts_at > clock.now()
    return render(
        request,
        "o2o/booking_detail.html",
        {
            "booking": booking,
            "can_cancel": open_,
            "fee_now": bookings.cancel_fee_now(booking) if open_ else None,
            "free_until": bookings.free_cancel_until(booking),
            "awaits_payment": bookings.awaits_payment(booking),
            "visit_review": _visit_review(request, booking),
        },
    )


def _visit_review(request: HttpRequest, booking: Booking) -> review_records.VisitReview | None:
    """Write a review / Your review, once the booking is completed."""
    done = [booking.pk] if booking.state == Booking.State.COMPLETED else []
    return review_records.visit_reviews("booking", done, request.user).get(booking.pk)


@login_required
@require_POST
def booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _mine(request, booking_id)
    try:
        bookings.cancel(actor=request.user, booking_id=booking.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Your booking is cancelled."))
    return redirect("o2o:booking", booking.pk)


@login_required
@require_POST
def booking_pay(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _mine(request, booking_id)
    if not bookings.awaits_payment(booking):
        return redirect("o2o:booking", booking.pk)
    return _pay(request, booking)


@login_required
def booking_ics(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _mine(request, booking_id)
    response = HttpResponse(ics_for(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- the console ------------------------------------------------------------------------------------------------------


def _columns(staff: list, found: list[Booking]) -> list[dict]:
    """One column per staff member with their bookings as blocks (time order)."""
    by_staff: dict[int, list[Booking]] = {s.pk: [] for s in staff}
    for booking in found:
        by_staff.setdefault(booking.staff_id, []).append(booking)
    return [{"staff": s, "bookings": by_staff.get(s.pk, [])} for s in staff]


@console_page("orders.fulfil", section=SECTION)
def console_bookings(request: HttpRequest, console: Console) -> HttpResponse:
    org = console.organization
    places = selectors.seller_places(org)
    place = next((p for p in places if str(p.pk) == request.GET.get("place")), places[0] if places else None)
    week = request.GET.get("view") == "week"
    zone = selectors.zone_of(place) if place else selectors.zone_for(org)
    today = clock.now().astimezone(zone).date()
    day = parse_date(request.GET.get("day") or "") or today
    first = day - timedelta(days=day.weekday()) if week else day
    days = [first + timedelta(days=n) for n in range(7 if week else 1)]
    start = selectors.local_day_bounds(days[0], zone)[0]
    end = selectors.local_day_bounds(days[-1], zone)[1]
    found = selectors.seller_bookings(org, start=start, end=end, place_id=place.pk if place else None)
    staff = selectors.place_staff(place) if place else []
    step = timedelta(days=7 if week else 1)
    context = {
        "places": places,
        "place": place,
        "week": week,
        "day": day,
        "days": [{"day": d, "bookings": [b for b in found if b.starts_at.astimezone(zone).date() == d]} for d in days],
        "columns": _columns(staff, found),
        "waiting": selectors.waiting_for_answer(org),
        "previous": day - step,
        "next": day + step,
        "today": today,
        "now": clock.now(),
        "can_manage": console.can("catalog.manage"),
    }
    return console.render(request, "o2o/booking_console.html", context)


ACTIONS = {
    "confirm": (bookings.confirm, _("Booking confirmed.")),
    "decline": (bookings.decline, _("Booking declined; any deposit is refunded.")),
    "complete": (bookings.complete, _("Marked as completed.")),
    "no-show": (bookings.no_show, _("Marked as a no-show.")),
}


@console_page("orders.fulfil", section=SECTION)
@require_POST
def console_booking_action(request: HttpRequest, console: Console, booking_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("no such action")
    selectors.seller_booking(console.organization, booking_id)  # another tenant's: 404
    move, done = ACTIONS[action]
    try:
        move(actor=request.user, booking_id=booking_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(done))
    back = request.POST.get("next") or ""
    if not back.startswith("/console/"):
        back = reverse(SECTION, args=[console.organization.pk])
    return redirect(back)
