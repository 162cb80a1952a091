"""Order endpoints: the buyer's order history, and the seller's order desk (filter by status, search)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import selling_organization
from tradeloop.core.api_schemas import Amount, DecimalOut, Id, InputSchema, MoneyOut, PageOut, PageQuery, Text, errors
from tradeloop.orders import selectors, services
from tradeloop.orders.models import Adjustment, Order, OrderLine

router = Router(auth=SIGNED_IN, tags=["orders"])
seller_router = Router(auth=SIGNED_IN, tags=["seller"])

StateFilter = Literal[tuple(Order.State.values)]  # type: ignore[valid-type]
READ_ERRORS = errors(401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)


class OrderLineOut(MoneyOut):
    id: int = Field(..., description="The line's id: name it when shipping part of an order or returning goods")
    variant_id: int
    sku: str
    title: str
    variant_name: str
    quantity: int
    unit_price: Amount
    discount: Amount = Field(..., description="The part of the order's discounts given on this line")
    line_total: Amount = Field(..., description="unit_price × quantity, before the discount")
    total: Amount = Field(..., description="line_total − discount: what the line costs the buyer, before shipping")
    quantity_shipped: int
    quantity_returned: int

    @staticmethod
    def resolve_title(obj: OrderLine) -> str:
        return obj.product_title

    @staticmethod
    def resolve_currency(obj: OrderLine) -> str:
        return obj.order.currency

    @staticmethod
    def resolve_total(obj: OrderLine) -> Decimal:
        return obj.line_total - obj.discount


class OrderAdjustmentOut(MoneyOut):
    kind: str = Field(..., description="discount (negative) or shipping")
    label: str
    code: str = Field(..., description="The coupon code (empty for an automatic promotion or shipping)")
    promotion_id: int | None = Field(..., description="The promotion behind a discount")
    line_id: int | None = Field(..., description="The line a discount was given on (null: the whole order)")
    amount: Amount = Field(..., description="Negative for a discount")

    @staticmethod
    def resolve_currency(obj: Adjustment) -> str:
        return obj.order.currency


class OrderOut(MoneyOut):
    id: int
    number: str
    mode: str
    state: str
    payment_terms: str = Field(
        ..., description="Payment terms code (prepay, net30, deposit30-net30…); empty for B2C: paid before shipping"
    )
    buyer_org_id: int | None = Field(..., description="The company the order was bought for (B2B)")
    seller_id: int
    seller_name: str
    buyer_email: str
    subtotal: Amount
    discount_total: Amount
    shipping_total: Amount
    total: Amount
    refunded_total: Amount
    shipping_method: str
    placed_at: datetime
    payment_due_at: datetime | None
    confirmed_at: datetime | None = Field(..., description="Confirmed on credit terms (ships unpaid)")
    paid_at: datetime | None
    ship_by: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_seller_name(obj: Order) -> str:
        return obj.seller.name

    @staticmethod
    def resolve_buyer_email(obj: Order) -> str:
        return obj.buyer.email

    @staticmethod
    def resolve_lines(obj: Order) -> list[OrderLine]:
        lines = list(obj.lines.all())
        for line in lines:
            line.order = obj  # the lines' currency is the order's: no query per line
        return lines


class EventOut(Schema):
    at: datetime
    old: str
    new: str
    reason: str
    by: str | None = Field(None, description="Who made the change (null: the platform)")


class OrderDetailOut(OrderOut):
    shipping_address: dict
    commission_rate: DecimalOut = Field(..., description="The platform's share, a fraction (0.05 is 5%)")
    adjustments: list[OrderAdjustmentOut] = Field(..., description="Every discount and shipping charge")
    timeline: list[EventOut] = Field(..., description="Every state change, oldest first")

    @staticmethod
    def resolve_adjustments(obj: Order) -> list[Adjustment]:
        adjustments = list(obj.adjustments.all())
        for a in adjustments:
            a.order = obj
        return adjustments

    @staticmethod
    def resolve_timeline(obj: Order) -> list[dict]:
        return [
            {"at": e.at, "old": e.old, "new": e.new, "reason": e.reason, "by": e.actor.email if e.actor else None}
            for e in selectors.timeline(obj)
        ]


class OrdersQuery(PageQuery):
    status: StateFilter | None = None


class DeskQuery(PageQuery):
    organization: Id
    status: StateFilter | None = None
    q: Text = Field("", max_length=100, description="An order number, the buyer's e-mail or a SKU")


class CancelIn(InputSchema):
    reason: Text = Field(..., min_length=1, max_length=300)


# --- the buyer ---------------------------------------------------------------------------------------------------


@router.get("orders", response={200: PageOut[OrderOut], **READ_ERRORS}, summary="My orders, newest first")
def my_orders(request: HttpRequest, query: Query[OrdersQuery]):
    return selectors.buyer_orders(actor=request.auth, state=query.status, cursor=query.cursor, limit=query.limit)


@router.get(
    "orders/{number}", response={200: OrderDetailOut, **READ_ERRORS}, summary="One of my orders, with its timeline"
)
def my_order(request: HttpRequest, number: Text):
    return selectors.order_for_buyer(request.auth, number[:24])


@router.post(
    "orders/{number}/cancel",
    response={200: OrderDetailOut, **WRITE_ERRORS},
    summary="Cancel my order before it ships (a paid order is refunded)",
)
def cancel_my_order(request: HttpRequest, number: Text):
    order = selectors.order_for_buyer(request.auth, number[:24])
    services.cancel(order=order, actor=request.auth, reason="cancelled by the buyer")
    return selectors.order_for_buyer(request.auth, order.number)


# --- the seller's order desk ---------------------------------------------------------------------------------------


@seller_router.get(
    "orders",
    response={200: PageOut[OrderOut], **READ_ERRORS},
    summary="The order desk: the organization's orders, filtered by status and searched (needs orders.view)",
)
def desk(request: HttpRequest, query: Query[DeskQuery]):
    return selectors.seller_orders(
        actor=request.auth,
        seller=selling_organization(request.auth, query.organization),
        f=selectors.DeskFilter(state=query.status, q=query.q),
        cursor=query.cursor,
        limit=query.limit,
    )


@seller_router.get(
    "orders/{order_id}", response={200: OrderDetailOut, **READ_ERRORS}, summary="One order, with its timeline"
)
def desk_order(request: HttpRequest, order_id: Id):
    return selectors.order_for_seller(request.auth, order_id)


@seller_router.post(
    "orders/{order_id}/cancel",
    response={200: OrderDetailOut, **WRITE_ERRORS},
    summary="Cancel an order (refunded if paid; needs orders.fulfil)",
)
def desk_cancel(request: HttpRequest, order_id: Id, payload: CancelIn):
    order = selectors.order_for_seller(request.auth, order_id, "orders.fulfil")
    services.cancel(order=order, actor=request.auth, reason=payload.reason)
    return selectors.order_for_seller(request.auth, order_id)
