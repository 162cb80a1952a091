"""crm's part of the REST API (mounted under seller/): the organization's customers (filters, cursor), one customer
with its orders, tags and notes, segments (rules, members) and sending a coupon or a message to a segment.
Thin: crm.services writes, crm.selectors reads; another seller's customer or segment answers 404."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import require
from tradeloop.core.api_schemas import (
    Amount,
    AmountIn,
    Id,
    InputSchema,
    MoneyOut,
    PageOut,
    PageQuery,
    Text,
    errors,
)
from tradeloop.crm import rules as segment_rules
from tradeloop.crm import selectors, services
from tradeloop.crm.models import Campaign, Customer, Note, Segment

router = Router(tags=["Customers"])
seller_router = Router(tags=["Customers"])

READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)


class CustomerTagOut(Schema):
    id: int
    name: str


class CustomerOut(MoneyOut):
    id: int
    kind: str = Field(..., description="person or company")
    name: str
    email: str
    company_name: str
    city: str
    orders_count: int = Field(..., description="Orders paid or confirmed on terms (not those cancelled)")
    lifetime_value: Amount = Field(..., description="Paid minus refunded, in the seller's currency")
    first_order_at: datetime
    last_order_at: datetime
    tags: list[CustomerTagOut]


class CustomerNoteOut(Schema):
    id: int
    text: str
    author: str
    author_id: int
    created_at: datetime


class CustomerOrderOut(MoneyOut):
    id: int
    number: str
    state: str
    total: Amount
    refunded_total: Amount
    placed_at: datetime


class CustomerDetailOut(CustomerOut):
    notes: list[CustomerNoteOut]
    orders: list[CustomerOrderOut]


class CustomerQuery(PageQuery):
    organization: Id
    q: Text = Field("", max_length=100, description="Part of the name, e-mail or company")
    tag: Id | None = Field(None, description="Only customers with this tag")
    city: Text = Field("", max_length=80)
    sort: Literal["last_order", "value", "orders"] = "last_order"


class CustomerTagIn(InputSchema):
    tag: Text = Field(..., min_length=1, max_length=40, description="The tag's name (made if new)")
    customer_ids: list[Id] | None = Field(
        None, max_length=500, description="Tag these customers too (bulk, same seller); the one in the URL always"
    )


class CustomerTaggedOut(Schema):
    tagged: int = Field(..., description="How many customers got the tag now")
    customer: CustomerOut


class CustomerNoteIn(InputSchema):
    text: Text = Field(..., min_length=1, max_length=2000)


class SegmentRuleIn(InputSchema):
    kind: Literal[tuple(segment_rules.KINDS)]  # type: ignore[valid-type]
    value: Annotated[str | int | Decimal | None, Field(description="amount, count, days, text or tag id, by kind")] = (
        None
    )


class SegmentRuleOut(Schema):
    kind: str
    value: Any
    label: str


class SegmentIn(InputSchema):
    organization: Id
    name: Text = Field(..., min_length=1, max_length=80)
    rules: list[SegmentRuleIn] = Field(..., min_length=1, max_length=segment_rules.MAX_RULES)


class SegmentOut(Schema):
    id: int
    name: str
    rules: list[SegmentRuleOut]
    members: int = Field(..., description="Members now")
    created_at: datetime
    updated_at: datetime


class SegmentsQuery(Schema):
    organization: Id


class SegmentCouponIn(InputSchema):
    kind: Literal["percent", "fixed"] = "percent"
    value: AmountIn = Field(..., gt=0)
    min_spend: AmountIn = Field(Decimal(0), ge=0)
    valid_days: int = Field(30, ge=1, le=365)
    subject: Text = Field("", max_length=160)
    body: Text = Field("", max_length=4000)


class SegmentMessageIn(InputSchema):
    subject: Text = Field(..., min_length=1, max_length=160)
    body: Text = Field(..., min_length=1, max_length=4000)


class SegmentCampaignOut(Schema):
    id: int
    kind: str
    segment_id: int
    subject: str
    code: str = Field(..., description="The coupon code (coupon campaigns)")
    recipients: int
    sent: int = Field(..., description="E-mails sent so far (big segments are sent by a worker)")
    sent_by: str
    created_at: datetime


def _customer(c: Customer) -> dict:
    return {
        "id": c.pk,
        "kind": "company" if c.company_id else "person",
        "name": c.name,
        "email": c.email,
        "company_name": c.company_name,
        "city": c.city,
        "orders_count": c.orders_count,
        "currency": c.currency,
        "lifetime_value": c.lifetime_value,
        "first_order_at": c.first_order_at,
        "last_order_at": c.last_order_at,
        "tags": [{"id": t.pk, "name": t.name} for t in c.tags.all()],
    }


def _note(n: Note) -> dict:
    return {
        "id": n.pk,
        "text": n.text,
        "author": n.author.display_name,
        "author_id": n.author_id,
        "created_at": n.created_at,
    }


def _detail(customer: Customer) -> dict:
    customer = selectors.customer_detail(customer)
    return {
        **_customer(customer),
        "notes": [_note(n) for n in customer.notes.all()],
        "orders": [
            {
                "id": o.pk,
                "number": o.number,
                "state": o.state,
                "currency": o.currency,
                "total": o.total,
                "refunded_total": o.refunded_total,
                "placed_at": o.placed_at,
            }
            for o in selectors.orders_of(customer)
        ],
    }


def _segment(s: Segment, tag_names: dict[int, str], counts: dict[int, int] | None = None) -> dict:
    counts = counts if counts is not None else selectors.member_counts(s.seller_id, [s])
    return {
        "id": s.pk,
        "name": s.name,
        "rules": [{**r, "label": segment_rules.describe(r, tag_names)} for r in s.rules],
        "members": counts.get(s.pk, 0),
        "created_at": s.created_at,
        "updated_at": s.updated_at,
    }


def _campaign(c: Campaign) -> dict:
    c.refresh_from_db(fields=["sent_count", "recipients_count"])
    return {
        "id": c.pk,
        "kind": c.kind,
        "segment_id": c.segment_id,
        "subject": c.subject,
        "code": c.code,
        "recipients": c.recipients_count,
        "sent": c.sent_count,
        "sent_by": c.sent_by.display_name if c.sent_by else "",
        "created_at": c.created_at,
    }


@seller_router.get(
    "customers",
    auth=SIGNED_IN,
    response={200: PageOut[CustomerOut], **READ_ERRORS},
    summary="The organization's customers (needs analytics.view): search, tag and city filters, sorted by last "
    "order, lifetime value or orders; cursor pages",
)
def customers(request: HttpRequest, query: Query[CustomerQuery]):
    require(request.auth, query.organization, services.VIEW)
    f = selectors.CustomerFilter(q=query.q, tag=query.tag, city=query.city, sort=query.sort)
    page = selectors.customer_page(query.organization, f, cursor=query.cursor, limit=query.limit)
    return {"items": [_customer(c) for c in page.items], "next_cursor": page.next_cursor}


@seller_router.get(
    "customers/{customer_id}",
    auth=SIGNED_IN,
    response={200: CustomerDetailOut, **READ_ERRORS},
    summary="One customer: figures, tags, private notes and its orders with the organization, newest first",
)
def customer(request: HttpRequest, customer_id: Id):
    return _detail(services.customer_of(actor=request.auth, customer_id=customer_id))


@seller_router.post(
    "customers/{customer_id}/tags",
    auth=SIGNED_IN,
    response={201: CustomerTaggedOut, **WRITE_ERRORS},
    summary="Tag the customer (and optionally more of the organization's customers at once)",
)
def tag(request: HttpRequest, customer_id: Id, payload: CustomerTagIn):
    found = services.customer_of(actor=request.auth, customer_id=customer_id)
    ids = [found.pk, *(payload.customer_ids or [])]
    tagged = services.tag_customers(actor=request.auth, seller=found.seller, customer_ids=ids, tag=payload.tag)
    found = selectors.customer_detail(found)
    return Status(201, {"tagged": tagged, "customer": _customer(found)})


@seller_router.delete(
    "customers/{customer_id}/tags/{tag_id}",
    auth=SIGNED_IN,
    response={204: None, **WRITE_ERRORS},
    summary="Take a tag off the customer",
)
def untag(request: HttpRequest, customer_id: Id, tag_id: Id):
    services.untag_customer(actor=request.auth, customer_id=customer_id, tag_id=tag_id)
    return Status(204, None)


@seller_router.post(
    "customers/{customer_id}/notes",
    auth=SIGNED_IN,
    response={201: CustomerNoteOut, **WRITE_ERRORS},
    summary="Add a private note about the customer (seen by the organization's staff only)",
)
def add_note(request: HttpRequest, customer_id: Id, payload: CustomerNoteIn):
    note = services.add_note(actor=request.auth, customer_id=customer_id, text=payload.text)
    return Status(201, _note(note))


@seller_router.delete(
    "customers/notes/{note_id}",
    auth=SIGNED_IN,
    response={204: None, **WRITE_ERRORS},
    summary="Delete your own note (403 note_not_yours for a colleague's)",
)
def delete_note(request: HttpRequest, note_id: Id):
    services.delete_note(actor=request.auth, note_id=note_id)
    return Status(204, None)


@seller_router.get(
    "segments",
    auth=SIGNED_IN,
    response={200: list[SegmentOut], **READ_ERRORS},
    summary="The organization's segments with their member counts now",
)
def segments(request: HttpRequest, query: Query[SegmentsQuery]):
    require(request.auth, query.organization, services.VIEW)
    names = selectors.tag_names(query.organization)
    found = selectors.segments_of(query.organization)
    counts = selectors.member_counts(query.organization, found)
    return [_segment(s, names, counts) for s in found]


@seller_router.post(
    "segments",
    auth=SIGNED_IN,
    response={201: SegmentOut, **WRITE_ERRORS},
    summary="Save a segment: conditions combined with AND (spent_over, min_orders, no_order_for_days, "
    "ordered_within_days, city_is, company_is, has_company, has_tag)",
)
def create_segment(request: HttpRequest, payload: SegmentIn):
    seller = require(request.auth, payload.organization, services.VIEW).organization
    segment = services.create_segment(
        actor=request.auth, seller=seller, name=payload.name, rules=[r.model_dump() for r in payload.rules]
    )
    return Status(201, _segment(segment, selectors.tag_names(seller.pk)))


@seller_router.get(
    "segments/{segment_id}/members",
    auth=SIGNED_IN,
    response={200: PageOut[CustomerOut], **READ_ERRORS},
    summary="The segment's members now, by last order",
)
def segment_members(request: HttpRequest, segment_id: Id, query: Query[PageQuery]):
    segment = services.segment_of(actor=request.auth, segment_id=segment_id)
    page = selectors.member_page(segment, cursor=query.cursor, limit=query.limit)
    return {"items": [_customer(c) for c in page.items], "next_cursor": page.next_cursor}


@seller_router.post(
    "segments/{segment_id}/coupon",
    auth=SIGNED_IN,
    response={201: SegmentCampaignOut, **WRITE_ERRORS},
    summary="Send the segment's members a coupon code only they may use, once each (needs catalog.manage)",
)
def send_coupon(request: HttpRequest, segment_id: Id, payload: SegmentCouponIn):
    data = services.CouponIn(**payload.model_dump())
    campaign = services.send_coupon(actor=request.auth, segment_id=segment_id, data=data)
    return Status(201, _campaign(campaign))


@seller_router.post(
    "segments/{segment_id}/message",
    auth=SIGNED_IN,
    response={201: SegmentCampaignOut, **WRITE_ERRORS},
    summary="E-mail the segment's members, once each, framed in each one's language (needs catalog.manage)",
)
def send_message(request: HttpRequest, segment_id: Id, payload: SegmentMessageIn):
    campaign = services.send_message(
        actor=request.auth, segment_id=segment_id, subject=payload.subject, body=payload.body
    )
    return Status(201, _campaign(campaign))
