"""Booking reminders: one e-mail per booking, in the consumer's language, from a worker after commit.

Sent through the notifications app's once-only sending (EmailLog, kind `o2o_booking_reminder`, ref
`booking:<id>`): a retried or duplicated job sends nothing twice."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tradeloop.notifications.services import Recipient, _link, _send_once, _site_url
from tradeloop.o2o.models import Booking

KIND = "o2o_booking_reminder"
SUBJECT = _("Reminder: %(service)s at %(place)s")


def reminder_email(booking_id: int) -> int:
    booking = (
        Booking.objects.select_related("service__product", "place", "staff", "consumer").filter(pk=booking_id).first()
    )
    if booking is None or not booking.consumer.email or not booking.consumer.is_active:
        return 0
    user = booking.consumer
    recipient = Recipient(user.email, user.language or settings.LANGUAGE_CODE, user.display_name)
    with translation.override(recipient.language):
        context = {
            "recipient": recipient,
            "booking": booking,
            "site_url": _site_url(),
            "booking_url": _link("o2o:booking", booking.pk),
        }
        subject = str(
            SUBJECT % {"service": booking.service.product.display_title, "place": booking.place.localized("name")}
        )
        text = render_to_string("o2o/email/booking_reminder.txt", context)
        html = render_to_string("o2o/email/booking_reminder.html", context)
    return int(_send_once(kind=KIND, ref=f"booking:{booking.pk}", to=user.email, subject=subject, text=text, html=html))


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_kwargs={"max_retries": 8})
def send_reminder(booking_id: int) -> int:
    return reminder_email(booking_id)
