"""Fulfilment endpoints: the seller's shipping methods, shipping an order, parcels, and the carriers' signed webhook."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import membership
from tradeloop.core.api_schemas import (
    Amount,
    AmountIn,
    DecimalOut,
    Id,
    InputSchema,
    LineQuantityIn,
    MoneyOut,
    Text,
    errors,
    line_quantities,
)
from tradeloop.core.errors import ValidationFailed
from tradeloop.fulfilment import selectors, services
from tradeloop.fulfilment.models import Shipment, ShipmentLine, ShippingMethod
from tradeloop.orders import selectors as orders_selectors

router = Router(tags=["fulfilment"])  # buyers' and carriers' side
seller_router = Router(auth=SIGNED_IN, tags=["seller"])

SIGNATURE_HEADER = "X-Carrier-Signature"
Pricing = Literal[tuple(ShippingMethod.Kind.values)]  # type: ignore[valid-type]
READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)


# --- shapes ------------------------------------------------------------------------------------------------------


class BandIO(InputSchema):
    up_to: AmountIn = Field(..., description="Upper bound: grams (weight pricing) or order value (value pricing)")
    rate: AmountIn


class ShippingMethodIn(InputSchema):
    organization: Id = Field(..., description="The selling organization (needs orders.fulfil)")
    name: Text = Field(..., max_length=120, examples=["SF Express"])
    kind: Pricing = Field(
        ShippingMethod.Kind.FLAT, description="flat, weight (bands in grams) or price (bands by value)"
    )
    rate: AmountIn = Field(..., description="The flat rate, or the rate above the last band")
    bands: list[BandIO] = Field(default_factory=list, max_length=services.MAX_BANDS, description="Ascending up_to")
    free_over: AmountIn | None = Field(None, description="Orders worth at least this ship free")
    delivery_days: int = Field(3, ge=0, le=services.MAX_DELIVERY_DAYS)
    is_active: bool = True
    position: int = Field(0, ge=0, le=32767)


class ShippingMethodPatch(InputSchema):
    name: Text | None = Field(None, max_length=120)
    kind: Pricing | None = None
    rate: AmountIn | None = None
    bands: list[BandIO] | None = Field(None, max_length=services.MAX_BANDS)
    free_over: AmountIn | None = None
    delivery_days: int | None = Field(None, ge=0, le=services.MAX_DELIVERY_DAYS)
    is_active: bool | None = None
    position: int | None = Field(None, ge=0, le=32767)


class BandOut(Schema):
    """A band of the method; its rate is in the method's currency (as cleaned when saved)."""

    up_to: DecimalOut = Field(..., description="Grams (weight pricing) or an order value (value pricing)")
    rate: DecimalOut


class ShippingMethodOut(MoneyOut):
    id: int
    organization_id: int
    name: str
    kind: str
    rate: Amount
    bands: list[BandOut]
    free_over: Amount | None
    delivery_days: int
    is_active: bool
    position: int

    @staticmethod
    def resolve_organization_id(obj: ShippingMethod) -> int:
        return obj.seller_id

    @staticmethod
    def resolve_bands(obj: ShippingMethod) -> list[dict]:
        return obj.bands


class ShippingMethodQuery(Schema):
    organization: Id


class ShipmentLineOut(Schema):
    line_id: int
    sku: str
    title: str
    quantity: int

    @staticmethod
    def resolve_line_id(obj: ShipmentLine) -> int:
        return obj.order_line_id

    @staticmethod
    def resolve_sku(obj: ShipmentLine) -> str:
        return obj.order_line.sku

    @staticmethod
    def resolve_title(obj: ShipmentLine) -> str:
        return obj.order_line.product_title


class ShipmentOut(Schema):
    id: int
    order_number: str
    carrier: str
    tracking_number: str
    state: str = Field(..., description="shipped, in_transit, delivered or exception")
    shipped_at: datetime
    delivered_at: datetime | None
    lines: list[ShipmentLineOut]

    @staticmethod
    def resolve_order_number(obj: Shipment) -> str:
        return obj.order.number

    @staticmethod
    def resolve_lines(obj: Shipment) -> list[ShipmentLine]:
        return list(obj.lines.all())


class ShipIn(InputSchema):
    carrier: Text = Field(..., max_length=60, examples=["SF Express"])
    tracking_number: Text = Field(..., max_length=80, examples=["SF1234567890"])
    lines: list[LineQuantityIn] | None = Field(
        None, max_length=500, description="Units per order line; omit to ship everything not shipped yet"
    )


class CarrierEventIn(Schema):
    carrier: Text = Field(..., max_length=60)
    tracking_number: Text = Field(..., max_length=80)
    status: Text = Field(..., max_length=20, description="in_transit, delivered or exception")


# --- helpers -----------------------------------------------------------------------------------------------------


def _input(data: dict) -> services.ShippingMethodInput:
    data = dict(data)
    data.pop("organization", None)
    data["bands"] = [{"up_to": b["up_to"], "rate": b["rate"]} for b in data.get("bands") or []]
    return services.ShippingMethodInput(**data)


def _current(method: ShippingMethod) -> dict:
    return {
        "name": method.name,
        "kind": method.kind,
        "rate": method.rate,
        "bands": list(method.bands),
        "free_over": method.free_over,
        "delivery_days": method.delivery_days,
        "is_active": method.is_active,
        "position": method.position,
    }


