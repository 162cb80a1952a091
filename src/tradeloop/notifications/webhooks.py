"""Webhooks: an organization's endpoints hear about its events as signed JSON POSTs, retried with backoff.

One event → one delivery per subscribed active endpoint, written in the transaction that caused the event (so a
rolled-back change sends nothing) and queued for the worker on commit. A delivery is tried at once; a failure (no
2xx answer within TIMEOUT seconds) is tried again after BACKOFF[n] seconds, until MAX_ATTEMPTS; every attempt is
logged (status, excerpt, duration, error). `sweep_webhook_retries(now)` sends the due ones (idempotent: a claimed
delivery is not sent twice at once). Signature: `X-Tradeloop-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret,
"<t>.<body>")>` — see docs (verify_signature below is the receiving side).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.selectors import require
from tradeloop.core import clock
from tradeloop.core.errors import NotFound, ValidationFailed
from tradeloop.notifications.errors import Code
from tradeloop.notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

TIMEOUT = 5.0  # seconds per attempt
BACKOFF = (60, 300, 1800, 7200, 43200)  # seconds after attempt 1, 2, …: 1 min, 5 min, 30 min, 2 h, 12 h
LEASE = timedelta(seconds=55)  # a claimed delivery is not claimed again meanwhile (a worker died: the sweep retries)
CAPABILITY = "org.manage"
TEST_EVENT = "webhook.test"

EVENTS: dict[str, object] = {
    "order.placed": _("An order was placed"),
    "order.paid": _("An order was paid"),
    "order.shipped": _("A parcel of an order was shipped"),
    "order.completed": _("An order was completed"),
    "order.refunded": _("Money of an order was refunded"),
    "quote.received": _("A quote was sent to a buyer"),
    "quote.accepted": _("A quote was accepted"),
    "offer.countered": _("An offer was countered"),
    "offer.accepted": _("An offer was accepted"),
    "dispute.opened": _("A dispute was opened"),
    "voucher.redeemed": _("A voucher was redeemed"),
    "booking.confirmed": _("A booking was confirmed"),
}


def register_event(event_type: str, label) -> None:
    """A mode adds an event type (from its AppConfig.ready()); the fixed ones are listed above."""
    EVENTS.setdefault(event_type, label)


def max_attempts() -> int:
    return int(getattr(settings, "TRADELOOP_WEBHOOK_MAX_ATTEMPTS", len(BACKOFF) + 1))


# --- the receiving side's check (also used by our tests) -------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: float | None = None) -> bool:
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


# --- URLs: http(s) only; private and loopback addresses only where a setting allows them ------------------------------


def _allow_private() -> bool:
    return bool(getattr(settings, "TRADELOOP_WEBHOOK_ALLOW_PRIVATE", True))


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, field="url", code=Code.WEBHOOK_URL_NOT_ALLOWED)


def check_url(url: str, *, resolve: bool = True) -> str:
    url = (url or "").strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _refuse(gettext("The URL must start with http:// or https:// and name a host."))
    if len(url) > 500:
        raise _refuse(gettext("The URL is too long (500 characters at most)."))
    if parts.username or parts.password:
        raise _refuse(gettext("The URL must not carry a user name or password."))
    if not _allow_private():
        for address in _addresses(parts.hostname) if resolve else []:
            if not address.is_global:
                raise _refuse(gettext("The URL points to a private or local address."))
    return url


def _addresses(host: str) -> list:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError) as exc:
        raise _refuse(gettext("The host of the URL is not known.")) from exc
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def _events(events) -> list[str]:
    chosen = list(dict.fromkeys(events or []))
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown:
        raise ValidationFailed(
            gettext("Unknown event: %(events)s") % {"events": ", ".join(map(str, unknown))[:200]},
            field="events",
            code=Code.UNKNOWN_WEBHOOK_EVENT,
        )
    if not chosen:
        raise ValidationFailed(gettext("Choose at least one event."), field="events", code=Code.UNKNOWN_WEBHOOK_EVENT)
    return chosen


# --- endpoints --------------------------------------------------------------------------------------------------------


def endpoints(*, actor, organization_id: int):
    require(actor, organization_id, CAPABILITY)
    return WebhookEndpoint.objects.filter(organization_id=organization_id).order_by("-created_at", "-id")


def endpoint(*, actor, endpoint_id: int) -> WebhookEndpoint:
    found = WebhookEndpoint.objects.select_related("organization").filter(pk=endpoint_id).first()
    if found is None:
        raise NotFound(gettext("No such webhook endpoint."), field="id")
    try:
        require(actor, found.organization_id, CAPABILITY)
    except NotFound as exc:
        raise NotFound(gettext("No such webhook endpoint."), field="id") from exc
    return found


@transaction.atomic
def create_endpoint(*, actor, organization_id: int, url: str, events, description: str = "") -> WebhookEndpoint:
    """A new endpoint; its `secret` is shown to the caller now and never again."""
    require(actor, organization_id, CAPABILITY)
    return WebhookEndpoint.objects.create(
        organization_id=organization_id,
        url=check_url(url),
        events=_events(events),
        description=(description or "").strip()[:200],
        secret="whsec_" + secrets.token_hex(24),
    )


@transaction.atomic
def update_endpoint(*, actor, endpoint_id: int, url=None, events=None, active=None, description=None):
    found = endpoint(actor=actor, endpoint_id=endpoint_id)
    if url is not None:
        found.url = check_url(url)
    if events is not None:
        found.events = _events(events)
    if active is not None:
        found.active = bool(active)
    if description is not None:
        found.description = description.strip()[:200]
    found.save()
    return found


@transaction.atomic
def delete_endpoint(*, actor, endpoint_id: int) -> None:
    endpoint(actor=actor, endpoint_id=endpoint_id).delete()


def deliveries(*, actor, endpoint_id: int):
    found = endpoint(actor=actor, endpoint_id=endpoint_id)
    return found.deliveries.prefetch_related("attempt_log")


# --- events → deliveries ------------------------------------------------------------------------------------------------


def _body(event_type: str, data: dict, created: datetime) -> dict:
    body = {"id": "evt_" + uuid.uuid4().hex, "type": event_type, "created": created.isoformat(), "data": data}
    return json.loads(json.dumps(body, cls=DjangoJSONEncoder))  # Decimal, dates → strings, as sent


def emit(*, organizations, event_type: str, data: dict, ref: str) -> int:
    """Record `event_type` about `ref` for each organization's subscribed active endpoints; once per (endpoint, type,
    ref) however often it is emitted. Call it inside the transaction of the change; sending starts on commit."""
    if event_type not in EVENTS and event_type != TEST_EVENT:
        raise ValidationFailed(f"unknown webhook event {event_type!r}", field="event_type")
    org_ids = {getattr(o, "pk", o) for o in organizations if o is not None}
    if not org_ids:
        return 0
    hooks = [
        h for h in WebhookEndpoint.objects.filter(organization_id__in=org_ids, active=True) if event_type in h.events
    ]
    return sum(_deliver_later(h, event_type, data, ref) is not None for h in hooks)


def _deliver_later(hook: WebhookEndpoint, event_type: str, data: dict, ref: str) -> WebhookDelivery | None:
    now = clock.now()
    body = _body(event_type, data, now)
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                endpoint=hook,
                event_id=body["id"],
                event_key=f"{event_type}:{ref}"[:120],
                event_type=event_type,
                payload=body,
                next_attempt_at=now,
                created_at=now,
            )
    except IntegrityError:
        return None  # this event went to this endpoint already
    _queue(delivery.pk)
    return delivery


def _queue(delivery_id: int) -> None:
    from tradeloop.notifications.tasks import deliver_webhook

    transaction.on_commit(lambda: deliver_webhook.delay(delivery_id), robust=True)


def send_test_event(*, actor, endpoint_id: int) -> WebhookDelivery:
    hook = endpoint(actor=actor, endpoint_id=endpoint_id)
    data = {"endpoint": hook.pk, "organization": hook.organization_id, "message": "Hello from Tradeloop"}
    with transaction.atomic():
        return _deliver_later(hook, TEST_EVENT, data, f"test:{uuid.uuid4().hex}")


def replay(*, actor, delivery_id: int) -> WebhookDelivery:
    """Send a delivery again (same event id and body, a new signature), with a fresh round of attempts."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound(gettext("No such webhook delivery."), field="id")
    try:
        require(actor, delivery.endpoint.organization_id, CAPABILITY)
    except NotFound as exc:
        raise NotFound(gettext("No such webhook delivery."), field="id") from exc
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=WebhookDelivery.State.PENDING, attempts=0, next_attempt_at=clock.now()
        )
        _queue(delivery.pk)
    delivery.refresh_from_db()
    return delivery


