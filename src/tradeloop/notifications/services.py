"""Order e-mails: rendered in the recipient's language (plain text + simple HTML), sent once per (kind, ref, to).

The EmailLog row is written before sending: a retried or duplicated job finds it and sends nothing; if sending fails,
the row is removed again so the retry can send. Which backend delivers is a setting (console by default, SMTP by
EMAIL_BACKEND / EMAIL_HOST …).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import User
from tradeloop.core.errors import ValidationFailed
from tradeloop.notifications.models import EmailLog
from tradeloop.orders.models import Order

SUBJECTS = {
    "placed": _("Order %(number)s placed"),
    "paid": _("Payment received for order %(number)s"),
    "confirmed": _("Order %(number)s confirmed on payment terms"),
    "held": _("Order %(number)s is waiting for approval"),
    "shipped": _("Order %(number)s is on its way"),
    "delivered": _("Order %(number)s was delivered"),
    "cancelled": _("Order %(number)s was cancelled"),
    "refunded": _("Refund for order %(number)s"),
    "return_rejected": _("Your return request for order %(number)s"),
    "ship_reminder": _("Ship order %(number)s within 24 hours"),
    "approval_requested": _("Order %(number)s waits for your approval"),
    "approval_decided": _("Decision on your order %(number)s"),
}
KINDS = tuple(SUBJECTS)
SELLER_KINDS = ("ship_reminder",)  # the rest go to the buyer
APPROVER_KINDS = ("approval_requested",)  # to the buying organization's approvers (capability purchasing.approve)


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    name: str


def default_ref(order: Order) -> str:
    return f"order:{order.pk}"


def _site_url() -> str:
    return getattr(settings, "TRADELOOP_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def _link(url_name: str, *args) -> str:
    try:
        return _site_url() + reverse(url_name, args=args)
    except NoReverseMatch:  # the page is not there (yet): the e-mail still says what happened
        return ""


def _buyer(order: Order) -> list[Recipient]:
    buyer: User = order.buyer
    return [Recipient(buyer.email, buyer.language or settings.LANGUAGE_CODE, buyer.display_name)]


def _seller_staff(order: Order) -> list[Recipient]:
    """Everyone in the selling organization who may ship (owner, admin, fulfilment), else its contact address."""
    people = [
        Recipient(m.user.email, m.user.language or settings.LANGUAGE_CODE, m.user.display_name)
        for m in order.seller.memberships.select_related("user", "role").order_by("pk")
        if m.role.grants("orders.fulfil") and m.user.is_active
    ]
    if not people and order.seller.email:
        people = [Recipient(order.seller.email, settings.LANGUAGE_CODE, order.seller.name)]
    return people


def _approvers(order: Order) -> list[Recipient]:
    """Everyone in the buying organization who may approve a held order (owner, admin, approver)."""
    if order.buyer_org_id is None:
        return []
    return [
        Recipient(m.user.email, m.user.language or settings.LANGUAGE_CODE, m.user.display_name)
        for m in order.buyer_org.memberships.select_related("user", "role").order_by("pk")
        if m.role.grants("purchasing.approve") and m.user.is_active and m.user_id != order.buyer_id
    ]


def recipients(order: Order, kind: str) -> list[Recipient]:
    if kind in APPROVER_KINDS:
        return _approvers(order)
    return _seller_staff(order) if kind in SELLER_KINDS else _buyer(order)


def _subject_of(ref: str) -> tuple[str, int | None]:
    prefix, _sep, pk = ref.partition(":")
    return prefix, int(pk) if pk.isdigit() else None


def _context(order: Order, kind: str, ref: str, recipient: Recipient) -> dict:
    """What the templates show: the order and, for a parcel or a return, that one (named by the ref)."""
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "recipient": recipient,
        "kind": kind,
        "site_url": _site_url(),
        "order_url": _link("orders:console_order", order.seller_id, order.pk)
        if kind in SELLER_KINDS
        else _link("orders:detail", order.number),
    }
    if kind in ("approval_requested", "approval_decided"):
        from tradeloop.core.states import history

        context["decision"] = history(order).order_by("-at", "-pk").first()  # its reason carries the comment
        if kind in APPROVER_KINDS:  # approvers decide on the company's approvals page, not on the buyer's order page
            context["order_url"] = _link("b2b:approvals", order.buyer_org_id) if order.buyer_org_id else ""
    prefix, pk = _subject_of(ref)
    if prefix == "shipment" and pk:
        from tradeloop.fulfilment.selectors import order_shipments

        context["shipment"] = next((s for s in order_shipments(order) if s.pk == pk), None)
    if prefix == "return" and pk:
        context["return_request"] = order.returns.prefetch_related("lines__order_line").filter(pk=pk).first()
    return context


def render(order: Order, kind: str, ref: str, recipient: Recipient) -> tuple[str, str, str]:
    """(subject, text, html) in the recipient's language."""
    with translation.override(recipient.language):
        context = _context(order, kind, ref, recipient)
        subject = str(SUBJECTS[kind] % {"number": order.number})
        text = render_to_string(f"notifications/email/{kind}.txt", context)
        html = render_to_string(f"notifications/email/{kind}.html", context)
    return subject, text, html


def _send_once(*, kind: str, ref: str, to: str, subject: str, text: str, html: str) -> bool:
    try:
        with transaction.atomic():
            EmailLog.objects.create(kind=kind, ref=ref, to=to, subject=subject[:200])
    except IntegrityError:
        return False  # already sent (or being sent by a twin job)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        EmailLog.objects.filter(kind=kind, ref=ref, to=to).delete()  # let the retry send it
        raise
    return True


def order_email(*, order: Order, kind: str, ref: str | None = None) -> int:
    """Send the `kind` e-mail about `order` to whom it concerns; once per (kind, ref, recipient).

    `ref` names the cause when one order has several of a kind (`shipment:7`, `return:3`); by default the order.
    Returns how many e-mails went out now."""
    if kind not in KINDS:
        raise ValidationFailed(f"unknown e-mail kind {kind!r}", field="kind")
    ref = ref or default_ref(order)
    sent = 0
    for recipient in recipients(order, kind):
        if not recipient.email or EmailLog.objects.filter(kind=kind, ref=ref, to=recipient.email).exists():
            continue
        subject, text, html = render(order, kind, ref, recipient)
        sent += _send_once(kind=kind, ref=ref, to=recipient.email, subject=subject, text=text, html=html)
    return sent


def queue_order_email(order: Order, kind: str, ref: str | None = None) -> None:
    """Send from a worker once the change that caused it is committed (never for a rolled-back change)."""
    from tradeloop.notifications.tasks import send_order_email

    order_id = order.pk
    transaction.on_commit(lambda: send_order_email.delay(order_id, kind, ref), robust=True)
