"""API shapes for price lists, quantity tiers, order rules and a product's price table."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from tradeloop.core.api_schemas import Amount, AmountIn, Currency, Id, InputSchema, MoneyOut, PageQuery, Text

Quantity = int  # documented by Field bounds where used


class CompanyRef(Schema):
    id: int
    name: str
    slug: str


class PriceListSellerRef(Schema):
    id: int
    name: str
    slug: str


class PriceListOut(Schema):
    id: int
    name: str
    currency: str
    priority: int = Field(..., description="When several lists price the same item, the highest priority wins")
    valid_from: datetime | None = Field(None, description="Null: valid from the start")
    valid_until: datetime | None = Field(None, description="Null: no end")
    is_active: bool
    entry_count: int = Field(..., description="How many prices the list holds")
    created_at: datetime


class SellerPriceListOut(PriceListOut):
    buyers: list[CompanyRef] = Field(..., description="The companies whose members buy at these prices")

    @staticmethod
    def resolve_buyers(obj) -> list:
        return list(obj.buyers.all())


class BuyerPriceListOut(PriceListOut):
    seller: PriceListSellerRef


class PriceEntryOut(MoneyOut):
    id: int
    variant_id: int
    sku: str
    min_quantity: int = Field(..., description="The price applies from this many units (1: the contract price)")
    unit_price: Amount

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.variant.sku

    @staticmethod
    def resolve_currency(obj) -> str:
        return obj.price_list.currency


class PriceListFields(InputSchema):
    currency: Currency | None = None
    priority: int | None = Field(None, ge=0, le=1000)
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    is_active: bool | None = None


class PriceListIn(PriceListFields):
    organization: Id = Field(..., description="The selling organization")
    name: Text = Field(..., max_length=120)
    buyers: list[Id | Text] | None = Field(None, max_length=500, description="Company ids or slugs")


class PriceListPatch(PriceListFields):
    """Send only what changes; null clears valid_from / valid_until."""

    name: Text | None = Field(None, max_length=120)


class EntryIn(InputSchema):
    variant_id: Id | None = Field(None, description="The variant; or give its `sku`")
    sku: Text | None = Field(None, max_length=64)
    min_quantity: int = Field(1, ge=1, le=10_000, description="From this many units (default 1)")
    unit_price: AmountIn = Field(..., ge=0)


class EntriesIn(InputSchema):
    entries: list[EntryIn] = Field(..., max_length=2000, description="Replaces every price of the list")


class BuyersIn(InputSchema):
    buyers: list[Id | Text] = Field(..., max_length=500, description="Company ids or slugs; replaces the assignment")


class SellerListQuery(PageQuery):
    organization: Id = Field(..., description="The selling organization")


class EntriesQuery(PageQuery):
    limit: int = Field(100, ge=1, le=100, description="Items per page (1–100)")


class TierOut(MoneyOut):
    min_quantity: int
    max_quantity: int | None = Field(None, description="Null: and more")
    unit_price: Amount
    source: str = Field(..., description="list, tier or contract")


class VariantPricingOut(Schema):
    """A variant's prices before promotions: the public tier table from the minimum order quantity, the order rule,
    and for a signed-in member of a company with a contract list the caller's own prices."""

    variant_id: int
    currency: str
    min_quantity: int = Field(..., description="Minimum order quantity (1: none)")
    multiple: int = Field(..., description="Order in multiples of this (1: any quantity)")
    rule: str = Field(..., description="The rule in words, in the request's language (empty: none)")
    tiers: list[TierOut] = Field(..., description="Public prices by quantity")
    contract_price: Amount | None = Field(None, description="The caller's contract unit price at the minimum")
    price_list: str = Field("", description="The name of the caller's price list that gives `contract_price`")
    contract_tiers: list[TierOut] = Field(..., description="The caller's prices by quantity (empty: no contract)")


class TierIn(InputSchema):
    min_quantity: int = Field(..., ge=2, le=10_000)
    unit_price: AmountIn = Field(..., ge=0)


class VariantTiersIn(InputSchema):
    tiers: list[TierIn] = Field(..., max_length=20, description="Replaces the public tiers")
    min_quantity: int | None = Field(None, ge=1, le=10_000, description="Minimum order quantity (default: multiple)")
    multiple: int | None = Field(None, ge=1, le=10_000, description="Order multiple (default 1)")


class SellerTierOut(MoneyOut):
    min_quantity: int
    unit_price: Amount


class VariantTiersOut(MoneyOut):
    variant_id: int
    sku: str
    list_price: Amount
    min_quantity: int
    multiple: int
    tiers: list[SellerTierOut]
