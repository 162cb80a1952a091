"""Watching e-mails: one per alert (price drop, new match), in the buyer's language, from a worker after commit.

Sent through the notifications app's once-only sending (EmailLog, kind `c2c_alert`, ref `alert:<id>`): a retried or
duplicated job sends nothing twice."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tradeloop.c2c.models import Alert
from tradeloop.notifications.services import Recipient, _link, _send_once, _site_url

KIND = "c2c_alert"
SUBJECTS = {
    Alert.Kind.PRICE_DROP: _("Price drop: %(title)s"),
    Alert.Kind.NEW_MATCH: _("New listing for your saved search: %(title)s"),
}


def alert_emails(alert_ids: list[int]) -> int:
    sent = 0
    alerts = Alert.objects.filter(pk__in=alert_ids).select_related("user", "product", "saved_search")
    for alert in alerts:
        user = alert.user
        if not user.email or not user.is_active:
            continue
        recipient = Recipient(user.email, user.language or settings.LANGUAGE_CODE, user.display_name)
        with translation.override(recipient.language):
            product = alert.product
            context = {
                "recipient": recipient,
                "alert": alert,
                "product": product,
                "site_url": _site_url(),
                "listing_url": _link("storefront:product", product.pk, product.slug),
                "watching_url": _link("c2c:watching"),
            }
            subject = str(SUBJECTS[alert.kind] % {"title": product.display_title})
            text = render_to_string("c2c/email/watch_alert.txt", context)
            html = render_to_string("c2c/email/watch_alert.html", context)
        sent += _send_once(kind=KIND, ref=f"alert:{alert.pk}", to=user.email, subject=subject, text=text, html=html)
    return sent


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_kwargs={"max_retries": 8})
def send_alert_emails(alert_ids: list[int]) -> int:
    return alert_emails(alert_ids)
