"""Order e-mails: rendered in the recipient's language (plain text + simple HTML), sent once per (kind, ref, to).

The EmailLog row is written before sending: a retried or duplicated job finds it and sends nothing; if sending fails,
the row is removed again so the retry can send. Which backend delivers is a setting (console by default, SMTP by
EMAIL_BACKEND / EMAIL_HOST …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import User
from tradeloop.core import clock
from tradeloop.core.errors import NotFound, ValidationFailed
from tradeloop.core.transactions import insert_unless_exists
from tradeloop.notifications.models import EmailLog, Notification
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


def _send_once(
    *, kind: str, ref: str, to: str, subject: str, text: str, html: str, link: str | None = None, twin: bool = True
) -> bool:
    """Every e-mail goes out here, once per (kind, ref, to); a site member also finds it in-site (its twin notice,
    linked to `link` or else the first link into the site in the text)."""
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
    if twin:
        _in_site_twin(kind=kind, ref=ref, to=to, subject=subject, text=text, link=link)
    return True


_SITE_LINK = re.compile(r"https?://\S+")


def _site_path(url: str) -> str:
    """A link into this site as a path ("/orders/T-1/"); "" for anything else."""
    base = _site_url()
    if url.startswith(base + "/"):
        return url[len(base) :][:300]
    return url[:300] if url.startswith("/") and not url.startswith("//") else ""


def _in_site_twin(*, kind: str, ref: str, to: str, subject: str, text: str, link: str | None) -> None:
    user = User.objects.filter(email__iexact=to, is_active=True).order_by("pk").first()
    if user is None:
        return
    if link is None:
        link = next((p for p in map(_site_path, _SITE_LINK.findall(text)) if p), "")
    _create_notice(recipient=user, kind=kind, ref=ref, title=subject, body="", link=_site_path(link) or "")


# --- in-site notifications ------------------------------------------------------------------------------------------


UNREAD_TTL = 3600  # seconds: notify() and marking read keep the cached count in step meanwhile


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def _bump_unread(user_id: int, delta: int | None) -> None:
    """Keep the header's cached unread count in step without a query: add `delta` (None: it is 0 now) once the change
    commits. A count not cached is left alone (the next page counts)."""
    key = unread_cache_key(user_id)

    def apply() -> None:
        if delta is None:
            cache.set(key, 0, UNREAD_TTL)
            return
        try:
            if cache.incr(key, delta) < 0:
                cache.delete(key)
        except ValueError:  # not cached
            pass

    transaction.on_commit(apply, robust=True)


def forget_unread(user_id: int) -> None:
    cache.delete(unread_cache_key(user_id))


def _create_notice(*, recipient: User, kind: str, ref: str, title: str, body: str, link: str) -> Notification | None:
    notice = Notification(
        recipient=recipient,
        kind=kind[:40],
        ref=ref[:80],
        title=title[:200],
        body=body[:1000],
        link=link[:300],
        created_at=clock.now(),
    )
    if not insert_unless_exists(notice):
        return None  # sent already (a retried job): nothing twice
    _bump_unread(recipient.pk, +1)
    return notice


def _text(value, params: dict | None) -> str:
    text = str(value) if value else ""
    if params:
        text = text % {k: str(v) for k, v in params.items()}
    return text


def notify(
    *,
    recipient: User,
    kind: str,
    ref: str,
    title,
    body="",
    params: dict | None = None,
    link: str = "",
    email: bool = False,
) -> Notification | None:
    """Tell `recipient` something in-site (and by e-mail when `email`), once per (kind, ref, recipient).

    `title` and `body` are (lazy) message ids with `%(name)s` placeholders filled from `params`; they are rendered
    in the recipient's language now, as e-mails are. `link` is a path on this site (or a full URL to it). Returns the
    new notice, or None when this (kind, ref) was sent to them before."""
    if not kind or not ref:
        raise ValidationFailed("a notification needs a kind and a ref", field="kind")
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        title_text, body_text = _text(title, params), _text(body, params)
        notice = _create_notice(
            recipient=recipient, kind=kind, ref=ref, title=title_text, body=body_text, link=_site_path(link) or ""
        )
        if notice is not None and email and recipient.email:  # a repeat sends nothing (the send is once too)
            context = {
                "title": title_text,
                "body": body_text,
                "link": (_site_url() + link) if link.startswith("/") else link,
                "recipient": Recipient(recipient.email, recipient.language, recipient.display_name),
                "site_url": _site_url(),
            }
            text = render_to_string("notifications/email/notice.txt", context)
            html = render_to_string("notifications/email/notice.html", context)
            from tradeloop.notifications.tasks import send_notice_email

            mail = {"kind": kind, "ref": ref, "to": recipient.email, "subject": title_text, "text": text, "html": html}
            transaction.on_commit(lambda: send_notice_email.delay(**mail), robust=True)
    return notice


def notify_many(*, recipients, **kwargs) -> int:
    """notify() each distinct person once; returns how many new notices."""
    seen: set[int] = set()
    made = 0
    for person in recipients:
        if person is None or person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        made += notify(recipient=person, **kwargs) is not None
    return made


def mark_read(*, actor: User, notification_id: int) -> Notification:
    notice = Notification.objects.filter(pk=notification_id, recipient=actor).first()
    if notice is None:
        raise NotFound(gettext("No such notification."), field="id")
    if notice.read_at is None:
        now = clock.now()
        Notification.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now)
        notice.read_at = now
        _bump_unread(actor.pk, -1)
    return notice


def mark_all_read(*, actor: User) -> int:
    done = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=clock.now())
    _bump_unread(actor.pk, None)
    return done


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
