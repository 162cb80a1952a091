"""Consumer-request e-mails, in each recipient's language, from a worker after commit: a new request near a business
goes to its staff who may answer (orders.fulfil); a new answer goes to the consumer.

Sent through the notifications app's once-only sending (EmailLog, kind `o2o_request` ref `request:<id>`, kind
`o2o_request_answer` ref `answer:<id>`): a retried or duplicated job sends nothing twice."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Membership
from tradeloop.notifications.services import Recipient, _link, _send_once, _site_url
from tradeloop.o2o import local_request_selectors as selectors
from tradeloop.o2o.models import ConsumerRequest, RequestAnswer

KIND = "o2o_request"
SUBJECT = _("A customer near %(place)s needs: %(title)s")
ANSWER_KIND = "o2o_request_answer"
ANSWER_SUBJECT = _("New offer from %(business)s for: %(title)s")


def _staff(seller_ids: set[int]) -> dict[int, list[Recipient]]:
    """Per business, who may answer (one query)."""
    out: dict[int, list[Recipient]] = {pk: [] for pk in seller_ids}
    members = Membership.objects.filter(organization_id__in=seller_ids, user__is_active=True).select_related(
        "user", "role"
    )
    for m in members.order_by("pk"):
        if m.role.grants("orders.fulfil") and m.user.email:
            out[m.organization_id].append(
                Recipient(m.user.email, m.user.language or settings.LANGUAGE_CODE, m.user.display_name)
            )
    return out


def new_request_emails(request_id: int) -> int:
    """E-mail every business with a place that serves the request (its nearest such place named)."""
    request = ConsumerRequest.objects.select_related("category", "consumer").filter(pk=request_id).first()
    if request is None or request.state != ConsumerRequest.State.OPEN:
        return 0
    nearest: dict[int, object] = {}
    for place in selectors.places_near(request):  # nearest first: the first place per business is its nearest
        nearest.setdefault(place.seller_id, place)
    staff = _staff({pk for pk in nearest if pk})
    sent = 0
    for seller_id, place in nearest.items():
        for recipient in staff.get(seller_id, []):
            if request.consumer_id and recipient.email == request.consumer.email:
                continue
            with translation.override(recipient.language):
                context = {
                    "recipient": recipient,
                    "request": request,
                    "place": place,
                    "km": selectors.km_between(request, place),
                    "site_url": _site_url(),
                    "console_url": _link("o2o:console_requests", seller_id),
                }
                subject = str(SUBJECT % {"place": place.display_name, "title": request.title})
                text = render_to_string("o2o/email/request_posted.txt", context)
                html = render_to_string("o2o/email/request_posted.html", context)
            sent += _send_once(
                kind=KIND, ref=f"request:{request.pk}", to=recipient.email, subject=subject, text=text, html=html
            )
    return sent


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_kwargs={"max_retries": 8})
def send_new_request_emails(request_id: int) -> int:
    return new_request_emails(request_id)


def queue_new_request(request_id: int) -> None:
    send_new_request_emails.delay(request_id)


def new_answer_email(answer_id: int) -> int:
    """Tell the consumer that a business answered their request (its price and time)."""
    answer = RequestAnswer.objects.select_related("request__consumer", "request__category", "seller", "place").filter(
        pk=answer_id
    )
    answer = answer.prefetch_related("negotiation__proposals__lines").first()
    if answer is None or not answer.request.consumer.email:
        return 0
    request, consumer = answer.request, answer.request.consumer
    versions = list(answer.negotiation.proposals.all())
    if not versions:
        return 0
    recipient = Recipient(consumer.email, consumer.language or settings.LANGUAGE_CODE, consumer.display_name)
    with translation.override(recipient.language):
        context = {
            "recipient": recipient,
            "request": request,
            "answer": answer,
            "price": selectors.price_of(versions[0]),
            "proposed_at": selectors.proposed_at_of(versions[0]),
            "site_url": _site_url(),
            "request_url": _link("o2o:request", request.pk),
        }
        subject = str(ANSWER_SUBJECT % {"business": answer.seller.name, "title": request.title})
        text = render_to_string("o2o/email/request_answered.txt", context)
        html = render_to_string("o2o/email/request_answered.html", context)
    return int(
        _send_once(
            kind=ANSWER_KIND, ref=f"answer:{answer.pk}", to=consumer.email, subject=subject, text=text, html=html
        )
    )


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_kwargs={"max_retries": 8})
def send_new_answer_email(answer_id: int) -> int:
    return new_answer_email(answer_id)


def queue_new_answer(answer_id: int) -> None:
    send_new_answer_email.delay(answer_id)
