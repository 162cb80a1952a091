"""Negotiation e-mails: the reminder a day before a proposal expires, to the side whose answer it waits for.

The engine sends `negotiation.signals.expiring_soon` once per version (`sweep_expiry_reminders`); this sends one
e-mail per (version, recipient), in the recipient's language, from a worker once the sweep's change is committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tradeloop.negotiation.models import Negotiation, Side
from tradeloop.notifications.models import EmailLog
from tradeloop.notifications.services import Recipient, _link, _site_url

KIND = "proposal_expiring"
SUBJECT = _("Your answer is awaited: the offer expires %(when)s")
Page = tuple[str, Callable[[Negotiation], tuple]]  # a URL name and its arguments, reversed by name


@dataclass(frozen=True)
class AnswerPages:
    """Where each side answers a negotiation of one kind; a mode registers its pages (notifications imports none)."""

    buyer: Page
    seller: Page


PAGES: dict[str, AnswerPages] = {}


def register_answer_pages(kind: str, pages: AnswerPages) -> None:
    PAGES[kind] = pages


def _recipients(negotiation: Negotiation, side: str) -> list[Recipient]:
    if side == Side.BUYER:
        buyer = negotiation.buyer
        return [Recipient(buyer.email, buyer.language or settings.LANGUAGE_CODE, buyer.display_name)]
    return [
        Recipient(m.user.email, m.user.language or settings.LANGUAGE_CODE, m.user.display_name)
        for m in negotiation.seller.memberships.select_related("user", "role").order_by("pk")
        if m.role.grants("orders.fulfil") and m.user.is_active
    ]


def proposal_expiring_email(negotiation_id: int, version: int) -> int:
    """Send the reminder about `version` to the side that did not write it; once per recipient."""
    negotiation = Negotiation.objects.select_related("buyer", "seller").filter(pk=negotiation_id).first()
    proposal = negotiation and negotiation.proposals.filter(number=version).first()
    if proposal is None or negotiation.state != Negotiation.State.OPEN:
        return 0
    pages = PAGES.get(negotiation.kind)
    if pages is None:
        return 0
    side = Side.SELLER if proposal.author_side == Side.BUYER else Side.BUYER
    url_name, args = pages.buyer if side == Side.BUYER else pages.seller
    ref = f"negotiation:{negotiation.pk}:v{version}"
    sent = 0
    for recipient in _recipients(negotiation, side):
        with translation.override(recipient.language):
            context = {
                "recipient": recipient,
                "negotiation": negotiation,
                "proposal": proposal,
                "site_url": _site_url(),
                "answer_url": _link(url_name, *args(negotiation)),
            }
            subject = str(SUBJECT % {"when": proposal.valid_until.strftime("%Y-%m-%d %H:%M")})
            text = render_to_string(f"notifications/email/{KIND}.txt", context)
        try:
            with transaction.atomic():
                EmailLog.objects.create(kind=KIND, ref=ref, to=recipient.email, subject=subject[:200])
        except IntegrityError:
            continue
        try:
            EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email]).send()
        except Exception:
            EmailLog.objects.filter(kind=KIND, ref=ref, to=recipient.email).delete()  # let the retry send it
            raise
        sent += 1
    return sent


@shared_task(retry_backoff=30, retry_kwargs={"max_retries": 8})
def send_proposal_expiring(negotiation_id: int, version: int) -> int:
    return proposal_expiring_email(negotiation_id, version)


def on_expiring_soon(sender, *, negotiation, version, **kwargs) -> None:
    negotiation_id, number = negotiation.pk, version.number
    transaction.on_commit(lambda: send_proposal_expiring.delay(negotiation_id, number), robust=True)


def connect() -> None:
    from tradeloop.negotiation import signals

    signals.expiring_soon.connect(on_expiring_soon, dispatch_uid="notifications.proposal_expiring")
