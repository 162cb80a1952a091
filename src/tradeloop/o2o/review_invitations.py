"""Invitations to review a visit: the consumer is e-mailed, in their language, a link to review it (reviews:write)
once a voucher's redemption can no longer be undone (so a mistaken redemption sends nothing) and once a booking is
completed.

`sweep_invitations(now)` (celery beat, every 5 minutes) finds the records of the last INVITE_WITHIN that may be
reviewed, are not reviewed yet and were not invited yet, and queues one e-mail each after commit. Each e-mail is
sent once through the notifications app's EmailLog (kind `o2o_review_invitation`, ref `voucher:<id>` /
`booking:<id>`), which is also how the sweep knows whom it has invited: running it twice, or two at once, sends
nothing twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tradeloop.core import clock
from tradeloop.notifications.models import EmailLog
from tradeloop.notifications.services import Recipient, _link, _send_once, _site_url
from tradeloop.o2o import review_records
from tradeloop.o2o.models import Booking, Place, Voucher
from tradeloop.o2o.redemption import undo_window
from tradeloop.reviews import records
from tradeloop.reviews.models import Review

KIND = "o2o_review_invitation"
SUBJECT = _("How was %(place)s? Review your visit")
INVITE_WITHIN = timedelta(days=2)  # a visit older than this when the sweep first sees it is not invited any more
BATCH = 500


def ref_of(record_kind: str, record_id: int) -> str:
    return f"{record_kind}:{record_id}"


def _not_invited_nor_reviewed(qs: QuerySet, record_kind: str, author: str) -> QuerySet:
    ref = Concat(Value(f"{record_kind}:"), Cast(OuterRef("pk"), output_field=CharField()))
    return (
        qs.filter(**{f"{author}__is_active": True})
        .exclude(**{f"{author}__email": ""})
        .exclude(Exists(EmailLog.objects.filter(kind=KIND, ref=ref)))
        .exclude(Exists(Review.objects.filter(record_kind=record_kind, record_id=OuterRef("pk"))))
    )


def due_vouchers(now: datetime) -> QuerySet[Voucher]:
    """Reviewable vouchers whose redemption is past its undo window (and recent), not invited nor reviewed yet."""
    settled = now - undo_window()
    recent = review_records.reviewable_vouchers().filter(
        redeemed_at__lte=settled, redeemed_at__gt=settled - INVITE_WITHIN
    )
    return _not_invited_nor_reviewed(recent, "voucher", "buyer")


def due_bookings(now: datetime) -> QuerySet[Booking]:
    """Bookings completed recently, not invited nor reviewed yet."""
    recent = review_records.reviewable_bookings().filter(closed_at__lte=now, closed_at__gt=now - INVITE_WITHIN)
    return _not_invited_nor_reviewed(recent, "booking", "consumer")


def sweep_invitations(now: datetime | None = None) -> int:
    """Queue the invitations due now; returns how many were queued. Idempotent (see the module docstring)."""
    now = now or clock.now()
    due = [("voucher", pk) for pk in due_vouchers(now).order_by("redeemed_at").values_list("pk", flat=True)[:BATCH]]
    due += [("booking", pk) for pk in due_bookings(now).order_by("closed_at").values_list("pk", flat=True)[:BATCH]]
    from tradeloop.o2o.tasks import send_review_invitation  # a task module every worker loads

    for record_kind, record_id in due:
        transaction.on_commit(lambda k=record_kind, pk=record_id: send_review_invitation.delay(k, pk))
    return len(due)


def _visit(record_kind: str, record_id: int) -> tuple[object, Place] | None:
    """The consumer and the place of a voucher or booking."""
    if record_kind == "voucher":
        voucher = Voucher.objects.select_related("buyer", "redeemed_place").filter(pk=record_id).first()
        return (voucher.buyer, voucher.redeemed_place) if voucher and voucher.redeemed_place else None
    booking = Booking.objects.select_related("consumer", "place").filter(pk=record_id).first()
    return (booking.consumer, booking.place) if booking else None


def invitation_email(record_kind: str, record_id: int) -> int:
    """E-mail the invitation to review the record, if it may still be reviewed and is not; 1 when sent now."""
    found = _visit(record_kind, record_id)
    if found is None:
        return 0
    user, place = found
    if not user.email or not user.is_active:
        return 0
    if Review.objects.filter(record_kind=record_kind, record_id=record_id).exists():
        return 0
    recipient = Recipient(user.email, user.language or settings.LANGUAGE_CODE, user.display_name)
    with translation.override(recipient.language):
        record = records.resolve(record_kind, record_id, user)  # its label in the recipient's language
        if record is None:  # undone, or not the consumer's to review any more
            return 0
        context = {
            "recipient": recipient,
            "record": record,
            "place": place,
            "site_url": _site_url(),
            "write_url": _link("reviews:write", record_kind, record_id),
        }
        subject = str(SUBJECT % {"place": place.localized("name")})
        text = render_to_string("o2o/email/review_invitation.txt", context)
        html = render_to_string("o2o/email/review_invitation.html", context)
    sent = _send_once(
        kind=KIND, ref=ref_of(record_kind, record_id), to=user.email, subject=subject, text=text, html=html
    )
    return int(sent)
