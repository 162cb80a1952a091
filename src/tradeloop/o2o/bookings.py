"""Bookings: a consumer books a service with a staff member (or anyone free) at a place; the shop answers.

    book        the staff row is locked, then the slot re-checked, then the booking inserted: two requests for one
                slot make one booking (on PostgreSQL under concurrency too). "Anyone": the first free qualified
                staff member in id order (locked in that order, so two "anyone" requests cannot deadlock).
    deposit     a service with a deposit places an o2o order for it (checkout_ref `booking:<id>`); the consumer pays
                through the usual payment page. The slot is held meanwhile; unpaid in time the order is cancelled
                (orders' sweep) and so is the booking. Paid: the money waits in escrow.
    answer      instant-confirm services confirm at once (when the deposit is paid); else the shop confirms or
                declines until `answer_by` (TRADELOOP_O2O_BOOKING_REVIEW_HOURS), then `sweep_lapsed` lapses it and
                refunds the deposit.
    cancel      by the consumer: free until `free_cancel_hours` before the start (deposit back); later the fee is
                kept (released to the merchant from escrow), the rest refunded; `cancel_fee_charged` records it.
    complete    after the start the shop marks it completed (deposit released to the merchant; an attached voucher
                redeemed) or a no-show (the deposit kept as the fee).
    remind      `sweep_reminders` e-mails the consumer TRADELOOP_O2O_REMIND_HOURS before the start, once.

Every state change goes through `core.states.transition` (Booking.ALLOWED); money only through orders and ledger.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.accounts.selectors import require
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, IllegalTransition, NotAuthenticated, NotFound, ValidationFailed
from tradeloop.core.idempotency import replay_or_run
from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger
from tradeloop.o2o import booking_selectors as selectors
from tradeloop.o2o.errors import Code
from tradeloop.o2o.models import Booking, Place, Service, StaffMember, Voucher
from tradeloop.orders import services as orders
from tradeloop.orders import signals as order_signals
from tradeloop.orders.models import Order

State = Booking.State
ZERO = Decimal("0")
REF_PREFIX = "booking:"


def review_window() -> timedelta:
    return timedelta(hours=getattr(settings, "TRADELOOP_O2O_BOOKING_REVIEW_HOURS", 12))


def remind_before() -> timedelta:
    return timedelta(hours=getattr(settings, "TRADELOOP_O2O_REMIND_HOURS", 24))


def free_cancel_until(booking: Booking) -> datetime:
    return booking.starts_at - timedelta(hours=booking.service.free_cancel_hours)


def cancel_fee_now(booking: Booking, now: datetime | None = None) -> Decimal:
    """What cancelling now would keep: nothing before the free-cancellation limit, else the fee (at most what was
    paid as deposit; without a paid deposit there is nothing to keep)."""
    now = now or clock.now()
    if now < free_cancel_until(booking) or not _deposit_paid(booking):
        return ZERO
    return min(booking.service.cancel_fee, booking.order.total)


def _deposit_paid(booking: Booking) -> bool:
    return booking.order is not None and booking.order.paid_at is not None


def awaits_payment(booking: Booking) -> bool:
    return (
        booking.state == State.REQUESTED
        and booking.order is not None
        and booking.order.state == Order.State.PENDING_PAYMENT
    )


# --- booking ------------------------------------------------------------------------------------------------------


def _signed_in(actor: User) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("Sign in to book."))


def _aware(starts_at: datetime, place: Place) -> datetime:
    if timezone.is_naive(starts_at):  # a wall-clock time is read in the place's time zone
        return starts_at.replace(tzinfo=selectors.zone_of(place))
    return starts_at.astimezone(selectors.zone_of(place))


def _usable_voucher(actor: User, voucher_id: int, place: Place, starts_at: datetime) -> Voucher:
    voucher = (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("deal")
        .filter(pk=voucher_id, buyer=actor)
        .first()
    )
    if voucher is None:
        raise NotFound(gettext("Voucher not found."), field="voucher_id")
    if voucher.state != Voucher.State.VALID or voucher.valid_until < starts_at:
        raise ValidationFailed(
            gettext("This voucher cannot be used then (used, refunded or expired by the start)."),
            field="voucher_id",
            code=Code.VOUCHER_NOT_USABLE,
        )
    if not voucher.deal.places.filter(pk=place.pk).exists():
        raise ValidationFailed(
            gettext("This voucher is not valid at this place."), field="voucher_id", code=Code.VOUCHER_NOT_USABLE
        )
    if Booking.objects.filter(voucher=voucher).exists():
        raise Conflict(
            gettext("This voucher is attached to another booking."), field="voucher_id", code=Code.VOUCHER_NOT_USABLE
        )
    return voucher


def _locked_free_staff(candidates: list[int], starts_at: datetime, ends_at: datetime) -> StaffMember | None:
    """Lock each candidate's row in id order and take the first whose time is still free (re-read under the lock)."""
    for staff_id in sorted(candidates):
        person = StaffMember.objects.select_for_update().get(pk=staff_id)
        clash = Booking.objects.filter(
            staff_id=staff_id, state__in=Booking.HOLDS_SLOT, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).exists()
        if not clash:
            return person
    return None


