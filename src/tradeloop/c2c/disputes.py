"""Disputes: before escrow is released, the buyer says what went wrong and the platform decides who gets the money.

    open        the buyer (order shipped, escrow held): reason, text, up to 5 photos; the escrow clock pauses and
                the seller has TRADELOOP_C2C_DISPUTE_ANSWER_DAYS to answer
    message     either side writes (with photos); the seller's first word answers the dispute (→ answered)
    refund      the seller agrees to give all the money back (→ resolved, full refund)
    escalate    the buyer asks the platform to decide (any time); no answer by `answer_by` escalates by itself
    withdraw    the buyer takes it back: the escrow clock runs again with what was left
    resolve     an operator (back office): full refund, partial refund (the rest released), release to the seller,
                or return-then-refund (→ returning: the buyer sends it back with tracking, the seller confirms it
                came back, or TRADELOOP_C2C_RETURN_DAYS after the tracking the money goes back by itself)

Money moves only through c2c.escrow (refund_from_escrow, release). Locks: order → escrow → dispute, always.
Every step is a state event (core.states) with its actor and reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.accounts.selectors import memberships_of
from tradeloop.c2c import escrow as escrows
from tradeloop.c2c.errors import Code
from tradeloop.c2c.models import Dispute, DisputeMessage, DisputePhoto, Escrow
from tradeloop.catalog.services import checked_photo
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger
from tradeloop.orders.models import Order

State = Dispute.State
Outcome = Dispute.Outcome
Side = DisputeMessage.Side

MAX_PHOTOS = 5  # per message (the opening one included)
MAX_TEXT = 4000
ANSWERING = (State.AWAITING_SELLER, State.ANSWERED)  # the two sides still talk; the platform has not stepped in


def answer_days() -> timedelta:
    return timedelta(days=int(getattr(settings, "TRADELOOP_C2C_DISPUTE_ANSWER_DAYS", 3)))


def return_days() -> timedelta:
    return timedelta(days=int(getattr(settings, "TRADELOOP_C2C_RETURN_DAYS", 10)))


def max_photo_bytes() -> int:
    return int(getattr(settings, "TRADELOOP_C2C_DISPUTE_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


# --- where photos live: private, handed out only by the checked view (c2c:dispute_photo) ---------------------------


class _PrivateStorage(FileSystemStorage):
    """`<DATA_DIR>/private/`: outside the public media folder, no URL (the photos show people's homes and parcels)."""

    def __init__(self) -> None:
        super().__init__(directory_permissions_mode=0o700, file_permissions_mode=0o600)

    @cached_property
    def base_location(self) -> Path:
        return Path(settings.DATA_DIR) / "private"

    @cached_property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("dispute photos have no URL; serve them through c2c:dispute_photo")


PHOTOS = _PrivateStorage()


def _checked_photo(index: int, upload: UploadedFile) -> str:
    return checked_photo(
        upload,
        field=f"photos.{index}",
        max_bytes=max_photo_bytes(),
        too_large=Code.PHOTO_TOO_LARGE,
        wrong_type=Code.PHOTO_TYPE,
    )


def _check_photos(photos: list[UploadedFile]) -> list[str]:
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(
            gettext("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS}, field="photos", code=Code.TOO_MANY_PHOTOS
        )
    return [_checked_photo(i, p) for i, p in enumerate(photos)]


def _text(value: str, *, field: str, required: bool = True) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationFailed(gettext("Text may not contain NUL characters."), field=field)
    if required and not value:
        raise ValidationFailed(gettext("Say what happened."), field=field)
    if len(value) > MAX_TEXT:
        raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": MAX_TEXT}, field=field)
    return value


def _write(
    dispute: Dispute, *, side: str, author: User | None, text: str, photos: list[UploadedFile], now
) -> DisputeMessage:
    extensions = _check_photos(photos)
    message = DisputeMessage.objects.create(dispute=dispute, author=author, side=side, text=text, created_at=now)
    for upload, ext in zip(photos, extensions, strict=True):
        name = PHOTOS.save(f"disputes/{dispute.pk}/{uuid.uuid4().hex}.{ext}", upload)
        DisputePhoto.objects.create(message=message, image=name)
    return message


# --- finding a dispute, locked in the one order: order → escrow → dispute ----------------------------------------


@dataclass
class Locked:
    order: Order
    escrow: Escrow
    dispute: Dispute
    side: str  # the actor's side: buyer or seller (platform for operators)


def seller_org_ids(actor: User, capability: str = "orders.view") -> list[int]:
    return [m.organization_id for m in memberships_of(actor) if m.organization.sells and m.role.grants(capability)]


def _side_of(actor: User, order: Order, *, seller_capability: str = "orders.fulfil") -> str | None:
    if order.buyer_id == actor.pk:
        return Side.BUYER
    if order.seller_id in seller_org_ids(actor, "orders.view"):
        if order.seller_id not in seller_org_ids(actor, seller_capability):
            raise PermissionDenied(gettext("Your role does not allow answering disputes."))
        return Side.SELLER
    return None


def _lock(actor: User | None, dispute_id: int, *, operator: bool = False) -> Locked:
    if not operator and not getattr(actor, "is_authenticated", False):
        raise NotFound(gettext("Dispute not found."))
    order_id = Dispute.objects.filter(pk=dispute_id).values_list("escrow__order_id", flat=True).first()
    if order_id is None:
        raise NotFound(gettext("Dispute not found."))
    order = Order.objects.select_for_update().get(pk=order_id)
    side = Side.PLATFORM if operator else _side_of(actor, order)
    if side is None:
        raise NotFound(gettext("Dispute not found."))
    escrow = Escrow.objects.select_for_update().get(order=order)
    dispute = Dispute.objects.select_for_update().get(pk=dispute_id)
    return Locked(order, escrow, dispute, side)


def _require(locked: Locked, side: str, *states_allowed: str) -> None:
    if locked.side != side:
        who = {Side.BUYER: gettext("the buyer"), Side.SELLER: gettext("the seller")}[side]
        raise PermissionDenied(gettext("Only %(who)s can do this.") % {"who": who})
    if states_allowed and locked.dispute.state not in states_allowed:
        raise Conflict(gettext("This dispute cannot do that now."), code=Code.DISPUTE_CLOSED, field="state")


def _open_or_conflict(dispute: Dispute) -> None:
    if dispute.state not in Dispute.OPEN:
        raise Conflict(gettext("This dispute is closed."), code=Code.DISPUTE_CLOSED, field="state")


# --- the buyer and the seller -------------------------------------------------------------------------------------


@transaction.atomic
def open_dispute(
    *,
    actor: User,
    order_id: int,
    reason: str,
    description: str,
    photos: list[UploadedFile] | None = None,
    now: datetime | None = None,
) -> Dispute:
    """The buyer of a shipped escrow order says what went wrong: the receipt clock stops, the seller answers."""
    now = now or clock.now()
    if reason not in Dispute.Reason.values:
        raise ValidationFailed(gettext("Choose a reason."), field="reason")
    description = _text(description, field="description")
    order = Order.objects.select_for_update().filter(pk=order_id, buyer=actor, held_in_escrow=True).first()
    if order is None:
        raise NotFound(gettext("Order not found."))
    escrow = Escrow.objects.select_for_update().filter(order=order).first()
    if escrow is None:
        raise Conflict(gettext("This order's money is not held in escrow (it is not paid)."), code=Code.NOT_ESCROWED)
    if escrow.state == Escrow.State.DISPUTED:
        raise Conflict(gettext("A dispute is open on this order already."), code=Code.DISPUTE_OPEN)
    if escrow.state != Escrow.State.HELD:
        raise Conflict(gettext("This order's escrow is closed already."), code=Code.ESCROW_CLOSED)
    if order.state not in (Order.State.SHIPPED, Order.State.DELIVERED):
        raise Conflict(
            gettext("The seller has not shipped yet: if it does not ship in time, you are refunded automatically."),
            code=Code.NOT_SHIPPED,
        )
    dispute = Dispute.objects.create(
        escrow=escrow,
        opened_by=actor,
        reason=reason,
        description=description,
        answer_by=now + answer_days(),
        opened_at=now,
    )
    _write(dispute, side=Side.BUYER, author=actor, text=description, photos=list(photos or []), now=now)
    states.record(dispute, new=dispute.state, actor=actor, reason=f"opened: {dispute.get_reason_display()}")
    escrows.pause(escrow, actor=actor, reason=gettext("dispute opened"), now=now)
    return dispute


@transaction.atomic
def add_message(*, actor: User, dispute_id: int, text: str, photos: list[UploadedFile] | None = None) -> DisputeMessage:
    """Either side writes on an open dispute; the seller's first message answers it."""
    locked = _lock(actor, dispute_id)
    _open_or_conflict(locked.dispute)
    text = _text(text, field="text")
    now = clock.now()
    message = _write(locked.dispute, side=locked.side, author=actor, text=text, photos=list(photos or []), now=now)
    if locked.side == Side.SELLER and locked.dispute.state == State.AWAITING_SELLER:
        states.transition(locked.dispute, State.ANSWERED, actor=actor, reason="the seller answered")
    return message


def _resolve(locked: Locked, outcome: str, *, actor: User | None, reason: str, amount: Decimal | None = None) -> None:
    """The money moves (through escrow) and the dispute closes with its outcome. Under the locks."""
    order, escrow, dispute = locked.order, locked.escrow, locked.dispute
    held = ledger.order_money(order).in_escrow
    ref = f"dispute:{dispute.pk}"
    if outcome == Outcome.RELEASE:
        escrows.release(escrow, order, actor=actor, reason=reason)
        refunded = Decimal(0)
    else:
        refunded = held if amount is None else amount
        escrows.refund_from_escrow(escrow, order, amount=amount, actor=actor, reason=reason, ref=ref)
    dispute.outcome = outcome
    dispute.refund_amount = refunded
    dispute.resolved_by = actor if getattr(actor, "pk", None) else None
    dispute.resolved_at = clock.now()
    states.transition(dispute, State.RESOLVED, actor=actor, reason=f"{outcome}: {reason}"[:300])


@transaction.atomic
def seller_refunds(*, actor: User, dispute_id: int) -> Dispute:
    """The seller agrees: all the money goes back to the buyer."""
    locked = _lock(actor, dispute_id)
    _require(locked, Side.SELLER, *ANSWERING, State.ESCALATED)
    _resolve(locked, Outcome.FULL_REFUND, actor=actor, reason=gettext("the seller agreed to refund in full"))
    return locked.dispute


@transaction.atomic
def escalate(*, actor: User, dispute_id: int) -> Dispute:
    """The buyer asks the platform to decide."""
    locked = _lock(actor, dispute_id)
    _require(locked, Side.BUYER, *ANSWERING)
    states.transition(locked.dispute, State.ESCALATED, actor=actor, reason="the buyer asked the platform to decide")
    return locked.dispute


@transaction.atomic
def withdraw(*, actor: User, dispute_id: int) -> Dispute:
    """The buyer takes the dispute back: the receipt clock runs again with the time that was left."""
    locked = _lock(actor, dispute_id)
    _require(locked, Side.BUYER, *ANSWERING, State.ESCALATED)
    states.transition(locked.dispute, State.WITHDRAWN, actor=actor, reason="withdrawn by the buyer")
    escrows.resume(locked.escrow, actor=actor, reason=gettext("dispute withdrawn"), now=clock.now())
    return locked.dispute


_CARRIER_MAX = 60


@transaction.atomic
def submit_return(*, actor: User, dispute_id: int, carrier: str, tracking_number: str) -> Dispute:
    """Return-then-refund: the buyer sent the item back; the seller has TRADELOOP_C2C_RETURN_DAYS to confirm."""
    locked = _lock(actor, dispute_id)
    _require(locked, Side.BUYER, State.RETURNING)
    carrier = _text(carrier, field="carrier")
    tracking = _text(tracking_number, field="tracking_number")
    if len(carrier) > _CARRIER_MAX:
        raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": _CARRIER_MAX}, field="carrier")
    if len(tracking) > _CARRIER_MAX:
        raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": _CARRIER_MAX}, field="tracking_number")
    dispute = locked.dispute
    if dispute.return_tracking:
        raise Conflict(gettext("You have sent the return's tracking already."), code=Code.DISPUTE_CLOSED)
    now = clock.now()
    dispute.return_carrier, dispute.return_tracking, dispute.return_due = carrier, tracking, now + return_days()
    dispute.save(update_fields=["return_carrier", "return_tracking", "return_due"])
    states.record(
        dispute, old=dispute.state, new=dispute.state, actor=actor, reason=f"returned by {carrier} {tracking}"
    )
    return dispute


@transaction.atomic
def return_received(*, actor: User, dispute_id: int) -> Dispute:
    """The seller has the item back: the buyer is refunded in full."""
    locked = _lock(actor, dispute_id)
    _require(locked, Side.SELLER, State.RETURNING)
    if not locked.dispute.return_tracking:
        raise Conflict(gettext("The buyer has not sent the item back yet."), code=Code.NOT_SHIPPED)
    _resolve(locked, Outcome.RETURN_THEN_REFUND, actor=actor, reason=gettext("the seller received the item back"))
    return locked.dispute


# --- the operator -------------------------------------------------------------------------------------------------


def _amount(value, order: Order) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValidationFailed(gettext("Enter an amount."), field="amount") from exc
    if not amount.is_finite():
        raise ValidationFailed(gettext("Enter an amount."), field="amount")
    return Money(amount, order.currency).amount


@transaction.atomic
def resolve(
    *, actor: User, dispute_id: int, outcome: str, amount: Decimal | str | None = None, note: str = ""
) -> Dispute:
    """An operator decides. Full or partial refund and release move the money now; return-then-refund waits for
    the item to come back. The note is posted to the thread as the platform's."""
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied(gettext("Only the platform's operators resolve disputes."))
    if outcome not in Outcome.values:
        raise ValidationFailed(gettext("Choose an outcome."), field="outcome")
    note = _text(note, field="note", required=False)
    locked = _lock(actor, dispute_id, operator=True)
    _open_or_conflict(locked.dispute)
    if locked.dispute.state == State.RETURNING:
        raise Conflict(gettext("The item is being returned: the refund follows its return."), code=Code.DISPUTE_CLOSED)
    reason = note or str(Outcome(outcome).label)
    if note:
        DisputeMessage.objects.create(dispute=locked.dispute, author=actor, side=Side.PLATFORM, text=note)
    if outcome == Outcome.PARTIAL_REFUND:
        if amount in (None, ""):
            raise ValidationFailed(gettext("Enter the amount to refund."), field="amount")
        value = _amount(amount, locked.order)
        held = ledger.order_money(locked.order).in_escrow
        if value <= 0 or value >= held:
            raise ValidationFailed(
                gettext("A partial refund is more than 0 and less than %(held)s.")
                % {"held": Money(held, locked.order.currency).format()},
                field="amount",
            )
        _resolve(locked, outcome, actor=actor, reason=reason, amount=value)
    elif outcome == Outcome.RETURN_THEN_REFUND:
        if locked.dispute.state != State.ESCALATED:
            states.transition(locked.dispute, State.ESCALATED, actor=actor, reason="taken up by the platform")
        locked.dispute.outcome = outcome
        states.transition(locked.dispute, State.RETURNING, actor=actor, reason=reason)
    else:
        _resolve(locked, outcome, actor=actor, reason=reason)
    return locked.dispute


# --- the timed rule ----------------------------------------------------------------------------------------------


def sweep_dispute_deadlines(now: datetime | None = None) -> int:
    """Unanswered by `answer_by` → escalated; returned but not confirmed by `return_due` → refunded. Idempotent."""
    now = now or clock.now()
    done = 0
    unanswered = Dispute.objects.filter(state=State.AWAITING_SELLER, answer_by__lte=now)
    for dispute_id in list(unanswered.order_by("answer_by").values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            locked = _lock(None, dispute_id, operator=True)
            if locked.dispute.state == State.AWAITING_SELLER and locked.dispute.answer_by <= now:
                states.transition(
                    locked.dispute, State.ESCALATED, reason="the seller did not answer in time: with the platform"
                )
                done += 1
    returned = Dispute.objects.filter(state=State.RETURNING, return_due__lte=now)
    for dispute_id in list(returned.order_by("return_due").values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            locked = _lock(None, dispute_id, operator=True)
            d = locked.dispute
            if d.state == State.RETURNING and d.return_due is not None and d.return_due <= now:
                _resolve(
                    locked,
                    Outcome.RETURN_THEN_REFUND,
                    actor=None,
                    reason=gettext("the seller did not confirm the return in time: refunded"),
                )
                done += 1
    return done
