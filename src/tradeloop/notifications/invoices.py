"""Invoice e-mails: issued, reminders (due soon, due today, overdue), paid. Rendered in each recipient's language and
sent once per (kind, ref, to) through the same EmailLog as order e-mails. Connected in NotificationsConfig.ready().

Who gets them: the buying organization's members who see its invoices (finance.view: owner, admin, finance) and the
person who placed the order; overdue reminders and "paid" also go to the seller's finance members.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tradeloop.invoicing.models import Invoice
from tradeloop.notifications.models import EmailLog
from tradeloop.notifications.services import Recipient, _link, _send_once, _site_url

SUBJECTS = {
    "issued": _("Invoice %(number)s from %(seller)s"),
    "due_soon": _("Invoice %(number)s falls due soon"),
    "due_today": _("Invoice %(number)s is due today"),
    "overdue": _("Invoice %(number)s is overdue"),
    "paid": _("Invoice %(number)s is paid"),
}
SELLER_TOO = ("overdue", "paid")


def _people(org, capability: str) -> list[Recipient]:
    return [
        Recipient(m.user.email, m.user.language or settings.LANGUAGE_CODE, m.user.display_name)
        for m in org.memberships.select_related("user", "role").order_by("pk")
        if m.role.grants(capability) and m.user.is_active
    ]


def recipients(invoice: Invoice, kind: str) -> list[tuple[Recipient, str]]:
    """(recipient, side) pairs, each address once: side "buyer" or "seller" picks the link."""
    found: dict[str, tuple[Recipient, str]] = {}
    buyer = invoice.buyer
    people = [*_people(invoice.buyer_org, "finance.view")]
    people.append(Recipient(buyer.email, buyer.language or settings.LANGUAGE_CODE, buyer.display_name))
    for person in people:
        found.setdefault(person.email, (person, "buyer"))
    if kind in SELLER_TOO:
        for person in _people(invoice.seller, "finance.view"):
            found.setdefault(person.email, (person, "seller"))
    return [pair for pair in found.values() if pair[0].email]


def render(invoice: Invoice, kind: str, recipient: Recipient, side: str) -> tuple[str, str, str]:
    with translation.override(recipient.language):
        url = (
            _link("invoicing:console_invoice", invoice.seller_id, invoice.pk)
            if side == "seller"
            else _link("invoicing:detail", invoice.pk)
        )
        context = {
            "invoice": invoice,
            "kind": kind,
            "recipient": recipient,
            "invoice_url": url,
            "site_url": _site_url(),
        }
        subject = str(SUBJECTS[kind] % {"number": invoice.number, "seller": invoice.seller.name})
        text = render_to_string("notifications/email/invoice.txt", context)
        html = render_to_string("notifications/email/invoice.html", context)
    return subject, text, html


def invoice_email(*, invoice: Invoice, kind: str, ref: str) -> int:
    sent = 0
    for recipient, side in recipients(invoice, kind):
        if EmailLog.objects.filter(kind=f"invoice_{kind}", ref=ref, to=recipient.email).exists():
            continue
        subject, text, html = render(invoice, kind, recipient, side)
        sent += _send_once(kind=f"invoice_{kind}", ref=ref, to=recipient.email, subject=subject, text=text, html=html)
    return sent


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_kwargs={"max_retries": 8})
def send_invoice_email(invoice_id: int, kind: str, ref: str) -> int:
    """Idempotent (EmailLog): a retry or a duplicate of this job sends nothing twice."""
    invoice = Invoice.objects.select_related("seller", "buyer_org", "buyer", "order").filter(pk=invoice_id).first()
    return invoice_email(invoice=invoice, kind=kind, ref=ref) if invoice else 0


def queue(invoice: Invoice, kind: str, ref: str) -> None:
    invoice_id = invoice.pk
    transaction.on_commit(lambda: send_invoice_email.delay(invoice_id, kind, ref), robust=True)


def on_issued(sender, *, invoice, **kwargs) -> None:
    queue(invoice, "issued", f"invoice:{invoice.pk}")


def on_paid(sender, *, invoice, **kwargs) -> None:
    if invoice.state == Invoice.State.PAID:
        queue(invoice, "paid", f"invoice:{invoice.pk}")


def on_reminder(sender, *, invoice, key, **kwargs) -> None:
    kind = "overdue" if key.startswith("overdue") else key
    queue(invoice, kind, f"invoice:{invoice.pk}:{key}")


def connect() -> None:
    from tradeloop.invoicing import signals

    signals.invoice_issued.connect(on_issued, dispatch_uid="notifications.invoice_issued")
    signals.invoice_paid.connect(on_paid, dispatch_uid="notifications.invoice_paid")
    signals.invoice_reminder.connect(on_reminder, dispatch_uid="notifications.invoice_reminder")