def _place_deposit_order(booking: Booking, service: Service, actor: User) -> Order:
    variant = service.product.variants.filter(is_active=True).order_by("position", "id").first()
    if variant is None:
        raise Conflict(gettext("This service cannot be booked right now."), code=Code.SLOT_UNAVAILABLE)
    return orders.place_order(
        actor=actor,
        buyer=actor,
        seller=service.product.seller,
        mode=Order.Mode.O2O,
        currency=booking.currency,
        lines=[
            orders.LineIn(
                variant,
                1,
                service.deposit,
                title=gettext("Deposit: %(service)s") % {"service": service.product.display_title},
            )
        ],
        checkout_ref=f"{REF_PREFIX}{booking.pk}",
        note=f"Booking {booking.pk} deposit",
    )


def _book(
    actor: User,
    *,
    service_id: int,
    place_id: int,
    starts_at: datetime,
    staff_id: int | None,
    voucher_id: int | None,
    note: str,
) -> Booking:
    service = selectors.public_service(service_id)
    place = selectors.place_of(service, place_id)
    if service.product.seller.memberships.filter(user=actor).exists():
        raise ValidationFailed(gettext("You cannot book your own service."), field="service_id")
    starts_at = _aware(starts_at, place)
    staff = selectors.qualified_staff(service, place, staff_id)
    if staff_id is not None and not staff:
        raise NotFound(gettext("This staff member does not perform this service here."), field="staff_id")
    slot = selectors.slot_for(service, place, starts_at, staff)
    if slot is None:
        raise Conflict(
            gettext("This time is not free: pick one of the free slots."), field="starts_at", code=Code.SLOT_TAKEN
        )
    voucher = _usable_voucher(actor, voucher_id, place, starts_at) if voucher_id else None
    ends_at = starts_at + timedelta(minutes=service.duration_minutes)
    person = _locked_free_staff(list(slot.staff_ids), starts_at, ends_at)
    if person is None:
        raise Conflict(gettext("Someone booked this time just now: pick another."), code=Code.SLOT_TAKEN)
    now = clock.now()
    variant = service.product.variants.order_by("position", "id").first()
    booking = Booking.objects.create(
        service=service,
        staff=person,
        place=place,
        consumer=actor,
        starts_at=starts_at,
        ends_at=ends_at,
        price=variant.price if variant else ZERO,
        currency=variant.currency if variant else service.product.currency,
        voucher=voucher,
        note=(note or "").strip()[:500],
        created_at=now,
    )
    states.record(booking, new=booking.state, actor=actor, reason="booked")
    if service.deposit:
        booking.order = _place_deposit_order(booking, service, actor)
        booking.save(update_fields=["order"])
    else:
        _open(booking, actor, now)
    return booking


def _open(booking: Booking, actor: User | None, now: datetime) -> None:
    """Nothing (more) to pay: confirmed at once, or waiting for the shop's answer until answer_by."""
    if booking.service.instant_confirm:
        booking.confirmed_at = now
        states.transition(booking, State.CONFIRMED, actor=actor, reason=gettext("confirmed instantly"))
    else:
        booking.answer_by = now + review_window()
        booking.save(update_fields=["answer_by"])


