"""Booking endpoints: a service and its free slots (public), the consumer's bookings, and the shop's side (its day
of bookings, the answer, completion; services, staff, hours and days off). Another tenant's object answers 404."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import require, selling_organization
from tradeloop.core.api_schemas import Amount, AmountIn, Id, InputSchema, MoneyOut, errors
from tradeloop.o2o import booking_selectors as selectors
from tradeloop.o2o import bookings, staffing
from tradeloop.o2o.booking_calendar import ics_for
from tradeloop.o2o.models import Booking, Service, StaffMember

router = Router(tags=["O2O"])
seller_router = Router(auth=SIGNED_IN, tags=["O2O"])
READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)


# --- shapes ---------------------------------------------------------------------------------------------------------


class BookingStaffOut(Schema):
    id: int
    name: str
    title: str


class BookingServiceOut(MoneyOut):
    id: int
    title: str
    description: str
    price: Amount
    duration_minutes: int
    deposit: Amount | None = Field(..., description="Paid when booking (held until the visit); null: none")
    instant_confirm: bool = Field(..., description="false: the shop confirms within the review window")
    free_cancel_hours: int = Field(..., description="Free cancellation until this many hours before the start")
    cancel_fee: Amount = Field(..., description="Kept from the deposit when cancelled later")
    place_ids: list[int]
    staff: list[BookingStaffOut]


class BookingSlotOut(Schema):
    starts_at: datetime = Field(..., description="In the place's time zone")
    ends_at: datetime
    staff_ids: list[int] = Field(..., description="Qualified staff free then (booking 'anyone' takes the first)")


class BookingSlotsOut(Schema):
    service_id: int
    place_id: int
    day: date
    time_zone: str
    slots: list[BookingSlotOut]


class BookingIn(InputSchema):
    service_id: Id
    place_id: Id
    staff_id: Id | None = Field(None, description="null: anyone free")
    starts_at: datetime = Field(..., description="One of the free slots; without an offset: the place's time")
    voucher_id: Id | None = None
    note: str = Field("", max_length=500)


class BookingOut(MoneyOut):
    id: int
    state: str
    service_id: int
    service_title: str
    place_id: int
    place_name: str
    staff: BookingStaffOut
    consumer_id: int
    starts_at: datetime = Field(..., description="In the place's time zone")
    ends_at: datetime
    time_zone: str
    price: Amount
    deposit_order_number: str | None = Field(..., description="The order that pays the deposit (null: none)")
    awaiting_payment: bool
    answer_by: datetime | None
    free_cancel_until: datetime
    cancel_fee_now: Amount = Field(..., description="What cancelling now would keep")
    cancel_fee_charged: Amount
    voucher_id: int | None
    note: str


class BookingDeclineIn(InputSchema):
    reason: str = Field("", max_length=300)


class SellerBookingDayQuery(Schema):
    organization: Id
    day: date = Field(..., description="A day in the place's time zone")
    days: int = Field(1, ge=1, le=7, description="How many days from `day` (7: a week)")
    place: Id | None = None


class BookingOrgQuery(Schema):
    organization: Id


class BookableServiceIn(InputSchema):
    title: str = Field("", max_length=200)
    title_zh: str = Field("", max_length=200)
    description: str = Field("", max_length=20000)
    description_zh: str = Field("", max_length=20000)
    price: AmountIn
    duration_minutes: int = Field(60, ge=5, le=1440)
    deposit: AmountIn | None = None
    instant_confirm: bool = True
    free_cancel_hours: int = Field(24, ge=0, le=720)
    cancel_fee: AmountIn = Decimal("0")
    place_ids: list[Id]
    is_active: bool = True


class StaffMemberIn(InputSchema):
    place_id: Id
    name: str = Field("", max_length=120)
    name_zh: str = Field("", max_length=120)
    title: str = Field("", max_length=120)
    title_zh: str = Field("", max_length=120)
    service_ids: list[Id] = []
    is_active: bool = True


class WorkingSpanIn(InputSchema):
    weekday: int = Field(..., ge=0, le=6, description="0 = Monday")
    starts: str = Field(..., examples=["09:00"], max_length=8)
    ends: str = Field(..., examples=["18:00"], max_length=8)


class WorkingHoursIn(InputSchema):
    hours: list[WorkingSpanIn] = Field(..., max_length=50)


class StaffDayOffIn(InputSchema):
    day: date
    reason: str = Field("", max_length=120)


class SellerStaffOut(Schema):
    id: int
    place_id: int
    name: str
    name_zh: str
    title: str
    title_zh: str
    service_ids: list[int]
    is_active: bool
    hours: list[dict]
    days_off: list[dict]


def _staff_out(person: StaffMember) -> dict:
    return {"id": person.pk, "name": person.localized("name"), "title": person.localized("title")}


def _service_out(service: Service, staff: list[StaffMember] | None = None) -> dict:
    product = service.product
    return {
        "currency": product.currency,
        "id": service.pk,
        "title": product.display_title,
        "description": product.display_description,
        "price": selectors.price_of(service) or Decimal("0"),
        "duration_minutes": service.duration_minutes,
        "deposit": service.deposit,
        "instant_confirm": service.instant_confirm,
        "free_cancel_hours": service.free_cancel_hours,
        "cancel_fee": service.cancel_fee,
        "place_ids": [p.pk for p in service.places.all()],
        "staff": [_staff_out(s) for s in staff or []],
    }


def booking_out(booking: Booking) -> dict:
    zone = selectors.zone_of(booking.place)
    return {
        "currency": booking.currency,
        "id": booking.pk,
        "state": booking.state,
        "service_id": booking.service_id,
        "service_title": booking.service.product.display_title,
        "place_id": booking.place_id,
        "place_name": booking.place.display_name,
        "staff": _staff_out(booking.staff),
        "consumer_id": booking.consumer_id,
        "starts_at": booking.starts_at.astimezone(zone),
        "ends_at": booking.ends_at.astimezone(zone),
        "time_zone": booking.place.time_zone,
        "price": booking.price,
        "deposit_order_number": booking.order.number if booking.order_id else None,
        "awaiting_payment": bookings.awaits_payment(booking),
        "answer_by": booking.answer_by,
        "free_cancel_until": bookings.free_cancel_until(booking).astimezone(zone),
        "cancel_fee_now": bookings.cancel_fee_now(booking) if booking.state in Booking.HOLDS_SLOT else Decimal("0"),
        "cancel_fee_charged": booking.cancel_fee_charged,
        "voucher_id": booking.voucher_id,
        "note": booking.note,
    }


# --- the consumer ------------------------------------------------------------------------------------------------


@router.get("services/{service_id}", response={200: BookingServiceOut, **READ_ERRORS}, summary="A bookable service")
def service_detail(request: HttpRequest, service_id: Id):
    service = selectors.public_service(service_id)
    return _service_out(service, selectors.service_staff(service))


@router.get(
    "services/{service_id}/slots",
    response={200: BookingSlotsOut, **READ_ERRORS},
    summary="Free slots of a service at a place on a day (in the place's time zone), for a staff member or anyone",
)
def slots(request: HttpRequest, service_id: Id, place: Id, day: date, staff: Id | None = None):
    service = selectors.public_service(service_id)
    where = selectors.place_of(service, place)
    found = selectors.free_slots(service, where, day, staff_id=staff)
    return {
        "service_id": service.pk,
        "place_id": where.pk,
        "day": day,
        "time_zone": where.time_zone,
        "slots": [{"starts_at": s.starts_at, "ends_at": s.ends_at, "staff_ids": list(s.staff_ids)} for s in found],
    }


@router.post(
    "bookings",
    auth=SIGNED_IN,
    response={201: BookingOut, **WRITE_ERRORS},
    summary="Book a free slot (a deposit, if any, is paid through `deposit_order_number`'s payment)",
)
def create_booking(request: HttpRequest, payload: BookingIn, idempotency_key: str | None = Header(None)):
    booking = bookings.book(
        actor=request.auth,
        service_id=payload.service_id,
        place_id=payload.place_id,
        staff_id=payload.staff_id,
        starts_at=payload.starts_at,
        voucher_id=payload.voucher_id,
        note=payload.note,
        key=idempotency_key,
    )
    return 201, booking_out(booking)


@router.get("bookings", auth=SIGNED_IN, response={200: list[BookingOut], **READ_ERRORS}, summary="Your bookings")
def my_bookings(request: HttpRequest, upcoming: bool = True):
    return [booking_out(b) for b in selectors.consumer_bookings(request.auth, upcoming=upcoming)]


@router.get("bookings/{booking_id}", auth=SIGNED_IN, response={200: BookingOut, **READ_ERRORS}, summary="A booking")
def my_booking(request: HttpRequest, booking_id: Id):
    return booking_out(selectors.consumer_booking(request.auth, booking_id))


@router.post(
    "bookings/{booking_id}/cancel",
    auth=SIGNED_IN,
    response={200: BookingOut, **WRITE_ERRORS},
    summary="Cancel: free until free_cancel_until, later the fee is kept from the deposit",
)
def cancel_booking(request: HttpRequest, booking_id: Id):
    bookings.cancel(actor=request.auth, booking_id=booking_id)
    return booking_out(selectors.consumer_booking(request.auth, booking_id))


@router.get(
    "bookings/{booking_id}/calendar.ics",
    auth=SIGNED_IN,
    response={200: None, **READ_ERRORS},
    summary="The booking as an iCalendar file (text/calendar)",
)
def booking_ics(request: HttpRequest, booking_id: Id):
    booking = selectors.consumer_booking(request.auth, booking_id)
    response = HttpResponse(ics_for(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    return response


# --- the shop ---------------------------------------------------------------------------------------------------------


@seller_router.get(
    "bookings",
    response={200: list[BookingOut], **READ_ERRORS},
    summary="The organization's bookings on a day or a week (needs orders.fulfil)",
)
def seller_bookings(request: HttpRequest, query: Query[SellerBookingDayQuery]):
    org = selling_organization(request.auth, query.organization)
    require(request.auth, org, "orders.fulfil")
    zone = selectors.zone_for(org, query.place)
    start = selectors.local_day_bounds(query.day, zone)[0]
    end = selectors.local_day_bounds(query.day + timedelta(days=query.days - 1), zone)[1]
    found = selectors.seller_bookings(org, start=start, end=end, place_id=query.place)
    return [booking_out(b) for b in found]


def _answer(request: HttpRequest, booking_id: int, move) -> dict:
    booking = move(actor=request.auth, booking_id=booking_id)
    return booking_out(selectors.seller_booking(booking.place.seller, booking_id))


@seller_router.post("bookings/{booking_id}/confirm", response={200: BookingOut, **WRITE_ERRORS}, summary="Confirm")
def seller_confirm(request: HttpRequest, booking_id: Id):
    return _answer(request, booking_id, bookings.confirm)


@seller_router.post(
    "bookings/{booking_id}/decline", response={200: BookingOut, **WRITE_ERRORS}, summary="Decline (deposit refunded)"
)
def seller_decline(request: HttpRequest, booking_id: Id, payload: BookingDeclineIn):
    return _answer(request, booking_id, lambda **kw: bookings.decline(**kw, reason=payload.reason))


@seller_router.post(
    "bookings/{booking_id}/complete",
    response={200: BookingOut, **WRITE_ERRORS},
    summary="Completed (after the start): deposit released, attached voucher redeemed",
)
def seller_complete(request: HttpRequest, booking_id: Id):
    return _answer(request, booking_id, bookings.complete)


@seller_router.post(
    "bookings/{booking_id}/no-show",
    response={200: BookingOut, **WRITE_ERRORS},
    summary="No-show (after the start): the deposit is kept as the fee",
)
def seller_no_show(request: HttpRequest, booking_id: Id):
    return _answer(request, booking_id, bookings.no_show)


def _service_data(payload: BookableServiceIn) -> staffing.ServiceData:
    return staffing.ServiceData(**payload.dict())


@seller_router.post("services", response={201: BookingServiceOut, **WRITE_ERRORS}, summary="Add a bookable service")
def seller_service_create(request: HttpRequest, query: Query[BookingOrgQuery], payload: BookableServiceIn):
    org = selling_organization(request.auth, query.organization)
    service = staffing.save_service(actor=request.auth, org=org, data=_service_data(payload))
    return 201, _service_out(_reloaded(org, service.pk))


@seller_router.put("services/{service_id}", response={200: BookingServiceOut, **WRITE_ERRORS}, summary="Change one")
def seller_service_update(
    request: HttpRequest, service_id: Id, query: Query[BookingOrgQuery], payload: BookableServiceIn
):
    org = selling_organization(request.auth, query.organization)
    staffing.save_service(actor=request.auth, org=org, data=_service_data(payload), service_id=service_id)
    return _service_out(_reloaded(org, service_id))


def _reloaded(org, service_id: int) -> Service:
    return next(s for s in selectors.org_services(org) if s.pk == service_id)


@seller_router.get("services", response={200: list[BookingServiceOut], **READ_ERRORS}, summary="Your services")
def seller_service_list(request: HttpRequest, query: Query[BookingOrgQuery]):
    org = selling_organization(request.auth, query.organization)
    require(request.auth, org, staffing.CAPABILITY)
    return [_service_out(s) for s in selectors.org_services(org)]


def _seller_staff_out(person: StaffMember) -> dict:
    return {
        "id": person.pk,
        "place_id": person.place_id,
        "name": person.name,
        "name_zh": person.name_zh,
        "title": person.title,
        "title_zh": person.title_zh,
        "service_ids": [s.pk for s in person.services.all()],
        "is_active": person.is_active,
        "hours": [
            {"weekday": h.weekday, "starts": h.starts.strftime("%H:%M"), "ends": h.ends.strftime("%H:%M")}
            for h in person.hours.all()
        ],
        "days_off": [{"id": d.pk, "day": d.day.isoformat(), "reason": d.reason} for d in person.days_off.all()],
    }


@seller_router.get("staff", response={200: list[SellerStaffOut], **READ_ERRORS}, summary="Your staff")
def seller_staff_list(request: HttpRequest, query: Query[BookingOrgQuery]):
    org = selling_organization(request.auth, query.organization)
    require(request.auth, org, staffing.CAPABILITY)
    return [_seller_staff_out(p) for p in selectors.org_staff(org)]


@seller_router.post("staff", response={201: SellerStaffOut, **WRITE_ERRORS}, summary="Add a staff member")
def seller_staff_create(request: HttpRequest, query: Query[BookingOrgQuery], payload: StaffMemberIn):
    org = selling_organization(request.auth, query.organization)
    person = staffing.save_staff(actor=request.auth, org=org, data=staffing.StaffData(**payload.dict()))
    return 201, _seller_staff_out(selectors.org_staff(org, person.pk)[0])


@seller_router.put("staff/{staff_id}", response={200: SellerStaffOut, **WRITE_ERRORS}, summary="Change one")
def seller_staff_update(request: HttpRequest, staff_id: Id, query: Query[BookingOrgQuery], payload: StaffMemberIn):
    org = selling_organization(request.auth, query.organization)
    staffing.save_staff(actor=request.auth, org=org, data=staffing.StaffData(**payload.dict()), staff_id=staff_id)
    return _seller_staff_out(selectors.org_staff(org, staff_id)[0])


@seller_router.put(
    "staff/{staff_id}/hours", response={200: SellerStaffOut, **WRITE_ERRORS}, summary="Replace the working hours"
)
def seller_staff_hours(request: HttpRequest, staff_id: Id, query: Query[BookingOrgQuery], payload: WorkingHoursIn):
    org = selling_organization(request.auth, query.organization)
    spans = [(h.weekday, h.starts, h.ends) for h in payload.hours]
    staffing.set_hours(actor=request.auth, org=org, staff_id=staff_id, hours=spans)
    return _seller_staff_out(selectors.org_staff(org, staff_id)[0])


@seller_router.post(
    "staff/{staff_id}/days-off", response={201: SellerStaffOut, **WRITE_ERRORS}, summary="Add a day off"
)
def seller_day_off_add(request: HttpRequest, staff_id: Id, query: Query[BookingOrgQuery], payload: StaffDayOffIn):
    org = selling_organization(request.auth, query.organization)
    staffing.add_day_off(actor=request.auth, org=org, staff_id=staff_id, day=payload.day, reason=payload.reason)
    return 201, _seller_staff_out(selectors.org_staff(org, staff_id)[0])


@seller_router.delete("staff/days-off/{day_off_id}", response={204: None, **WRITE_ERRORS}, summary="Remove a day off")
def seller_day_off_remove(request: HttpRequest, day_off_id: Id, query: Query[BookingOrgQuery]):
    org = selling_organization(request.auth, query.organization)
    staffing.remove_day_off(actor=request.auth, org=org, day_off_id=day_off_id)
    return 204, None