def _shipment_out(shipment: Shipment) -> Shipment:
    """Reload with lines (two queries) so the answer shows what left in the parcel."""
    return next(s for s in selectors.order_shipments(shipment.order) if s.pk == shipment.pk)


def _signed(request: HttpRequest) -> bool:
    secret = getattr(settings, "TRADELOOP_CARRIER_SECRET", "")
    given = request.headers.get(SIGNATURE_HEADER, "").removeprefix("sha256=")
    if not secret or not given:
        return False
    expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)


# --- shipping methods --------------------------------------------------------------------------------------------


@seller_router.get(
    "shipping-methods",
    response={200: list[ShippingMethodOut], **READ_ERRORS},
    summary="The organization's shipping methods, active or not (needs orders.fulfil)",
)
def list_shipping_methods(request: HttpRequest, query: Query[ShippingMethodQuery]):
    seller = membership(request.auth, query.organization).organization
    return list(selectors.shipping_methods(actor=request.auth, seller=seller))


@seller_router.post(
    "shipping-methods", response={201: ShippingMethodOut, **WRITE_ERRORS}, summary="Add a shipping method"
)
def create_shipping_method(request: HttpRequest, payload: ShippingMethodIn):
    seller = membership(request.auth, payload.organization).organization
    method = services.create_shipping_method(actor=request.auth, seller=seller, data=_input(payload.dict()))
    return Status(201, method)


@seller_router.patch(
    "shipping-methods/{method_id}",
    response={200: ShippingMethodOut, **WRITE_ERRORS},
    summary="Change a shipping method (fields not sent stay as they are)",
)
def update_shipping_method(request: HttpRequest, method_id: Id, payload: ShippingMethodPatch):
    method = services.seller_shipping_method(actor=request.auth, method_id=method_id)
    changes = payload.dict(exclude_unset=True)
    # null leaves a field as it is, except free_over, where null clears "free over"
    changes = {k: v for k, v in changes.items() if v is not None or k == "free_over"}
    return services.update_shipping_method(
        actor=request.auth, method_id=method.pk, data=_input({**_current(method), **changes})
    )


@seller_router.delete(
    "shipping-methods/{method_id}", response={204: None, **errors(401, 403, 404, 422)}, summary="Delete a method"
)
def delete_shipping_method(request: HttpRequest, method_id: Id):
    services.delete_shipping_method(actor=request.auth, method_id=method_id)
    return Status(204, None)


# --- shipping ----------------------------------------------------------------------------------------------------


@seller_router.post(
    "orders/{order_id}/ship",
    response={201: ShipmentOut, **WRITE_ERRORS},
    summary="Ship units of an order under one tracking number (needs orders.fulfil); partial shipments allowed",
)
def ship(request: HttpRequest, order_id: Id, payload: ShipIn):
    order = orders_selectors.order_for_seller(request.auth, order_id, "orders.fulfil")
    lines = None
    if payload.lines is not None:
        lines = line_quantities(payload.lines)
        if not lines:
            raise ValidationFailed("choose at least one unit to ship, or omit lines to ship everything", field="lines")
    shipment = services.ship(
        actor=request.auth,
        order=order,
        lines=lines,
        carrier=payload.carrier,
        tracking_number=payload.tracking_number,
    )
    return Status(201, _shipment_out(shipment))


@seller_router.get(
    "orders/{order_id}/shipments", response={200: list[ShipmentOut], **READ_ERRORS}, summary="An order's parcels"
)
def seller_order_shipments(request: HttpRequest, order_id: Id):
    order = orders_selectors.order_for_seller(request.auth, order_id, "orders.view")
    return selectors.order_shipments(order)


@seller_router.post(
    "shipments/{shipment_id}/delivered",
    response={200: ShipmentOut, **WRITE_ERRORS},
    summary="Mark a parcel delivered by hand (needs orders.fulfil); the order is delivered with its last parcel",
)
def mark_delivered(request: HttpRequest, shipment_id: Id):
    shipment = services.mark_delivered(actor=request.auth, shipment_id=shipment_id)
    return _shipment_out(shipment)


@router.get(
    "orders/{number}/shipments",
    auth=SIGNED_IN,
    response={200: list[ShipmentOut], **READ_ERRORS},
    summary="The parcels of one of your orders, with carrier and tracking number",
)
def buyer_order_shipments(request: HttpRequest, number: Text):
    order = orders_selectors.order_for_buyer(request.auth, number[:24])
    return selectors.order_shipments(order)


@router.post(
    "fulfilment/carrier-webhook",
    auth=None,
    url_name="carrier_webhook",
    response={200: ShipmentOut, **errors(400, 404, 422)},
    summary="Carriers report parcel status here, signed: X-Carrier-Signature = hex HMAC-SHA256 of the body "
    "with TRADELOOP_CARRIER_SECRET. Repeats and out-of-order reports change nothing.",
)
def carrier_webhook(request: HttpRequest, payload: CarrierEventIn):
    if not _signed(request):
        raise ValidationFailed("bad or missing signature", field=SIGNATURE_HEADER)
    shipment = services.carrier_update(
        carrier=payload.carrier, tracking_number=payload.tracking_number, status=payload.status
    )
    return _shipment_out(shipment)


def sign(body: bytes | str | dict, secret: str | None = None) -> str:
    """The signature a carrier sends (for integrations and tests)."""
    if isinstance(body, dict):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode()
    key = (secret if secret is not None else getattr(settings, "TRADELOOP_CARRIER_SECRET", "")).encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest()