def book(
    *,
    actor: User,
    service_id: int,
    place_id: int,
    starts_at: datetime,
    staff_id: int | None = None,
    voucher_id: int | None = None,
    note: str = "",
    key: str | None = None,
) -> Booking:
    """Book a slot. With an Idempotency-Key a repeat answers with the same booking."""
    _signed_in(actor)

    @transaction.atomic
    def run() -> tuple[int, dict]:
        booking = _book(
            actor,
            service_id=service_id,
            place_id=place_id,
            starts_at=starts_at,
            staff_id=staff_id,
            voucher_id=voucher_id,
            note=note,
        )
        return 201, {"booking_id": booking.pk}

    request = {"service": service_id, "place": place_id, "starts_at": str(starts_at), "staff": staff_id}
    _status, body = replay_or_run(user=actor, scope="o2o_book", key=key, request_data=request, run=run)
    return Booking.objects.select_related(*selectors.BOOKING_RELATED).get(pk=body["booking_id"])


# --- following the deposit order ------------------------------------------------------------------------------------


def _booking_of(order: Order) -> Booking | None:
    if order.mode != Order.Mode.O2O:  # found by the order itself: paying rewrites checkout_ref to the checkout's
        return None
    return (
        Booking.objects.select_for_update(of=("self",)).select_related("service", "order").filter(order=order).first()
    )


def on_order_changed(sender, *, order: Order, old: str, new: str, actor=None, **kwargs) -> None:
    if order.mode != Order.Mode.O2O or new not in (Order.State.PAID, Order.State.CANCELLED):
        return
    booking = _booking_of(order)
    if booking is None or booking.state != State.REQUESTED:
        return
    if new == Order.State.PAID:
        _open(booking, actor, clock.now())
    elif old == Order.State.PENDING_PAYMENT:  # not paid in time: the slot is free again
        _close(booking, State.CANCELLED, actor=None, reason=gettext("the deposit was not paid in time"))


def register() -> None:
    """Called from O2oConfig.ready()."""
    order_signals.order_changed.connect(on_order_changed, dispatch_uid="o2o.bookings")


# --- the consumer's and the shop's moves -----------------------------------------------------------------------------


def _close(booking: Booking, to: str, *, actor: User | None, reason: str) -> None:
    booking.closed_at = clock.now()
    states.transition(booking, to, actor=actor, reason=reason)
    if booking.voucher_id and to != State.COMPLETED:  # the voucher can be used for another booking
        Booking.objects.filter(pk=booking.pk).update(voucher=None)
        booking.voucher = None


def _refund_deposit(booking: Booking, reason: str) -> None:
    """Give back all of the deposit (paid: refunded from escrow; unpaid: the order is just cancelled)."""
    order = booking.order
    if order is not None and order.state in (Order.State.PENDING_PAYMENT, Order.State.PAID):
        orders.cancel(order=order, actor=None, reason=reason)


def _keep_fee(booking: Booking, fee: Decimal, reason: str) -> None:
    """The fee leaves escrow for the merchant (minus commission), the rest of the deposit goes back."""
    order = booking.order
    if fee >= order.total:
        ledger.settle(order=order)
    else:
        ledger.release_part(order=order, amount=Money(fee, order.currency), ref=f"booking-{booking.pk}-fee")
        orders.refund(order=order, amount=order.total - fee, ref=f"booking-{booking.pk}", reason=reason)
    orders.advance(order=order, to=Order.State.COMPLETED, reason=reason)


def _locked(booking_id: int, **scope) -> Booking:
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("service__product", "order", "place__seller", "voucher")
        .filter(pk=booking_id, **scope)
        .first()
    )
    if booking is None:
        raise NotFound(gettext("Booking not found."), field="booking")
    return booking


def _consumers(actor: User, booking_id: int) -> Booking:
    _signed_in(actor)
    return _locked(booking_id, consumer=actor)


def _shops(actor: User, booking_id: int, capability: str = "orders.fulfil") -> Booking:
    booking = _locked(booking_id)
    try:
        require(actor, booking.place.seller, capability)
    except NotFound as exc:
        raise NotFound(gettext("Booking not found."), field="booking") from exc
    return booking


@transaction.atomic
def cancel(*, actor: User, booking_id: int) -> Booking:
    """The consumer cancels: free before the limit, else the fee is kept from the deposit."""
    booking = _consumers(actor, booking_id)
    if booking.state not in Booking.HOLDS_SLOT:
        raise Conflict(gettext("This booking is closed already."), code="illegal_transition", field="state")
    if booking.starts_at <= clock.now():
        raise Conflict(gettext("This booking has started: it cannot be cancelled."), code="illegal_transition")
    fee = cancel_fee_now(booking)
    reason = gettext("cancelled by the customer")
    booking.cancel_fee_charged = fee
    _close(booking, State.CANCELLED, actor=actor, reason=reason)  # first: the order's signals find it closed
    if fee > 0:
        _keep_fee(booking, fee, reason)
    else:
        _refund_deposit(booking, reason)
    return booking


