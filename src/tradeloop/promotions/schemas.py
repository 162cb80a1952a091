"""API shapes for promotions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from tradeloop.core.api_schemas import (
    Amount,
    AmountIn,
    Currency,
    DecimalOut,
    Id,
    InputSchema,
    MoneyOut,
    PageQuery,
    Text,
)
from tradeloop.core.money import quantize
from tradeloop.promotions.models import Promotion

Kind = Literal[tuple(Promotion.Kind.values)]  # type: ignore[valid-type]
Scope = Literal[tuple(Promotion.Scope.values)]  # type: ignore[valid-type]
Status = Literal["running", "scheduled", "ended", "off"]


class StoreRef(Schema):
    id: int
    name: str
    slug: str


class PromotionOut(MoneyOut):
    """A running promotion as buyers see it. `code` is empty for automatic ones."""

    id: int
    name: str
    code: str
    kind: str
    value: DecimalOut = Field(..., description="Percent (0-100) or an amount in `currency`, decimal string")
    buy_quantity: int
    get_quantity: int
    scope: str
    min_spend: Amount
    starts_at: datetime
    ends_at: datetime | None
    stackable: bool
    flash_stock_cap: int | None
    flash_sold: int
    seller: StoreRef | None = Field(None, description="Null: a platform-wide promotion")

    @staticmethod
    def resolve_value(obj: Promotion) -> Decimal:
        return obj.value.normalize() if obj.kind == Promotion.Kind.PERCENT else quantize(obj.value, obj.currency)


class SellerPromotionOut(PromotionOut):
    usage_limit: int | None
    per_customer_limit: int | None
    used_count: int
    is_active: bool
    is_public: bool
    status: Status
    category_ids: list[int]
    product_ids: list[int]

    @staticmethod
    def resolve_category_ids(obj: Promotion) -> list[int]:
        return [c.pk for c in obj.categories.all()]

    @staticmethod
    def resolve_product_ids(obj: Promotion) -> list[int]:
        return [p.pk for p in obj.products.all()]


class PublicPromotionQuery(PageQuery):
    seller: Text | None = Field(None, max_length=80, description="Only this store's promotions (store slug)")


class SellerPromotionQuery(PageQuery):
    organization: Id = Field(..., description="The selling organization")
    status: Status | None = None
    coupons: bool | None = Field(None, description="true: only coupons; false: only automatic promotions")


class PromotionFields(InputSchema):
    code: Text | None = Field(None, max_length=40, description="Empty: applies automatically")
    kind: Kind | None = None
    value: AmountIn | None = Field(None, ge=0)
    buy_quantity: int | None = Field(None, ge=0, le=1000)
    get_quantity: int | None = Field(None, ge=0, le=1000)
    scope: Scope | None = None
    category_ids: list[Id] | None = Field(None, max_length=200)
    product_ids: list[Id] | None = Field(None, max_length=500)
    min_spend: AmountIn | None = Field(None, ge=0)
    currency: Currency | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    usage_limit: int | None = Field(None, ge=1, le=2**31 - 1)
    per_customer_limit: int | None = Field(None, ge=1, le=2**31 - 1)
    flash_stock_cap: int | None = Field(None, ge=1, le=2**31 - 1)
    stackable: bool | None = None
    is_public: bool | None = None


class PromotionIn(PromotionFields):
    organization: Id
    name: Text = Field(..., max_length=120)
    kind: Kind


class PromotionPatch(PromotionFields):
    """Send only what changes; null clears ends_at and the limits."""

    name: Text | None = Field(None, max_length=120)
    is_active: bool | None = None


class ItemIn(InputSchema):
    variant_id: Id
    quantity: int = Field(..., ge=1, le=10_000)


class ValidateIn(InputSchema):
    codes: list[Text] = Field(default_factory=list, max_length=5, examples=[["SPRING10"]])
    items: list[ItemIn] = Field(..., min_length=1, max_length=200)


class PriceAdjustmentOut(MoneyOut):
    label: str
    code: str = Field(..., description="The coupon code (empty for an automatic promotion)")
    promotion_id: int | None
    amount: Amount = Field(..., description="Negative: a discount")
    line_index: int | None = Field(..., description="Index into `lines` of the line discounted (null: the order)")


class PriceLineOut(MoneyOut):
    variant_id: int
    quantity: int
    unit_price: Amount
    discount: Amount
    total: Amount = Field(..., description="unit_price × quantity − discount")


class ProblemOut(Schema):
    code: str
    reason: str = Field(..., description="unknown, not_started, expired, exhausted, customer_limit, min_spend, …")
    message: str


class BreakdownOut(MoneyOut):
    seller: StoreRef
    lines: list[PriceLineOut]
    adjustments: list[PriceAdjustmentOut]
    subtotal: Amount
    discount_total: Amount
    shipping_total: Amount
    total: Amount
    applied: list[int]
    errors: list[str]
    problems: list[ProblemOut]


class ValidateOut(Schema):
    orders: list[BreakdownOut]
    errors: list[str] = Field(..., description="Every problem with the codes, once")
