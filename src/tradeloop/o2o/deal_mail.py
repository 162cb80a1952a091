"""The e-mail a buyer gets when a deal tips: their vouchers are ready to use. Sent once per buyer and deal
(notifications' EmailLog, kind `o2o_tipped`, ref `deal:<id>:buyer:<id>`), from a worker after commit."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.notifications.services import _link, _send_once
from tradeloop.o2o.models import Deal

KIND = "o2o_tipped"


def tipped_emails(deal_id: int) -> int:
    deal = Deal.objects.select_related("product").filter(pk=deal_id).first()
    if deal is None:
        return 0
    sent = 0
    buyers = User.objects.filter(vouchers__deal=deal, vouchers__state="valid", is_active=True).distinct()
    for buyer in buyers:
        if not buyer.email:
            continue
        with translation.override(buyer.language or settings.LANGUAGE_CODE):
            title = deal.product.display_title
            subject = gettext("It's on: %(title)s") % {"title": title}
            text = gettext("Enough people bought “%(title)s”: your vouchers are ready to use.") % {"title": title}
            url = _link("o2o:vouchers")
            body = f"{text}\n\n{url}\n"
            html = f"<p>{escape(text)}</p>" + (f'<p><a href="{escape(url)}">{escape(url)}</a></p>' if url else "")
        sent += _send_once(
            kind=KIND, ref=f"deal:{deal.pk}:buyer:{buyer.pk}", to=buyer.email, subject=subject, text=body, html=html
        )
    return sent


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_kwargs={"max_retries": 8})
def send_tipped(deal_id: int) -> int:
    return tipped_emails(deal_id)
