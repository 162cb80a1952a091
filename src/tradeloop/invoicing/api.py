"""Invoice endpoints: the buying organization's invoices (list, one, PDF, pay online); the seller's invoice desk
(list, one, record an offline payment)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Field, Header, Query, Router, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import membership
from tradeloop.core.api_schemas import Amount, Id, InputSchema, MoneyOut, PageOut, PageQuery, Text, errors
from tradeloop.core.idempotency import replay_or_run
from tradeloop.core.money import parse_amount
from tradeloop.invoicing import selectors, services
from tradeloop.invoicing.models import Invoice, InvoiceLine, InvoicePayment

router = Router(auth=SIGNED_IN, tags=["invoices"])
seller_router = Router(auth=SIGNED_IN, tags=["seller"])

IDEMPOTENCY = Header(None, alias="Idempotency-Key")
StatusFilter = Literal[selectors.FILTERS]  # type: ignore[valid-type]
PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "The invoice as a PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class InvoiceLineOut(MoneyOut):
    kind: str = Field(..., description="item, shipping, discount or deposit")
    sku: str
    description: str
    quantity: int
    unit_price: Amount
    amount: Amount = Field(..., description="Negative for a discount or a deposit already invoiced")

    @staticmethod
    def resolve_currency(obj: InvoiceLine) -> str:
        return obj.invoice.currency


class InvoicePaymentOut(MoneyOut):
    id: int
    method: str = Field(..., description="online (through the payment provider) or offline (recorded by the seller)")
    amount: Amount
    reference: str
    received_at: datetime


class InvoiceData(MoneyOut):
    """An invoice as plain values (what an idempotent replay stores and answers)."""

    id: int
    number: str = Field(..., description="Gapless per seller and year, e.g. ACME-2026-000001")
    kind: str = Field(..., description="full, deposit or balance")
    state: str = Field(..., description="issued (unpaid), partially_paid, paid or void")
    overdue: bool = Field(..., description="Open and past its due date")
    order_number: str
    seller_id: int
    seller_name: str
    buyer_org_id: int
    buyer_org_name: str
    payment_terms: str
    total: Amount
    paid_amount: Amount
    open_amount: Amount
    issued_at: datetime
    due_at: datetime
    paid_at: datetime | None


class InvoiceLineData(MoneyOut):
    kind: str
    sku: str
    description: str
    quantity: int
    unit_price: Amount
    amount: Amount


class InvoiceDetailData(InvoiceData):
    lines: list[InvoiceLineData]
    payments: list[InvoicePaymentOut]
    seller_details: dict
    buyer_details: dict


class InvoiceOut(InvoiceData):
    @staticmethod
    def resolve_order_number(obj: Invoice) -> str:
        return obj.order.number

    @staticmethod
    def resolve_seller_name(obj: Invoice) -> str:
        return obj.seller.name

    @staticmethod
    def resolve_buyer_org_name(obj: Invoice) -> str:
        return obj.buyer_org.name


class InvoiceDetailOut(InvoiceOut):
    lines: list[InvoiceLineOut]
    payments: list[InvoicePaymentOut]
    seller_details: dict
    buyer_details: dict

    @staticmethod
    def resolve_lines(obj: Invoice) -> list[InvoiceLine]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_payments(obj: Invoice) -> list[InvoicePayment]:
        return list(obj.payments.all())


class InvoiceQuery(PageQuery):
    status: StatusFilter | None = Field(None, description="unpaid (issued or partially paid), overdue, paid or void")


class SellerInvoiceQuery(InvoiceQuery):
    organization: Id


class PayIn(InputSchema):
    return_url: Text = Field("", max_length=300, description="Where the provider sends the payer back")


class PaymentStartedOut(MoneyOut):
    payment_id: int
    amount: Amount = Field(..., description="What is open on the invoice")
    redirect_url: str = Field(..., description="Send the payer here (the provider's payment page)")


class OfflinePaymentIn(InputSchema):
    amount: Text = Field(..., max_length=30, description="Decimal string, at most what is open", examples=["400.00"])
    reference: Text = Field(..., max_length=services.MAX_REFERENCE, description="E.g. the bank transfer's reference")
    received_at: datetime | None = Field(None, description="When the money came; default now")


class PdfQuery(InputSchema):
    lang: Literal["en", "zh-hans"] | None = Field(None, description="Label language; default the request's")


def _detail_body(invoice: Invoice, actor, *, seller: bool) -> dict:
    fresh = (
        selectors.invoice_for_seller(actor, invoice.pk) if seller else selectors.invoice_for_buyer(actor, invoice.pk)
    )
    return InvoiceDetailOut.from_orm(fresh).model_dump(mode="json")


@router.get(
    "invoices",
    response={200: PageOut[InvoiceOut], **errors(400, 401, 422)},
    summary="Invoices to your organizations, newest first (members with finance.view or purchasing)",
)
def my_invoices(request: HttpRequest, query: Query[InvoiceQuery]):
    return selectors.buyer_invoices(actor=request.auth, status=query.status, cursor=query.cursor, limit=query.limit)


@router.get(
    "invoices/{invoice_id}",
    response={200: InvoiceDetailOut, **errors(401, 404, 422)},
    summary="One invoice to your organization, with its lines and payments",
)
def my_invoice(request: HttpRequest, invoice_id: Id):
    return selectors.invoice_for_buyer(request.auth, invoice_id)


@router.get(
    "invoices/{invoice_id}/pdf",
    response={**errors(401, 404, 422)},
    openapi_extra=PDF_RESPONSE,
    summary="The invoice as a PDF (its buyer organization or its seller's finance.view members)",
)
def invoice_pdf(request: HttpRequest, invoice_id: Id, query: Query[PdfQuery]):
    invoice = selectors.invoice_for_reader(request.auth, invoice_id)
    from tradeloop.invoicing.pdf import render_pdf  # ReportLab (16 MB) only in a process that draws a PDF

    response = HttpResponse(render_pdf(invoice, query.lang or get_language() or "en"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response


@router.post(
    "invoices/{invoice_id}/pay",
    response={201: PaymentStartedOut, **errors(400, 401, 404, 409, 422)},
    summary="Pay what is open on the invoice through the payment provider (honours Idempotency-Key)",
)
def pay_invoice(
    request: HttpRequest, invoice_id: Id, payload: PayIn | None = None, idempotency_key: str | None = IDEMPOTENCY
):
    return_url = payload.return_url if payload else ""

    def run() -> tuple[int, dict]:
        payment, url = services.start_online_payment(actor=request.auth, invoice_id=invoice_id, return_url=return_url)
        body = PaymentStartedOut(
            payment_id=payment.pk, amount=payment.amount, currency=payment.currency, redirect_url=url
        )
        return 201, body.model_dump(mode="json")

    status, body = replay_or_run(
        user=request.auth,
        scope=f"invoices:{invoice_id}:pay",
        key=idempotency_key,
        request_data={"return_url": return_url},
        run=run,
    )
    return Status(status, body)


@seller_router.get(
    "invoices",
    response={200: PageOut[InvoiceOut], **errors(400, 401, 403, 404, 422)},
    summary="The organization's invoices, newest first (needs finance.view)",
)
def seller_invoices(request: HttpRequest, query: Query[SellerInvoiceQuery]):
    seller = membership(request.auth, query.organization).organization
    return selectors.seller_invoices(
        actor=request.auth, seller=seller, status=query.status, cursor=query.cursor, limit=query.limit
    )


@seller_router.get(
    "invoices/{invoice_id}",
    response={200: InvoiceDetailOut, **errors(401, 403, 404, 422)},
    summary="One of the organization's invoices, with its lines and payments (needs finance.view)",
)
def seller_invoice(request: HttpRequest, invoice_id: Id):
    return selectors.invoice_for_seller(request.auth, invoice_id)


@seller_router.post(
    "invoices/{invoice_id}/payments",
    response={201: InvoiceDetailData, **errors(400, 401, 403, 404, 409, 422)},
    summary="Record money received outside the platform (e.g. a bank transfer) with its reference "
    "(needs finance.manage; honours Idempotency-Key)",
)
def record_payment(
    request: HttpRequest, invoice_id: Id, payload: OfflinePaymentIn, idempotency_key: str | None = IDEMPOTENCY
):
    amount = parse_amount(payload.amount)

    def run() -> tuple[int, dict]:
        made = services.record_offline_payment(
            actor=request.auth,
            invoice_id=invoice_id,
            amount=amount,
            reference=payload.reference,
            received_at=payload.received_at,
        )
        return 201, _detail_body(made.invoice, request.auth, seller=True)

    status, body = replay_or_run(
        user=request.auth,
        scope=f"invoices:{invoice_id}:payments",
        key=idempotency_key,
        request_data=payload.model_dump(mode="json"),
        run=run,
    )
    return Status(status, body)
