"""Cart, address book and checkout endpoints (a signed-in buyer's own; another buyer's lines answer 404)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Header, Query, Router, Schema, Status
from pydantic import StringConstraints

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.checkout import addresses, cart, purchases, quick_order, requisitions, selectors, services
from tradeloop.checkout.cart import MAX_QUANTITY, CartOwner
from tradeloop.core.api_schemas import (
    Amount,
    Id,
    InputSchema,
    LineQuantityIn,
    MoneyOut,
    PageOut,
    PageQuery,
    PostalAddressIn,
    PostalAddressOut,
    Text,
    errors,
    line_quantities,
)

router = Router(auth=SIGNED_IN, tags=["cart & checkout"])

Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
SellerKey = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,18}$")]  # a seller's id, as a JSON key
READ_ERRORS = errors(401, 404, 422)
WRITE_ERRORS = errors(400, 401, 404, 409, 422)


def _owner(request: HttpRequest) -> CartOwner:
    return CartOwner(user=request.auth)


# --- shapes ------------------------------------------------------------------------------------------------------


class SellerOut(Schema):
    id: int
    name: str
    slug: str


class CartLineOut(MoneyOut):
    id: int
    variant_id: int
    sku: str
    product_id: int
    title: str
    variant_name: str
    quantity: int
    unit_price: Amount
    line_total: Amount
    available: int = Field(..., description="Units that can be bought now")
    problem: str = Field("", description="Why the line cannot be checked out as it is (empty when it can)")


class SellerGroupOut(MoneyOut):
    seller: SellerOut
    subtotal: Amount
    lines: list[CartLineOut]


class CartOut(MoneyOut):
    units: int
    currency: str | None = Field(None, description="Null when the cart mixes currencies (it cannot be checked out)")
    subtotal: Amount | None
    groups: list[SellerGroupOut] = Field(..., description="Lines grouped by seller: one order each at checkout")


def _line(line: selectors.CartLine) -> dict:
    variant = line.variant
    return {
        "id": line.item.pk,
        "variant_id": variant.pk,
        "sku": variant.sku,
        "product_id": variant.product_id,
        "title": line.product.display_title,
        "variant_name": variant.display_name,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "line_total": line.line_total,
        "currency": line.currency,
        "available": line.available,
        "problem": line.problem,
    }


def _cart(view: selectors.CartView) -> dict:
    return {
        "units": view.units,
        "currency": view.currency,
        "subtotal": view.subtotal if view.currency else None,
        "groups": [
            {
                "seller": {"id": g.seller.pk, "name": g.seller.name, "slug": g.seller.slug},
                "currency": g.currency,
                "subtotal": g.subtotal,
                "lines": [_line(line) for line in g.lines],
            }
            for g in view.groups
        ],
    }


def _one_line(request: HttpRequest, item_id: int) -> dict:
    view = selectors.cart_view(_owner(request))
    return next(_line(line) for line in view.lines if line.item.pk == item_id)


class CartItemIn(InputSchema):
    variant_id: Id
    quantity: Quantity = 1


class CartItemPatch(InputSchema):
    quantity: Quantity


class AddressIn(PostalAddressIn):
    pass


class AddressOut(PostalAddressIn):
    id: int


ADDRESS_ID = "One of the buyer's own addresses (`addresses`). Give this or `company_address_id`, not both."
COMPANY_ADDRESS_ID = (
    "For a member buying for an approved company: one of the company's delivery addresses (the `id` of "
    "`companies/{id}/addresses`), instead of `address_id`. Another company's address answers 404."
)


class CheckoutIn(InputSchema):
    address_id: Id | None = Field(None, description=ADDRESS_ID)
    company_address_id: Id | None = Field(None, description=COMPANY_ADDRESS_ID)
    shipping: dict[SellerKey, Id] = Field(
        default_factory=dict,
        description="Seller id → shipping method id; a seller left out gets its first method",
        examples=[{"12": 3}],
    )
    coupon_codes: list[Text] = Field(default_factory=list, max_length=services.MAX_CODES)


class CheckoutQuoteIn(InputSchema):
    address_id: Id | None = Field(None, description=f"Optional here: the address the quote is for. {ADDRESS_ID}")
    company_address_id: Id | None = Field(None, description=f"Optional here. {COMPANY_ADDRESS_ID}")
    shipping: dict[SellerKey, Id] = Field(default_factory=dict, description="Seller id → shipping method id")
    coupon_codes: list[Text] = Field(default_factory=list, max_length=services.MAX_CODES)


class QuoteAdjustmentOut(MoneyOut):
    kind: str = Field(..., description="discount or shipping")
    label: str
    code: str = Field(..., description="The coupon code (empty for an automatic promotion or shipping)")
    amount: Amount = Field(..., description="Negative for a discount")


class QuotePartOut(MoneyOut):
    seller: SellerOut
    shipping_method_id: int | None
    shipping_method: str
    subtotal: Amount
    discount_total: Amount
    shipping_total: Amount
    total: Amount
    adjustments: list[QuoteAdjustmentOut]


class DeliveryAddressOut(PostalAddressOut):
    pass


class CheckoutQuoteOut(MoneyOut):
    total: Amount
    orders: list[QuotePartOut] = Field(..., description="One per seller")
    errors: list[str] = Field(..., description="Coupon codes that do not apply, and why")
    shipping_address: DeliveryAddressOut | None = Field(
        None,
        description="Where the orders would go: the address given as `address_id` or `company_address_id` "
        "(null when none was given); the order keeps this snapshot",
    )


class PlacedOrderOut(Schema):
    number: str
    state: str = Field(
        ...,
        description="pending_payment (paid by this checkout's payment), confirmed (on the company's credit terms: "
        "nothing to pay now) or awaiting_approval (held until a company approver decides)",
    )
    payment_terms: str = Field(..., description="The order's payment terms code (\"\" for a consumer's order)")
    total: Amount


class CheckoutOut(MoneyOut):
    checkout_id: int
    state: str = Field(..., description="awaiting_payment, paid, failed, expired, or placed (nothing to pay now)")
    total: Amount = Field(..., description="What this checkout's payment charges (orders on terms are not in it)")
    orders: list[str] = Field(..., description="The order numbers, one per seller")
    placed: list[PlacedOrderOut] = Field(default_factory=list, description="Each order with its state and terms")
    payment_url: str = Field(
        ...,
        description="Send the buyer here to pay (the provider's hosted page); the confirmation page when "
        "there is nothing to pay now",
    )
    expires_at: datetime = Field(..., description="Unpaid by then, the orders are cancelled and the stock released")


def _quote(quote: services.Quote) -> dict:
    return {
        "currency": quote.currency,
        "total": quote.total,
        "errors": quote.errors,
        "orders": [
            {
                "seller": {"id": p.seller.pk, "name": p.seller.name, "slug": p.seller.slug},
                "shipping_method_id": p.method.pk if p.method else None,
                "shipping_method": p.shipping_label,
                "currency": quote.currency,
                "subtotal": p.breakdown.subtotal,
                "discount_total": p.breakdown.discount_total,
                "shipping_total": p.breakdown.shipping_total,
                "total": p.breakdown.total,
                "adjustments": [
                    {
                        "kind": a.kind,
                        "label": str(a.label),
                        "code": a.code or "",
                        "amount": a.amount,
                        "currency": quote.currency,
                    }
                    for a in p.breakdown.adjustments
                ],
            }
            for p in quote.parts
        ],
    }


# --- cart ---------------------------------------------------------------------------------------------------------


@router.get("cart", response={200: CartOut, **errors(401)}, summary="The cart, grouped by seller, with availability")
def get_cart(request: HttpRequest):
    return _cart(selectors.cart_view(_owner(request)))


@router.delete("cart", response={204: None, **errors(401)}, summary="Empty the cart")
def empty_cart(request: HttpRequest):
    cart.clear_cart(owner=_owner(request))
    return Status(204, None)


@router.post(
    "cart/items",
    response={201: CartLineOut, **WRITE_ERRORS},
    summary="Add units of a variant (adds up with a line already there); 409 out_of_stock beyond what is available",
)
def add_item(request: HttpRequest, payload: CartItemIn):
    item = cart.add_item(owner=_owner(request), variant_id=payload.variant_id, quantity=payload.quantity)
    return Status(201, _one_line(request, item.pk))


# Before cart/items/{item_id}, so that the path is not taken for an item id.


class BulkItemIn(InputSchema):
    variant_id: Id
    quantity: Quantity


class BulkIn(InputSchema):
    items: list[BulkItemIn] = Field(..., min_length=1, max_length=quick_order.MAX_LINES)


@router.post(
    "cart/items/bulk",
    response={201: CartOut, **WRITE_ERRORS},
    summary="Add many lines to the cart at once, all or nothing (quick order); answers the whole cart",
    description="Each line is checked as `POST cart/items` checks one (for sale, stock, minimum order and "
    "multiple, with what the cart holds already). The first bad line refuses the whole request; its error's "
    "`field` is `items.<index>`.",
)
def add_items(request: HttpRequest, payload: BulkIn):
    cart.add_items(
        owner=_owner(request),
        lines=[cart.AddLine(item.variant_id, item.quantity) for item in payload.items],
    )
    return Status(201, _cart(selectors.cart_view(_owner(request))))


@router.patch("cart/items/{item_id}", response={200: CartLineOut, **WRITE_ERRORS}, summary="Change a line's quantity")
def update_item(request: HttpRequest, item_id: Id, payload: CartItemPatch):
    cart.set_quantity(owner=_owner(request), item_id=item_id, quantity=payload.quantity)
    return _one_line(request, item_id)


@router.delete("cart/items/{item_id}", response={204: None, **READ_ERRORS}, summary="Remove a line")
def remove_item(request: HttpRequest, item_id: Id):
    cart.remove_item(owner=_owner(request), item_id=item_id)
    return Status(204, None)


# --- address book ---------------------------------------------------------------------------------------------------


@router.get("addresses", response={200: list[AddressOut], **errors(401)}, summary="The buyer's address book")
def list_addresses(request: HttpRequest):
    return selectors.addresses(request.auth)


@router.post("addresses", response={201: AddressOut, **WRITE_ERRORS}, summary="Add an address")
def add_address(request: HttpRequest, payload: AddressIn):
    return Status(201, addresses.save_address(actor=request.auth, data=payload.dict()))


@router.put("addresses/{address_id}", response={200: AddressOut, **WRITE_ERRORS}, summary="Change an address")
def change_address(request: HttpRequest, address_id: Id, payload: AddressIn):
    return addresses.save_address(actor=request.auth, data=payload.dict(), address_id=address_id)


@router.delete("addresses/{address_id}", response={204: None, **READ_ERRORS}, summary="Delete an address")
def delete_address(request: HttpRequest, address_id: Id):
    addresses.delete_address(actor=request.auth, address_id=address_id)
    return Status(204, None)


# --- checkout ---------------------------------------------------------------------------------------------------------


@router.post(
    "checkout/quote",
    response={200: CheckoutQuoteOut, **WRITE_ERRORS},
    summary="What checking out now would cost: per seller, every discount and shipping charge (nothing is written)",
)
def quote(request: HttpRequest, payload: CheckoutQuoteIn):
    found = services.quote_checkout(
        buyer=request.auth, shipping_choices=payload.shipping, coupon_codes=payload.coupon_codes
    )
    answer = _quote(found)
    if payload.address_id is not None or payload.company_address_id is not None:
        answer["shipping_address"] = addresses.delivery_address(
            request.auth,
            found.contexts,
            address_id=payload.address_id,
            company_address_id=payload.company_address_id,
        )
    return answer


@router.post(
    "checkout",
    response={201: CheckoutOut, **WRITE_ERRORS},
    summary="Place one order per seller, reserve the stock and start one payment (honours Idempotency-Key)",
    description="The orders go to `address_id` (one of the buyer's addresses) or `company_address_id` (for a company "
    "member: one of the company's delivery addresses): exactly one of them (400 `invalid` otherwise; an address "
    "that is not the buyer's or their company's: 404). 409 `out_of_stock` when a line cannot be reserved (nothing "
    "is placed then). Repeating a request with the same `Idempotency-Key` answers with the same checkout: never two "
    "sets of orders, never two charges.",
)
def place(
    request: HttpRequest, payload: CheckoutIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
):
    placed = services.place(
        buyer=request.auth,
        address_id=payload.address_id,
        company_address_id=payload.company_address_id,
        shipping_choices=payload.shipping,
        coupon_codes=payload.coupon_codes,
        key=idempotency_key,
    )
    return Status(201, placed.as_dict())


# --- quick order and requisition lists ----------------------------------------------------------------------------


class QuickLineIn(InputSchema):
    sku: Text = Field(..., max_length=quick_order.MAX_SKU)
    quantity: int = Field(..., ge=0, le=2**31 - 1)


class QuickOrderIn(InputSchema):
    text: str = Field(
        "",
        max_length=quick_order.MAX_TEXT,
        description='"SKU, quantity" lines separated by comma, tab or semicolon; a header line and blank lines are '
        "skipped",
        examples=["SKU, quantity\nAD-24, 50\nAD-16;100"],
    )
    lines: list[QuickLineIn] = Field(
        default_factory=list, max_length=quick_order.MAX_LINES, description="Or the lines as data"
    )
    seller: Id | None = Field(None, description="Only this store's SKUs (a SKU several stores use needs it)")


class LineErrorOut(Schema):
    code: str = Field(
        ...,
        description="unknown_sku, ambiguous_sku, not_for_sale, out_of_stock, bad_line, bad_quantity, below_minimum, "
        "not_a_multiple",
    )
    message: str


class ResolvedLineOut(Schema):
    line: int = Field(..., description="The line number in the text (the first one, when a SKU was written twice)")
    lines: list[int] = Field(..., description="Every line number combined into this one")
    sku: str
    quantity: int | None
    variant_id: int | None
    product_id: int | None
    title: str | None
    variant_name: str | None
    seller: SellerOut | None
    unit_price: Amount | None = Field(None, description="This buyer's unit price (list, tier or contract price)")
    line_total: Amount | None
    currency: str | None
    price_source: str | None = Field(None, description="Where the unit price came from: list, tier, contract")
    available: int
    error: LineErrorOut | None = Field(None, description="Why the line cannot be ordered (null when it can)")


class ResolutionOut(Schema):
    lines: list[ResolvedLineOut]
    valid: int
    invalid: int
    currency: str | None = Field(None, description="Null when the valid lines are in several currencies or none")
    total: Amount | None = Field(None, description="The valid lines' total before promotions")


def _resolved_line(line: quick_order.Resolved) -> dict:
    variant, price = line.variant, line.price
    seller = variant.product.seller if variant is not None else None
    return {
        "line": line.row.number,
        "lines": line.numbers,
        "sku": line.sku,
        "quantity": line.quantity,
        "variant_id": variant.pk if variant else None,
        "product_id": variant.product_id if variant else None,
        "title": variant.product.display_title if variant else None,
        "variant_name": variant.display_name if variant else None,
        "seller": {"id": seller.pk, "name": seller.name, "slug": seller.slug} if seller else None,
        "unit_price": price.unit.amount if price else None,
        "line_total": price.subtotal.amount if price else None,
        "currency": price.unit.currency if price else None,
        "price_source": price.source if price else None,
        "available": line.available,
        "error": {"code": str(line.error), "message": line.message} if line.error else None,
    }


def _resolution(resolution: quick_order.Resolution) -> dict:
    total = resolution.total
    return {
        "lines": [_resolved_line(line) for line in resolution.lines],
        "valid": len(resolution.valid),
        "invalid": len(resolution.invalid),
        "currency": total.currency if total else None,
        "total": total.amount if total else None,
    }


@router.post(
    "quick-order",
    response={200: ResolutionOut, **WRITE_ERRORS},
    summary="Resolve SKU and quantity lines: each with its price for you, or its error (nothing is written)",
    description="Send `text` (pasted or file content: comma, tab or semicolon separated; a header line and blank "
    f"lines are skipped; at most {quick_order.MAX_LINES} lines) or `lines`. A SKU written twice is one line with the "
    "quantities added up. Then add the valid lines with `POST cart/items/bulk`.",
)
def resolve_quick_order(request: HttpRequest, payload: QuickOrderIn):
    if payload.lines:
        rows = quick_order.rows_of([(line.sku, line.quantity) for line in payload.lines])
    else:
        rows = quick_order.parse_text(payload.text)
    return _resolution(quick_order.resolve(actor=request.auth, rows=rows, seller_id=payload.seller))


class RequisitionLineIn(InputSchema):
    variant_id: Id
    quantity: Quantity


class RequisitionListIn(InputSchema):
    name: Text = Field(..., max_length=requisitions.MAX_NAME)
    lines: list[RequisitionLineIn] = Field(..., min_length=1, max_length=quick_order.MAX_LINES)


class RequisitionListOut(Schema):
    id: int
    name: str
    line_count: int
    created_at: datetime
    updated_at: datetime


class RequisitionListDetailOut(RequisitionListOut):
    lines: list[ResolvedLineOut] = Field(..., description="Each line with today's price and availability")
    valid: int
    invalid: int
    currency: str | None
    total: Amount | None


class AddedOut(Schema):
    added: int = Field(..., description="Lines put into the cart")
    skipped: list[ResolvedLineOut] = Field(..., description="Lines that cannot be ordered now, with their error")
    cart: CartOut


def _list_out(found, resolution: quick_order.Resolution) -> dict:
    return {
        "id": found.pk,
        "name": found.name,
        "line_count": len(resolution.lines),
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        **_resolution(resolution),
    }


def _lines_in(payload: RequisitionListIn) -> list[requisitions.LineIn]:
    return [requisitions.LineIn(line.variant_id, line.quantity) for line in payload.lines]


@router.get(
    "requisition-lists", response={200: list[RequisitionListOut], **errors(401)}, summary="Your requisition lists"
)
def list_requisition_lists(request: HttpRequest):
    return list(requisitions.lists(request.auth))


@router.post(
    "requisition-lists", response={201: RequisitionListDetailOut, **WRITE_ERRORS}, summary="Save lines under a name"
)
def create_requisition_list(request: HttpRequest, payload: RequisitionListIn):
    found = requisitions.save_list(actor=request.auth, name=payload.name, lines=_lines_in(payload))
    return Status(201, _list_out(*requisitions.opened(request.auth, found.pk)))


@router.get(
    "requisition-lists/{list_id}",
    response={200: RequisitionListDetailOut, **READ_ERRORS},
    summary="A requisition list with today's prices and availability",
)
def get_requisition_list(request: HttpRequest, list_id: Id):
    return _list_out(*requisitions.opened(request.auth, list_id))


@router.put(
    "requisition-lists/{list_id}",
    response={200: RequisitionListDetailOut, **WRITE_ERRORS},
    summary="Rename a requisition list and replace its lines",
)
def replace_requisition_list(request: HttpRequest, list_id: Id, payload: RequisitionListIn):
    requisitions.save_list(actor=request.auth, name=payload.name, lines=_lines_in(payload), list_id=list_id)
    return _list_out(*requisitions.opened(request.auth, list_id))


@router.delete("requisition-lists/{list_id}", response={204: None, **READ_ERRORS}, summary="Delete a list")
def delete_requisition_list(request: HttpRequest, list_id: Id):
    requisitions.delete_list(actor=request.auth, list_id=list_id)
    return Status(204, None)


@router.post(
    "requisition-lists/{list_id}/add-to-cart",
    response={201: AddedOut, **WRITE_ERRORS},
    summary="Put every line that can be ordered now into the cart; the others are answered with their error",
)
def requisition_list_to_cart(request: HttpRequest, list_id: Id):
    items, skipped = requisitions.add_to_cart(actor=request.auth, list_id=list_id)
    return Status(
        201,
        {
            "added": len(items),
            "skipped": [_resolved_line(line) for line in skipped],
            "cart": _cart(selectors.cart_view(_owner(request))),
        },
    )


class PayOrdersIn(InputSchema):
    orders: list[Annotated[Text, StringConstraints(min_length=1, max_length=24)]] = Field(
        ..., min_length=1, max_length=50, description="Order numbers waiting for payment (pending_payment)"
    )


@router.post(
    "checkout/pay-orders",
    response={201: CheckoutOut, **WRITE_ERRORS},
    summary="Start one payment for orders placed earlier that wait for it (honours Idempotency-Key)",
    description="For a company's prepay orders: one from an accepted quote, or one approved after it was held. "
    "404 for another buyer's order; 409 `not_payable` when an order does not wait for payment (or its payment date "
    "passed), 409 `payment_in_progress` while a payment for one of them is still open.",
)
def pay_orders(
    request: HttpRequest, payload: PayOrdersIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
):
    found = selectors.buyer_orders_by_number(request.auth, payload.orders)
    placed = services.pay_placed_orders(found, request.auth, key=idempotency_key)
    return Status(201, placed.as_dict())


# --- purchases (a merchant's orders as a buyer) and goods receipts ------------------------------------------------


class PurchaseQuery(PageQuery):
    organization: Id = Field(..., description="Your selling organization (the orders it placed as a buyer)")


class OrgQuery(Schema):
    organization: Id


class PurchaseLineOut(MoneyOut):
    line_id: int
    sku: str
    title: str
    supplier_variant_id: int
    quantity: int
    unit_price: Amount
    shipped: int
    received: int = Field(..., description="Units received so far (the supplier's units)")
    to_receive: int = Field(..., description="Shipped minus received")
    variant_id: int | None = Field(None, description="Your variant the goods restock (from your supply sources)")
    units_per_pack: int | None


class PurchaseOut(MoneyOut):
    id: int
    number: str
    state: str
    supplier: SellerOut
    placed_at: datetime
    total: Amount
    payment_terms: str
    lines: list[PurchaseLineOut]


class ReceiptLineOut(Schema):
    line_id: int | None
    supplier_variant_id: int
    variant_id: int
    quantity: int = Field(..., description="Received, in the supplier's units")
    units: int = Field(..., description="Added to your stock (quantity × units per pack)")


class ReceiptOut(Schema):
    id: int
    warehouse_id: int
    reference: str
    note: str
    received_at: datetime
    lines: list[ReceiptLineOut]


class PurchaseDetailOut(PurchaseOut):
    receipts: list[ReceiptOut]


class ReceiptIn(InputSchema):
    organization: Id
    warehouse_id: Id
    lines: list[LineQuantityIn] = Field(..., min_length=1, max_length=200)
    reference: Text = Field("", max_length=80, description="The supplier's delivery note")
    note: Text = Field("", max_length=200)


def _purchase(order, lines: list) -> dict:
    return {
        "id": order.pk,
        "number": order.number,
        "state": order.state,
        "supplier": {"id": order.seller.pk, "name": order.seller.name, "slug": order.seller.slug},
        "placed_at": order.placed_at,
        "total": order.total,
        "currency": order.currency,
        "payment_terms": order.payment_terms,
        "lines": [
            {
                "line_id": p.line.pk,
                "sku": p.line.sku,
                "title": p.line.product_title,
                "supplier_variant_id": p.line.variant_id,
                "quantity": p.line.quantity,
                "unit_price": p.line.unit_price,
                "currency": order.currency,
                "shipped": p.line.quantity_shipped,
                "received": p.received,
                "to_receive": p.to_receive,
                "variant_id": p.source.variant_id if p.source else None,
                "units_per_pack": p.source.units_per_pack if p.source else None,
            }
            for p in lines
        ],
    }


def _merchant(request: HttpRequest, organization: int):
    from tradeloop.accounts.selectors import selling_organization

    return selling_organization(request.auth, organization)


@router.get(
    "seller/purchases",
    response={200: PageOut[PurchaseOut], **READ_ERRORS},
    summary="Orders your organization placed as a buyer (restocking), with what each line received",
    tags=["seller"],
)
def list_purchases(request: HttpRequest, query: Query[PurchaseQuery]):
    page, lines = purchases.purchase_orders(
        actor=request.auth, merchant=_merchant(request, query.organization), cursor=query.cursor, limit=query.limit
    )
    return {"items": [_purchase(o, lines[o.pk]) for o in page.items], "next_cursor": page.next_cursor}


@router.get(
    "seller/purchases/{order_id}",
    response={200: PurchaseDetailOut, **READ_ERRORS},
    summary="A purchase order with its lines and goods receipts",
    tags=["seller"],
)
def get_purchase(request: HttpRequest, order_id: Id, query: Query[OrgQuery]):
    merchant = _merchant(request, query.organization)
    order, lines = purchases.purchase_order(actor=request.auth, merchant=merchant, order_id=order_id)
    receipts = purchases.receipts_of(actor=request.auth, merchant=merchant, order=order, lines=lines)
    return {**_purchase(order, lines), "receipts": receipts}


@router.post(
    "seller/purchases/{order_id}/receipts",
    response={201: ReceiptOut, **WRITE_ERRORS},
    summary="Receive goods of a purchase order into your warehouse (honours Idempotency-Key)",
    description="Each line's `quantity` is in the supplier's units; your stock of the linked variant rises by "
    "quantity × units per pack. Partial receipts are fine; a line never receives more than shipped minus received "
    "(409 `over_receipt`). 400 `no_supply_source` for a line whose SKU is not linked to one of your variants; "
    "409 `not_receivable` before anything shipped.",
    tags=["seller"],
)
def create_receipt(
    request: HttpRequest,
    order_id: Id,
    payload: ReceiptIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    quantities = line_quantities(payload.lines)
    status, body = purchases.receive(
        actor=request.auth,
        merchant=_merchant(request, payload.organization),
        order_id=order_id,
        quantities=quantities,
        warehouse_id=payload.warehouse_id,
        reference=payload.reference,
        note=payload.note,
        key=idempotency_key,
    )
    return Status(201, body)
