"""notifications' part of the REST API: the caller's in-site notices (keyset pages, unread filter, mark read) and an
organization's webhooks (endpoints, deliveries with their attempts, replay, a test event). Thin: services and
webhooks write, selectors read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.core.api_schemas import Id, InputSchema, PageOut, PageQuery, Text, errors
from tradeloop.core.pagination import keyset_page
from tradeloop.notifications import selectors, services, webhooks
from tradeloop.notifications.models import Notification, WebhookDelivery, WebhookEndpoint

router = Router(tags=["Notifications"])
webhook_router = Router(tags=["Webhooks"])

READ_ERRORS = errors(400, 401, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 422)
EventType = Annotated[str, Field(min_length=1, max_length=40)]


class NotificationOut(Schema):
    id: int
    kind: str = Field(..., description="What it is about, e.g. new_order, quote_received, paid")
    ref: str = Field(..., description="The object, e.g. order:12")
    title: str = Field(..., description="In the recipient's language, as it was when sent")
    body: str
    link: str = Field(..., description="A path on this site to the object, or empty")
    created_at: datetime
    read_at: datetime | None


class NotificationQuery(PageQuery):
    unread: bool = Field(False, description="Only unread notices")


class UnreadCountOut(Schema):
    unread: int


class ReadAllOut(Schema):
    marked: int = Field(..., description="How many were unread")


def _notice(n: Notification) -> dict:
    return {
        "id": n.pk,
        "kind": n.kind,
        "ref": n.ref,
        "title": n.title,
        "body": n.body,
        "link": n.link,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@router.get(
    "notifications",
    auth=SIGNED_IN,
    response={200: PageOut[NotificationOut], **READ_ERRORS},
    summary="The caller's notifications, newest first (keyset pages; `unread=true` for unread only)",
)
def list_notifications(request: HttpRequest, query: Query[NotificationQuery]):
    page = selectors.inbox_page(request.auth, unread=query.unread, cursor=query.cursor, limit=query.limit)
    return {"items": [_notice(n) for n in page.items], "next_cursor": page.next_cursor}


@router.get(
    "notifications/unread-count",
    auth=SIGNED_IN,
    response={200: UnreadCountOut, **errors(401)},
    summary="How many of the caller's notifications are unread (the header's badge)",
)
def unread_count(request: HttpRequest):
    return {"unread": selectors.unread_count(request.auth, fresh=True)}


@router.post(
    "notifications/read-all",
    auth=SIGNED_IN,
    response={200: ReadAllOut, **errors(401)},
    summary="Mark all of the caller's notifications read",
)
def read_all(request: HttpRequest):
    return {"marked": services.mark_all_read(actor=request.auth)}


@router.post(
    "notifications/{notification_id}/read",
    auth=SIGNED_IN,
    response={200: NotificationOut, **READ_ERRORS},
    summary="Mark one notification read (another person's answers 404)",
)
def read_one(request: HttpRequest, notification_id: Id):
    return _notice(services.mark_read(actor=request.auth, notification_id=notification_id))


# --- webhooks ---------------------------------------------------------------------------------------------------------


class WebhookEndpointOut(Schema):
    id: int
    organization_id: int
    url: str
    description: str
    events: list[str]
    active: bool
    created_at: datetime


class WebhookEndpointCreatedOut(WebhookEndpointOut):
    secret: str = Field(..., description="The signing secret: shown in this answer only, keep it")


class WebhookEndpointIn(InputSchema):
    organization: Id
    url: Text = Field(..., min_length=1, max_length=500, description="http:// or https://")
    events: list[EventType] = Field(..., min_length=1, max_length=50, description="Event types, e.g. order.paid")
    description: Text = Field("", max_length=200)


class WebhookListQuery(Schema):
    organization: Id


class WebhookAttemptOut(Schema):
    at: datetime
    status_code: int | None
    response_excerpt: str
    duration_ms: int
    error: str


class WebhookDeliveryOut(Schema):
    id: int
    endpoint_id: int
    event_id: str
    event_type: str
    state: str = Field(..., description="pending, succeeded or failed (gave up)")
    attempts: int = Field(..., description="Attempts since it was created or last replayed")
    next_attempt_at: datetime | None
    last_status: int | None
    created_at: datetime
    payload: dict = Field(..., description="The JSON body sent: {id, type, created, data}")
    attempt_log: list[WebhookAttemptOut] = Field(..., description="Every attempt, newest first")


class WebhookEventTypeOut(Schema):
    type: str
    label: str


def _endpoint(h: WebhookEndpoint) -> dict:
    return {
        "id": h.pk,
        "organization_id": h.organization_id,
        "url": h.url,
        "description": h.description,
        "events": list(h.events),
        "active": h.active,
        "created_at": h.created_at,
    }


def _delivery(d: WebhookDelivery) -> dict:
    return {
        "id": d.pk,
        "endpoint_id": d.endpoint_id,
        "event_id": d.event_id,
        "event_type": d.event_type,
        "state": d.state,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at,
        "last_status": d.last_status,
        "created_at": d.created_at,
        "payload": d.payload,
        "attempt_log": [
            {
                "at": a.at,
                "status_code": a.status_code,
                "response_excerpt": a.response_excerpt,
                "duration_ms": a.duration_ms,
                "error": a.error,
            }
            for a in d.attempt_log.all()
        ],
    }


@webhook_router.get(
    "webhooks/events",
    auth=SIGNED_IN,
    response={200: list[WebhookEventTypeOut], **errors(401)},
    summary="The event types an endpoint can subscribe to",
)
def webhook_events(request: HttpRequest):
    return [{"type": code, "label": str(label)} for code, label in webhooks.EVENTS.items()]


@webhook_router.get(
    "webhooks",
    auth=SIGNED_IN,
    response={200: list[WebhookEndpointOut], **WRITE_ERRORS},
    summary="An organization's webhook endpoints (needs org.manage)",
)
def list_webhooks(request: HttpRequest, query: Query[WebhookListQuery]):
    return [_endpoint(h) for h in webhooks.endpoints(actor=request.auth, organization_id=query.organization)]


@webhook_router.post(
    "webhooks",
    auth=SIGNED_IN,
    response={201: WebhookEndpointCreatedOut, **WRITE_ERRORS},
    summary="Add a webhook endpoint; the answer carries its signing secret, shown this once (needs org.manage)",
)
def create_webhook(request: HttpRequest, payload: WebhookEndpointIn):
    hook = webhooks.create_endpoint(
        actor=request.auth,
        organization_id=payload.organization,
        url=payload.url,
        events=payload.events,
        description=payload.description,
    )
    return Status(201, {**_endpoint(hook), "secret": hook.secret})


@webhook_router.delete(
    "webhooks/{endpoint_id}",
    auth=SIGNED_IN,
    response={204: None, **WRITE_ERRORS},
    summary="Delete a webhook endpoint and its delivery log",
)
def delete_webhook(request: HttpRequest, endpoint_id: Id):
    webhooks.delete_endpoint(actor=request.auth, endpoint_id=endpoint_id)
    return Status(204, None)


@webhook_router.post(
    "webhooks/{endpoint_id}/test",
    auth=SIGNED_IN,
    response={201: WebhookDeliveryOut, **WRITE_ERRORS},
    summary="Send a `webhook.test` event to the endpoint now",
)
def test_webhook(request: HttpRequest, endpoint_id: Id):
    delivery = webhooks.send_test_event(actor=request.auth, endpoint_id=endpoint_id)
    return Status(201, _delivery(WebhookDelivery.objects.prefetch_related("attempt_log").get(pk=delivery.pk)))


@webhook_router.get(
    "webhooks/{endpoint_id}/deliveries",
    auth=SIGNED_IN,
    response={200: PageOut[WebhookDeliveryOut], **WRITE_ERRORS},
    summary="An endpoint's deliveries, newest first, each with its attempts (keyset pages)",
)
def webhook_deliveries(request: HttpRequest, endpoint_id: Id, query: Query[PageQuery]):
    qs = webhooks.deliveries(actor=request.auth, endpoint_id=endpoint_id)
    page = keyset_page(qs, order=("-created_at", "-id"), cursor=query.cursor, limit=query.limit)
    return {"items": [_delivery(d) for d in page.items], "next_cursor": page.next_cursor}


@webhook_router.post(
    "webhooks/deliveries/{delivery_id}/replay",
    auth=SIGNED_IN,
    response={200: WebhookDeliveryOut, **WRITE_ERRORS},
    summary="Send a delivery again (same event id and body, a fresh signature and round of retries)",
)
def replay_delivery(request: HttpRequest, delivery_id: Id):
    delivery = webhooks.replay(actor=request.auth, delivery_id=delivery_id)
    return _delivery(WebhookDelivery.objects.prefetch_related("attempt_log").get(pk=delivery.pk))
