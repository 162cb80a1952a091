"""RFQ and quote endpoints: the buyer's RFQs and the quotes on them, a supplier's RFQ inbox, quotes and funnel.

Quotes are negotiations of kind quote: every counter is a new immutable version; accepting the current version
places a B2B order at its prices. Another tenant's RFQ or quote answers 404."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, File, Header, Query, Router, Schema, UploadedFile
from ninja.files import UploadedFile as NinjaUploadedFile  # noqa: F401 - the multipart type ninja documents

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.models import Organization
from tradeloop.accounts.selectors import membership, memberships_of, selling_organization
from tradeloop.b2b import funnel as funnels
from tradeloop.b2b import quotes, rfq_selectors, rfqs
from tradeloop.b2b.models import Rfq
from tradeloop.catalog.models import Category, Variant
from tradeloop.core.api_schemas import (
    MAX_INT,
    AmountIn,
    Currency,
    DecimalOut,
    Id,
    InputSchema,
    PageOut,
    PageQuery,
    Text,
    errors,
    plain_decimal,
)
from tradeloop.core.errors import NotFound, ValidationFailed
from tradeloop.negotiation.models import Negotiation

router = Router(auth=SIGNED_IN, tags=["rfqs and quotes"])
seller_router = Router(auth=SIGNED_IN, tags=["seller"])
READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)
Units = Field(..., ge=1, le=MAX_INT, description="Units, at least 1")


# --- schemas ------------------------------------------------------------------------------------------------------


class OrgRef(Schema):
    id: int
    name: str


class CategoryRef(Schema):
    id: int
    slug: str
    name: str


class RfqLineIn(InputSchema):
    variant_id: Id | None = Field(None, description="A SKU of the supplier's (direct RFQs); omit for a free-text need")
    description: Text = Field("", max_length=300, description="The need in words (required without a SKU)")
    quantity: int = Units
    target_price: AmountIn | None = Field(None, ge=0, description="The unit price hoped for")


class RfqIn(InputSchema):
    organization: Id = Field(..., description="The buying organization (the caller needs `purchasing` there)")
    title: Text = Field(..., min_length=1, max_length=200)
    supplier: Id | None = Field(None, description="Send to one supplier (organization id) …")
    category: Id | None = Field(None, description="… or open it to the suppliers of a category (category id)")
    currency: Currency | None = Field(None, description="Default: the supplier's currency, or the site's")
    delivery_terms: Text = Field("", max_length=300, examples=["DAP Shenzhen, pallets"])
    required_by: date | None = None
    deadline: datetime = Field(..., description="Quotes are taken until then")
    max_quotes: int | None = Field(None, ge=1, le=100, description="Close after this many quotes (default 10)")
    note: Text = Field("", max_length=2000)
    lines: list[RfqLineIn] = Field(..., min_length=1, max_length=rfqs.MAX_LINES)


class RfqLineOut(Schema):
    position: int
    variant_id: int | None
    sku: str | None
    description: str
    quantity: int
    target_price: DecimalOut | None


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int = Field(..., description="Bytes")
    url: str = Field(..., description="Download (signed-in parties only)")


class RfqOut(Schema):
    id: int
    state: Literal["open", "closed", "cancelled"]
    title: str
    buyer_org: OrgRef
    supplier: OrgRef | None = Field(None, description="Direct RFQs: the supplier asked")
    category: CategoryRef | None = Field(None, description="Open RFQs: the category whose suppliers see it")
    currency: str
    delivery_terms: str
    required_by: date | None
    deadline: datetime
    max_quotes: int
    quote_count: int
    note: str
    created_at: datetime
    closed_at: datetime | None
    lines: list[RfqLineOut]
    attachments: list[AttachmentOut]
    my_quote_id: int | None = Field(None, description="Supplier inbox: the caller's quote on it, if any")


class QuoteLineIn(InputSchema):
    variant_id: Id = Field(..., description="The supplier's SKU this line orders")
    quantity: int = Units
    unit_price: AmountIn = Field(..., ge=0)
    discount: AmountIn = Field(Decimal(0), ge=0, description="Off the whole line")


class TermsIn(InputSchema):
    lines: list[QuoteLineIn] = Field(..., min_length=1, max_length=rfqs.MAX_LINES)
    shipping: AmountIn = Field(Decimal(0), ge=0)
    payment_terms: Text = Field("prepay", max_length=30, examples=["prepay", "net30", "deposit30-net30"])
    valid_until: datetime | None = Field(None, description="Default: 30 days from now")
    note: Text = Field("", max_length=1000)


class QuoteIn(TermsIn):
    organization: Id = Field(..., description="The supplier answering (the caller needs orders.fulfil there)")


class CounterIn(TermsIn):
    version: int = Field(..., ge=1, le=MAX_INT, description="The version answered: it must be the current one")


class AcceptIn(InputSchema):
    version: int = Field(..., ge=1, le=MAX_INT, description="The version accepted: it must be the current one")


class DeclineIn(InputSchema):
    version: int | None = Field(None, ge=1, le=MAX_INT)
    reason: Text = Field("", max_length=300)


class QuoteLineOut(Schema):
    position: int
    variant_id: int | None
    sku: str | None
    description: str
    quantity: int
    unit_price: DecimalOut
    discount: DecimalOut
    total: DecimalOut


class VersionOut(Schema):
    number: int
    author_side: Literal["buyer", "seller"]
    shipping: DecimalOut
    payment_terms: str
    valid_until: datetime
    note: str
    created_at: datetime
    goods_total: DecimalOut
    total: DecimalOut
    lines: list[QuoteLineOut]
    changes: dict | None = Field(
        None,
        description="What changed from the previous version: `lines` (each added, removed or changed with "
        '{"old", "new"} for quantity, unit_price, discount) and shipping, payment_terms, terms_text, valid_until, '
        "note when they differ. Null for version 1.",
    )


class QuoteOut(Schema):
    id: int
    rfq_id: int
    state: Literal["open", "accepted", "declined", "withdrawn", "expired"]
    supplier: OrgRef
    buyer_org: OrgRef | None
    currency: str
    current_version: int
    expires_at: datetime | None
    accepted_version: int | None
    order_number: str | None = Field(None, description="The order placed when the quote was accepted")
    created_at: datetime
    decided_at: datetime | None
    versions: list[VersionOut]


class SellerRfqQuery(PageQuery):
    organization: Id
    tab: Literal["new", "quoted", "all"] = Field("new", description="new: open and not yet quoted by you")


class MyRfqQuery(PageQuery):
    state: Literal["open", "closed", "cancelled"] | None = None


class FunnelQuery(Schema):
    organization: Id
    period: Literal["week", "month"] = "month"
    periods: int = Field(6, ge=1, le=24)


class MoneyAmount(Schema):
    amount: DecimalOut
    currency: str


class FunnelPeriodOut(Schema):
    start: date
    label: str
    received: int
    quoted: int
    won: int
    lost: int
    expired: int
    open: int
    conversion: DecimalOut | None = Field(None, description="Won out of received, in percent")
    value_won: list[MoneyAmount]


class FunnelOut(Schema):
    period: Literal["week", "month"]
    periods: list[FunnelPeriodOut]
    totals: FunnelPeriodOut
    median_first_response_seconds: int | None = Field(None, description="From an RFQ arriving to your quote")
    quote_rate: DecimalOut | None = Field(None, description="Quoted out of received, in percent")
    win_rate: DecimalOut | None = Field(None, description="Won out of decided quotes, in percent")


# --- shaping ------------------------------------------------------------------------------------------------------


def _org(org: Organization | None) -> dict | None:
    return {"id": org.pk, "name": org.name} if org else None


def _rfq_out(rfq: Rfq) -> dict:
    return {
        "id": rfq.pk,
        "state": rfq.state,
        "title": rfq.title,
        "buyer_org": _org(rfq.buyer_org),
        "supplier": _org(rfq.supplier),
        "category": {"id": rfq.category.pk, "slug": rfq.category.slug, "name": rfq.category.label}
        if rfq.category
        else None,
        "currency": rfq.currency,
        "delivery_terms": rfq.delivery_terms,
        "required_by": rfq.required_by,
        "deadline": rfq.deadline,
        "max_quotes": rfq.max_quotes,
        "quote_count": rfq.quote_count,
        "note": rfq.note,
        "created_at": rfq.created_at,
        "closed_at": rfq.closed_at,
        "lines": [
            {
                "position": line.position,
                "variant_id": line.variant_id,
                "sku": line.variant.sku if line.variant else None,
                "description": line.description,
                "quantity": line.quantity,
                "target_price": line.target_price,
            }
            for line in rfq.lines.all()
        ],
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "url": reverse("b2b:rfq_attachment", args=[rfq.pk, a.pk]),
            }
            for a in rfq.attachments.all()
        ],
        "my_quote_id": getattr(rfq, "my_quote_id", None),
    }


def _plain(value):
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _quote_out(negotiation: Negotiation, rfq_id: int) -> dict:
    changes = rfq_selectors.versions_with_changes(negotiation)
    return {
        "id": negotiation.pk,
        "rfq_id": rfq_id,
        "state": negotiation.state,
        "supplier": _org(negotiation.seller),
        "buyer_org": _org(negotiation.buyer_org),
        "currency": negotiation.currency,
        "current_version": negotiation.current_version,
        "expires_at": negotiation.expires_at,
        "accepted_version": negotiation.accepted_version,
        "order_number": negotiation.result_ref or None,
        "created_at": negotiation.created_at,
        "decided_at": negotiation.decided_at,
        "versions": [
            {
                "number": v.number,
                "author_side": v.author_side,
                "shipping": v.shipping,
                "payment_terms": v.payment_terms,
                "valid_until": v.valid_until,
                "note": v.note,
                "created_at": v.created_at,
                "goods_total": v.goods_total(),
                "total": v.total(),
                "lines": [
                    {
                        "position": line.position,
                        "variant_id": line.variant_id,
                        "sku": line.variant.sku if line.variant else None,
                        "description": line.description,
                        "quantity": line.quantity,
                        "unit_price": line.unit_price,
                        "discount": line.discount,
                        "total": line.total,
                    }
                    for line in v.lines.all()
                ],
                "changes": _plain(change) if change else None,
            }
            for v, change in changes
        ],
    }


def _thread_out(request: HttpRequest, quote_id: int) -> dict:
    negotiation = rfq_selectors.quote_thread(request.auth, quote_id)
    return _quote_out(negotiation, negotiation.rfq.pk)


def _draft(payload: TermsIn, seller_id: int | None = None) -> quotes.Draft:
    ids = {line.variant_id for line in payload.lines}
    variants = Variant.objects.select_related("product").in_bulk(ids)
    lines = []
    for index, line in enumerate(payload.lines):
        variant = variants.get(line.variant_id)
        if variant is None or (seller_id is not None and variant.product.seller_id != seller_id):
            raise ValidationFailed(gettext("no such SKU of the supplier's"), field=f"lines.{index}.variant_id")
        lines.append(quotes.LineDraft(line.quantity, line.unit_price, variant=variant, discount=line.discount))
    return quotes.Draft(
        lines=lines,
        shipping=payload.shipping,
        payment_terms=payload.payment_terms,
        valid_until=payload.valid_until,
        note=payload.note,
    )


def _visible_rfq(request: HttpRequest, rfq_id: int) -> tuple[Rfq, Organization | None]:
    """The RFQ as the buyer's side sees it (supplier None), else as one of the caller's suppliers sees it."""
    try:
        return rfq_selectors.rfq_for_buyer(request.auth, rfq_id), None
    except NotFound:
        pass
    for m in memberships_of(request.auth):
        if m.organization.sells and m.role.grants("orders.view"):
            try:
                return rfq_selectors.rfq_for_supplier(request.auth, m.organization, rfq_id), m.organization
            except NotFound:
                continue
    raise NotFound(gettext("RFQ not found"), field="rfq")


# --- the buyer ----------------------------------------------------------------------------------------------------


@router.get("rfqs", response={200: PageOut[RfqOut], **READ_ERRORS}, summary="My organizations' RFQs, newest first")
def my_rfqs(request: HttpRequest, query: Query[MyRfqQuery]):
    page = rfq_selectors.buyer_rfqs(request.auth, state=query.state, cursor=query.cursor, limit=query.limit)
    return {"items": [_rfq_out(r) for r in page.items], "next_cursor": page.next_cursor}


def _rfq_in(payload: RfqIn) -> rfqs.RfqIn:
    supplier = category = None
    if payload.supplier is not None:
        supplier = Organization.objects.filter(pk=payload.supplier, is_active=True).first()
        if supplier is None or not supplier.sells:
            raise NotFound(gettext("supplier not found"), field="supplier")
    if payload.category is not None:
        category = Category.objects.filter(pk=payload.category).first()
        if category is None:
            raise NotFound(gettext("category not found"), field="category")
    ids = {line.variant_id for line in payload.lines if line.variant_id}
    variants = Variant.objects.select_related("product").in_bulk(ids)
    lines = []
    for index, line in enumerate(payload.lines):
        variant = variants.get(line.variant_id) if line.variant_id else None
        if line.variant_id and variant is None:
            raise ValidationFailed(gettext("no such SKU"), field=f"lines.{index}.variant_id")
        lines.append(rfqs.RfqLineIn(line.quantity, variant, line.description, line.target_price))
    return rfqs.RfqIn(
        title=payload.title,
        lines=lines,
        deadline=payload.deadline,
        supplier=supplier,
        category=category,
        currency=payload.currency or "",
        delivery_terms=payload.delivery_terms,
        required_by=payload.required_by,
        note=payload.note,
        max_quotes=payload.max_quotes,
    )


@router.post(
    "rfqs",
    response={201: RfqOut, **WRITE_ERRORS},
    summary="Send an RFQ to one supplier or open to a category's suppliers (needs purchasing)",
)
def create_rfq(request: HttpRequest, payload: RfqIn):
    buyer_org = membership(request.auth, payload.organization).organization
    rfq = rfqs.create_rfq(actor=request.auth, buyer_org=buyer_org, data=_rfq_in(payload))
    return 201, _rfq_out(rfq_selectors.rfq_for_buyer(request.auth, rfq.pk))


@router.get(
    "rfqs/{rfq_id}", response={200: RfqOut, **READ_ERRORS}, summary="One RFQ (its buyer or a supplier it is for)"
)
def one_rfq(request: HttpRequest, rfq_id: Id):
    rfq, _supplier = _visible_rfq(request, rfq_id)
    return _rfq_out(rfq)


@router.post(
    "rfqs/{rfq_id}/attachments",
    response={201: RfqOut, **WRITE_ERRORS},
    summary="Attach files to an open RFQ (multipart `files`; PDF, PNG, JPEG, CSV, TXT, XLSX, DOCX; 5 MB each)",
)
def attach(request: HttpRequest, rfq_id: Id, files: File[list[UploadedFile]]):
    rfqs.add_files(actor=request.auth, rfq_id=rfq_id, files=list(files))
    return 201, _rfq_out(rfq_selectors.rfq_for_buyer(request.auth, rfq_id))


@router.post(
    "rfqs/{rfq_id}/cancel", response={200: RfqOut, **WRITE_ERRORS}, summary="Stop taking quotes (the buyer's side)"
)
def cancel_rfq(request: HttpRequest, rfq_id: Id):
    rfqs.cancel_rfq(actor=request.auth, rfq_id=rfq_id)
    return _rfq_out(rfq_selectors.rfq_for_buyer(request.auth, rfq_id))


@router.get(
    "rfqs/{rfq_id}/quotes",
    response={200: list[QuoteOut], **READ_ERRORS},
    summary="The quotes on an RFQ: all of them for its buyer, a supplier's own for a supplier",
)
def rfq_quotes(request: HttpRequest, rfq_id: Id):
    rfq, _supplier = _visible_rfq(request, rfq_id)
    out = []
    for link in rfq.quote_links:
        negotiation = link.negotiation
        negotiation.seller, negotiation.buyer_org = link.supplier, rfq.buyer_org
        out.append(_quote_out(negotiation, rfq.pk))
    return out


@router.post(
    "rfqs/{rfq_id}/quotes",
    response={201: QuoteOut, **WRITE_ERRORS},
    summary="A supplier answers an RFQ with a quote (version 1; needs orders.fulfil)",
)
def submit_quote(request: HttpRequest, rfq_id: Id, payload: QuoteIn):
    supplier = selling_organization(request.auth, payload.organization)
    negotiation = quotes.submit_quote(
        actor=request.auth, rfq_id=rfq_id, supplier=supplier, draft=_draft(payload, supplier.pk)
    )
    return 201, _thread_out(request, negotiation.pk)


@router.get("quotes/{quote_id}", response={200: QuoteOut, **READ_ERRORS}, summary="A quote with all its versions")
def one_quote(request: HttpRequest, quote_id: Id):
    return _thread_out(request, quote_id)


@router.post(
    "quotes/{quote_id}/counter",
    response={201: QuoteOut, **WRITE_ERRORS},
    summary="Answer the current version with changed quantities, prices or terms (a new version)",
)
def counter(request: HttpRequest, quote_id: Id, payload: CounterIn):
    thread = rfq_selectors.quote_thread(request.auth, quote_id)
    quotes.counter(
        actor=request.auth, quote_id=quote_id, version=payload.version, draft=_draft(payload, thread.seller_id)
    )
    return 201, _thread_out(request, quote_id)


@router.post(
    "quotes/{quote_id}/accept",
    response={200: QuoteOut, **WRITE_ERRORS},
    summary="Accept the current version: a B2B order at its prices (honours Idempotency-Key)",
    description="Refused with 409 `already_accepted`, `expired`, `superseded` (an older version) or `not_your_turn` "
    "(you wrote it). The same `Idempotency-Key` answers the same, never a second order.",
)
def accept(
    request: HttpRequest,
    quote_id: Id,
    payload: AcceptIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    quotes.accept(actor=request.auth, quote_id=quote_id, version=payload.version, key=idempotency_key)
    return _thread_out(request, quote_id)


@router.post(
    "quotes/{quote_id}/decline",
    response={200: QuoteOut, **WRITE_ERRORS},
    summary="Decline the current version (the side that did not write it); the quote ends",
)
def decline(request: HttpRequest, quote_id: Id, payload: DeclineIn):
    quotes.decline(actor=request.auth, quote_id=quote_id, version=payload.version, reason=payload.reason)
    return _thread_out(request, quote_id)


# --- the supplier -------------------------------------------------------------------------------------------------


@seller_router.get(
    "rfqs",
    response={200: PageOut[RfqOut], **READ_ERRORS},
    summary="The RFQ inbox: RFQs sent to the organization and open ones in its categories (needs orders.view)",
)
def inbox(request: HttpRequest, query: Query[SellerRfqQuery]):
    supplier = selling_organization(request.auth, query.organization)
    membership_ = membership(request.auth, supplier.pk)
    if not membership_.role.grants("orders.view"):
        from tradeloop.core.errors import PermissionDenied

        raise PermissionDenied(gettext("your role does not allow orders.view"))
    page = rfq_selectors.supplier_inbox(request.auth, supplier, tab=query.tab, cursor=query.cursor, limit=query.limit)
    return {"items": [_rfq_out(r) for r in page.items], "next_cursor": page.next_cursor}


@seller_router.get(
    "quotes/funnel",
    response={200: FunnelOut, **READ_ERRORS},
    summary="The inquiry funnel by week or month: received, quoted, won, lost, expired, conversion, value won",
)
def funnel(request: HttpRequest, query: Query[FunnelQuery]):
    supplier = selling_organization(request.auth, query.organization)
    f = funnels.supplier_funnel(request.auth, supplier, period=query.period, periods=query.periods)

    def period(b: funnels.Bucket) -> dict:
        return {
            "start": b.start,
            "label": b.label,
            "received": b.received,
            "quoted": b.quoted,
            "won": b.won,
            "lost": b.lost,
            "expired": b.expired,
            "open": b.open,
            "conversion": b.conversion,
            "value_won": [{"amount": a, "currency": c} for c, a in sorted(b.value_won.items())],
        }

    median = f.median_first_response
    return {
        "period": f.period,
        "periods": [period(b) for b in f.buckets],
        "totals": period(f.totals),
        "median_first_response_seconds": int(median.total_seconds()) if median is not None else None,
        "quote_rate": f.quote_rate,
        "win_rate": f.win_rate,
    }