# --- sending --------------------------------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 3xx is an answer (a failure), not a new place to POST to
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str, str]:
    """(status, response excerpt, error) of one POST."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT) as response:
            return response.status, response.read(500).decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as exc:
        excerpt = ""
        with contextlib.suppress(Exception):  # the status says enough
            excerpt = exc.read(500).decode("utf-8", "replace")
        return exc.code, excerpt, ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, "", (type(reason).__name__ + ": " + str(reason))[:300]


def attempt(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Claim a due delivery, POST it once, log the attempt, set the next try. None if it was not due (or gone)."""
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    hook = delivery.endpoint
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Tradeloop-Webhooks/1",
        "X-Tradeloop-Event": delivery.event_type,
        "X-Tradeloop-Delivery": str(delivery.pk),
        "X-Tradeloop-Event-Id": delivery.event_id,
        "X-Tradeloop-Signature": sign(hook.secret, timestamp, body),
    }
    started = time.monotonic()
    try:
        check_url(hook.url)  # the name may resolve elsewhere now than when it was saved
    except ValidationFailed as exc:
        status, excerpt, error = None, "", exc.message[:300]
    else:
        status, excerpt, error = _post(hook.url, body, headers)
    duration = int((time.monotonic() - started) * 1000)
    ok = status is not None and 200 <= status < 300
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery, at=now, status_code=status, response_excerpt=excerpt, duration_ms=duration, error=error
        )
        delivery.attempts += 1
        delivery.last_status = status
        if ok:
            delivery.state, delivery.next_attempt_at = WebhookDelivery.State.SUCCEEDED, None
        elif delivery.attempts >= max_attempts():
            delivery.state, delivery.next_attempt_at = WebhookDelivery.State.FAILED, None
        else:
            wait = BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]
            delivery.next_attempt_at = now + timedelta(seconds=wait)
        delivery.save(update_fields=["attempts", "last_status", "state", "next_attempt_at"])
    return delivery


def sweep_webhook_retries(now: datetime, *, limit: int = 200) -> int:
    """Send the deliveries whose next attempt is due; running it twice at once sends each once (the claim)."""
    due = WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now)
    done = 0
    for delivery_id in due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]:
        done += attempt(delivery_id, now) is not None
    return done