@transaction.atomic
def confirm(*, actor: User, booking_id: int) -> Booking:
    booking = _shops(actor, booking_id)
    if booking.state == State.REQUESTED and awaits_payment(booking):
        raise Conflict(gettext("The deposit is not paid yet."), code=Code.DEPOSIT_UNPAID)
    booking.confirmed_at = clock.now()
    states.transition(booking, State.CONFIRMED, actor=actor, reason=gettext("confirmed by the shop"))
    return booking


@transaction.atomic
def decline(*, actor: User, booking_id: int, reason: str = "") -> Booking:
    booking = _shops(actor, booking_id)
    why = gettext("declined by the shop") + (f": {reason.strip()}" if reason.strip() else "")
    if booking.state != State.REQUESTED:
        raise IllegalTransition("Booking", booking.state, State.DECLINED)
    _close(booking, State.DECLINED, actor=actor, reason=why)
    _refund_deposit(booking, why)
    return booking


def _started(booking: Booking) -> None:
    if clock.now() < booking.starts_at:
        raise Conflict(gettext("This booking has not started yet."), code=Code.BOOKING_NOT_STARTED)


def _redeem_voucher(booking: Booking, actor: User) -> None:
    from tradeloop.o2o import redemption  # the deals feature's redemption service

    redemption.redeem(actor=actor, place_id=booking.place_id, code=booking.voucher.code)


@transaction.atomic
def complete(*, actor: User, booking_id: int) -> Booking:
    """The service was given: the deposit goes to the merchant, an attached voucher is redeemed."""
    booking = _shops(actor, booking_id)
    if booking.state == State.CONFIRMED:
        _started(booking)
    reason = gettext("completed")
    booking.closed_at = clock.now()
    states.transition(booking, State.COMPLETED, actor=actor, reason=reason)
    if _deposit_paid(booking):
        ledger.settle(order=booking.order)
        orders.advance(order=booking.order, to=Order.State.COMPLETED, actor=actor, reason=reason)
    if booking.voucher_id:
        _redeem_voucher(booking, actor)
    return booking


@transaction.atomic
def no_show(*, actor: User, booking_id: int) -> Booking:
    """The customer did not come: the whole deposit is kept as the fee."""
    booking = _shops(actor, booking_id)
    if booking.state == State.CONFIRMED:
        _started(booking)
    fee = booking.order.total if _deposit_paid(booking) else ZERO
    reason = gettext("the customer did not come")
    booking.cancel_fee_charged = fee
    _close(booking, State.NO_SHOW, actor=actor, reason=reason)
    if fee:
        _keep_fee(booking, fee, reason)
    return booking


# --- timed rules -----------------------------------------------------------------------------------------------------


def sweep_lapsed(now: datetime | None = None) -> int:
    """Requests the shop did not answer by answer_by lapse; their deposit is refunded. Idempotent."""
    now = now or clock.now()
    due = Booking.objects.filter(state=State.REQUESTED, answer_by__lte=now).order_by("answer_by")
    done = 0
    for booking_id in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            booking = _locked(booking_id)
            if booking.state != State.REQUESTED or booking.answer_by is None or booking.answer_by > now:
                continue  # re-checked under the lock
            reason = gettext("the shop did not answer in time")
            _close(booking, State.LAPSED, actor=None, reason=reason)
            _refund_deposit(booking, reason)
            done += 1
    return done


def sweep_reminders(now: datetime | None = None) -> int:
    """Confirmed bookings that start within REMIND_HOURS are reminded once (reminded_at). Idempotent."""
    from tradeloop.o2o import booking_mail

    now = now or clock.now()
    due = Booking.objects.filter(
        state=State.CONFIRMED, reminded_at__isnull=True, starts_at__gt=now, starts_at__lte=now + remind_before()
    )
    done = 0
    for booking_id in list(due.values_list("pk", flat=True)[:500]):
        marked = Booking.objects.filter(pk=booking_id, reminded_at__isnull=True).update(reminded_at=now)
        if marked:  # guarded: a second sweep running at once sends nothing twice
            transaction.on_commit(lambda pk=booking_id: booking_mail.send_reminder.delay(pk))
            done += 1
    return done
