"""Seller inventory endpoints: the stock table and stock counts per variant, warehouses, stock per warehouse,
adjustments with a reason, movement history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import selling_organization
from tradeloop.catalog.models import Variant
from tradeloop.core.api_schemas import (
    MAX_INT,
    Amount,
    Count,
    Id,
    InputSchema,
    MoneyOut,
    PageOut,
    PageQuery,
    Text,
    errors,
)
from tradeloop.inventory import selectors, services, supply
from tradeloop.inventory.models import Stock, StockMovement, Warehouse

seller_router = Router(auth=SIGNED_IN, tags=["seller"])

Reason = Literal[tuple(str(r.value) for r in services.MANUAL_REASONS)]  # type: ignore[valid-type]
Delta = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)


class WarehouseOut(Schema):
    id: int
    organization_id: int
    code: str
    name: str
    city: str
    address: str
    priority: int = Field(..., description="Orders take stock from the lowest number first")
    is_active: bool

    @staticmethod
    def resolve_organization_id(obj: Warehouse) -> int:
        return obj.seller_id


class WarehouseIn(InputSchema):
    organization: Id
    name: Text = Field(..., max_length=120)
    code: Text = Field("", max_length=30)
    city: Text = Field("", max_length=80)
    address: Text = Field("", max_length=240)
    priority: int = Field(10, ge=0, le=32767)


class WarehousePatch(InputSchema):
    name: Text | None = Field(None, max_length=120)
    city: Text | None = Field(None, max_length=80)
    address: Text | None = Field(None, max_length=240)
    priority: int | None = Field(None, ge=0, le=32767)
    is_active: bool | None = None


class OrganizationQuery(Schema):
    organization: Id


class StockLevelOut(Schema):
    id: int
    variant_id: int
    sku: str
    product_title: str
    warehouse_id: int
    warehouse: str
    on_hand: int
    reserved: int
    available: int
    low_stock_threshold: int
    is_low: bool

    @staticmethod
    def resolve_sku(obj: Stock) -> str:
        return obj.variant.sku

    @staticmethod
    def resolve_product_title(obj: Stock) -> str:
        return obj.variant.product.display_title

    @staticmethod
    def resolve_warehouse(obj: Stock) -> str:
        return obj.warehouse.name

    @staticmethod
    def resolve_is_low(obj: Stock) -> bool:
        return obj.available <= obj.low_stock_threshold


class LevelsQuery(PageQuery):
    organization: Id
    warehouse: Id | None = None
    low: bool = Field(False, description="Only rows at or under their alert level")
    q: Text = Field("", max_length=100, description="A SKU, or words of the product title")


class AdjustmentIn(InputSchema):
    stock_id: Id = Field(..., description="The stock row (variant × warehouse), from seller/stock/levels")
    delta: Delta = Field(..., description="Units to add (goods received) or take away (negative: damaged, lost)")
    reason: Reason
    note: Text = Field("", max_length=200)


class MovementOut(Schema):
    at: datetime
    reason: str
    on_hand_delta: int
    reserved_delta: int
    ref: str
    note: str
    by: str | None

    @staticmethod
    def resolve_by(obj: StockMovement) -> str | None:
        return obj.actor.email if obj.actor else None


class StockQuery(PageQuery):
    organization: Id = Field(..., description="The selling organization")
    q: Text = Field("", max_length=200, description="Part of a SKU or product title")
    low: bool = Field(False, description="Only active variants at or below the low-stock level")


class StockIn(InputSchema):
    stock: Count = Field(
        ..., description="Units available to buy from now on (the default warehouse takes the difference)"
    )


class StockRowOut(MoneyOut):
    variant_id: int
    sku: str
    name: str
    stock: int = Field(..., description="Units available to buy: on hand minus reserved, in active warehouses")
    on_hand: int = Field(0, description="Units on hand across active warehouses")
    reserved: int = Field(0, description="Units held for orders awaiting payment")
    is_active: bool
    price: Amount
    product_id: int
    product_title: str
    product_status: str

    @staticmethod
    def resolve_variant_id(obj: Variant) -> int:
        return obj.pk

    @staticmethod
    def resolve_product_title(obj: Variant) -> str:
        return obj.product.display_title

    @staticmethod
    def resolve_product_status(obj: Variant) -> str:
        return obj.product.status


@seller_router.get(
    "warehouses", response={200: list[WarehouseOut], **READ_ERRORS}, summary="The organization's warehouses"
)
def list_warehouses(request: HttpRequest, query: Query[OrganizationQuery]):
    return selectors.warehouses(actor=request.auth, seller=selling_organization(request.auth, query.organization))


@seller_router.post("warehouses", response={201: WarehouseOut, **WRITE_ERRORS}, summary="Add a warehouse")
def create_warehouse(request: HttpRequest, payload: WarehouseIn):
    data = payload.dict()
    seller = selling_organization(request.auth, data.pop("organization"))
    return Status(201, services.create_warehouse(actor=request.auth, seller=seller, **data))


@seller_router.patch(
    "warehouses/{warehouse_id}",
    response={200: WarehouseOut, **WRITE_ERRORS},
    summary="Rename, re-prioritise or (de)activate a warehouse",
)
def update_warehouse(request: HttpRequest, warehouse_id: Id, payload: WarehousePatch):
    changes = payload.dict(exclude_unset=True)
    return services.update_warehouse(actor=request.auth, warehouse_id=warehouse_id, **changes)


@seller_router.get(
    "stock/levels",
    response={200: PageOut[StockLevelOut], **READ_ERRORS},
    summary="Stock per variant and warehouse (filter by warehouse, low stock, SKU)",
)
def levels(request: HttpRequest, query: Query[LevelsQuery]):
    return selectors.stock_rows(
        actor=request.auth,
        seller=selling_organization(request.auth, query.organization),
        f=selectors.StockFilter(warehouse_id=query.warehouse, low=query.low, q=query.q),
        cursor=query.cursor,
        limit=query.limit,
    )


@seller_router.post(
    "stock/adjustments",
    response={201: StockLevelOut, **WRITE_ERRORS},
    summary="Add or take away units on hand, with a reason (recorded as a stock movement)",
)
def adjust(request: HttpRequest, payload: AdjustmentIn):
    services.adjust(
        actor=request.auth, stock_id=payload.stock_id, delta=payload.delta, reason=payload.reason, note=payload.note
    )
    return Status(201, selectors.stock_row(actor=request.auth, stock_id=payload.stock_id))


@seller_router.get(
    "stock/levels/{stock_id}/movements",
    response={200: list[MovementOut], **READ_ERRORS},
    summary="The latest 50 changes of a stock row, newest first",
)
def movements(request: HttpRequest, stock_id: Id):
    return selectors.movements(actor=request.auth, stock_id=stock_id)


# Registered after stock/levels and stock/adjustments, so that stock/{variant_id} does not take those paths.


@seller_router.get(
    "stock",
    response={200: PageOut[StockRowOut], **READ_ERRORS},
    summary="Every variant of the organization with its stock (needs catalog.manage)",
)
def stock(request: HttpRequest, query: Query[StockQuery]):
    return selectors.variant_stock(
        actor=request.auth,
        seller=selling_organization(request.auth, query.organization),
        q=query.q,
        low=query.low,
        cursor=query.cursor,
        limit=query.limit,
    )


@seller_router.patch(
    "stock/{variant_id}",
    response={200: StockRowOut, **WRITE_ERRORS},
    summary="Set a variant's stock level (a stock count)",
)
def set_stock(request: HttpRequest, variant_id: Id, payload: StockIn):
    services.set_stock(actor=request.auth, variant_id=variant_id, quantity=payload.stock)
    return selectors.variant_stock_row(actor=request.auth, variant_id=variant_id)


# --- supply sources ---------------------------------------------------------------------------------------------


class SupplySourceIn(InputSchema):
    organization: Id = Field(..., description="The merchant (your selling organization)")
    variant_id: Id = Field(..., description="Your own variant, restocked from the supplier")
    supplier_variant_id: Id = Field(..., description="The supplier's variant on the platform you buy")
    units_per_pack: int = Field(1, ge=1, le=supply.MAX_PACK, description="Your units in one of the supplier's")
    note: Text = Field("", max_length=200)


class SupplySourceOut(Schema):
    id: int
    organization_id: int
    variant_id: int
    sku: str
    supplier_variant_id: int
    supplier_sku: str
    supplier: str
    supplier_id: int
    units_per_pack: int
    note: str

    @staticmethod
    def resolve_organization_id(obj) -> int:
        return obj.merchant_id

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.variant.sku

    @staticmethod
    def resolve_supplier_sku(obj) -> str:
        return obj.supplier_variant.sku

    @staticmethod
    def resolve_supplier(obj) -> str:
        return obj.supplier_variant.product.seller.name

    @staticmethod
    def resolve_supplier_id(obj) -> int:
        return obj.supplier_variant.product.seller_id


@seller_router.get(
    "supply-sources",
    response={200: list[SupplySourceOut], **READ_ERRORS},
    summary="Which supplier variant restocks each of your variants (and its pack size)",
)
def list_supply_sources(request: HttpRequest, query: Query[OrganizationQuery]):
    return supply.sources(actor=request.auth, merchant=selling_organization(request.auth, query.organization))


@seller_router.post(
    "supply-sources",
    response={201: SupplySourceOut, **WRITE_ERRORS},
    summary="Link one of your variants to a supplier's variant (409 duplicate_source if that one is linked)",
)
def create_supply_source(request: HttpRequest, payload: SupplySourceIn):
    data = payload.dict()
    merchant = selling_organization(request.auth, data.pop("organization"))
    return Status(201, supply.save_source(actor=request.auth, merchant=merchant, **data))


@seller_router.get("supply-sources/{source_id}", response={200: SupplySourceOut, **READ_ERRORS}, summary="A source")
def get_supply_source(request: HttpRequest, source_id: Id):
    return supply.source(actor=request.auth, source_id=source_id)


@seller_router.put(
    "supply-sources/{source_id}", response={200: SupplySourceOut, **WRITE_ERRORS}, summary="Change a supply source"
)
def replace_supply_source(request: HttpRequest, source_id: Id, payload: SupplySourceIn):
    data = payload.dict()
    merchant = selling_organization(request.auth, data.pop("organization"))
    supply.source(actor=request.auth, source_id=source_id)  # another tenant's: 404 before anything else
    return supply.save_source(actor=request.auth, merchant=merchant, source_id=source_id, **data)


@seller_router.delete(
    "supply-sources/{source_id}", response={204: None, **READ_ERRORS}, summary="Remove a supply source"
)
def delete_supply_source(request: HttpRequest, source_id: Id):
    supply.delete_source(actor=request.auth, source_id=source_id)
    return Status(204, None)
