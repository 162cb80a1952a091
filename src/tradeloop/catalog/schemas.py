"""API shapes for goods: public product cards and details, categories, and the seller's catalog (stock: inventory.api)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

from tradeloop.accounts import marks
from tradeloop.catalog.models import Category, Product, ProductImage
from tradeloop.catalog.selectors import SORTS
from tradeloop.core.api_schemas import (
    MAX_ID,
    Amount,
    AmountIn,
    Count,
    Currency,
    DecimalOut,
    Id,
    InputSchema,
    MoneyOut,
    PageQuery,
    Text,
    media_url,
)
from tradeloop.pricing.schemas import VariantPricingOut

ProductKind = Literal[tuple(Product.Kind.values)]  # type: ignore[valid-type]
ProductStatus = Literal[tuple(Product.Status.values)]  # type: ignore[valid-type]
Condition = Literal[tuple(Product.Condition.values)]  # type: ignore[valid-type]
Sort = Literal[tuple(SORTS)]  # type: ignore[valid-type]
Attributes = dict[Text, Text | int | float | bool]


def _category_ref(value: object) -> object:
    # A category is named by slug or id; a numeric string is an id and must fit one.
    if isinstance(value, str) and value.isdigit() and int(value) > MAX_ID:
        raise ValueError("no such category")
    return value


CategoryRef = Annotated[Id | Annotated[Text, Field(max_length=80)], BeforeValidator(_category_ref)]


def _request(context: dict | None):
    return (context or {}).get("request")


class SellerRef(Schema):
    id: int
    name: str
    slug: str
    kind: str
    city: str
    verified: bool = Field(False, description="The operator verified this seller (its badge)")

    @staticmethod
    def resolve_verified(obj) -> bool:
        seller_id = obj.get("id") if isinstance(obj, dict) else obj.pk
        return seller_id in marks.verified_ids([seller_id])  # trust's cached map: no query


class CategoryBrief(Schema):
    id: int
    slug: str
    name: str

    @staticmethod
    def resolve_name(obj: Category) -> str:
        return obj.label


class CategoryOut(CategoryBrief):
    """One node of the category tree. The list is in tree order: a parent comes before its children."""

    parent_id: int | None
    depth: int = Field(..., description="0 for a top-level category")
    path: str = Field(..., description="Slugs from the root, e.g. food/fruit/")


class ProductCardOut(MoneyOut):
    id: int
    title: str = Field(..., description="The title in English (may be empty when only the Chinese one is given)")
    title_zh: str = Field(..., description="The title in Simplified Chinese (may be empty)")
    display_title: str = Field(
        ..., description="The title in the request's language (Accept-Language), else the other language's"
    )
    slug: str
    kind: str
    condition: str
    price_from: Amount | None = Field(None, description="Lowest variant price")
    compare_at_from: Amount | None = Field(None, description="Original price before discount")
    in_stock: bool
    cover_url: str | None = Field(None, description="Absolute URL of the cover thumbnail")
    rating_avg: DecimalOut = Field(..., examples=["4.50"])
    rating_count: int
    sold_count: int = Field(0, description="Units bought in paid orders (less cancelled ones)")
    created_at: datetime
    seller: SellerRef
    category: CategoryBrief | None

    @staticmethod
    def resolve_cover_url(obj: Product, context) -> str | None:
        return media_url(_request(context), obj.cover)


class VariantOut(MoneyOut):
    id: int
    sku: str
    name: str = Field(..., description="The name in English (may be empty)")
    name_zh: str = Field(..., description="The name in Simplified Chinese (may be empty)")
    display_name: str = Field(..., description="The name in the request's language, else the other language's")
    options: dict
    price: Amount
    compare_at_price: Amount | None = Field(None, description="Original price, shown struck through")
    stock: int


class ImageOut(Schema):
    id: int
    url: str = Field(..., description="Absolute URL of the full image")
    thumbnail_url: str | None = Field(None, description="Absolute URL of a JPEG at most 480×480")
    alt: str
    position: int

    @staticmethod
    def resolve_url(obj: ProductImage, context) -> str:
        return media_url(_request(context), obj.image.name)

    @staticmethod
    def resolve_thumbnail_url(obj: ProductImage, context) -> str | None:
        return media_url(_request(context), obj.thumbnail.name)


class ProductContentOut(Schema):
    """Description and attributes in both languages, and in the request's language with fallback."""

    description: str = Field(..., description="Sanitised HTML, in English")
    description_zh: str = Field(..., description="Sanitised HTML, in Simplified Chinese")
    display_description: str = Field(..., description="The description in the request's language, else the other")
    attributes: dict = Field(..., description="Attribute names and values in English")
    attributes_zh: dict = Field(..., description="Attribute names and values in Simplified Chinese")
    display_attributes: dict = Field(..., description="The attributes in the request's language, else the other")


class ProductDetailOut(ProductCardOut, ProductContentOut):
    published_at: datetime | None
    variants: list[VariantOut]
    images: list[ImageOut]
    pricing: list[VariantPricingOut] = Field(
        default_factory=list, description="Each variant's tier table, order rule and the caller's contract price"
    )


class SellerProductOut(ProductCardOut):
    status: str
    updated_at: datetime


class SellerVariantOut(VariantOut):
    weight_grams: int
    position: int
    is_active: bool


class SellerProductDetailOut(SellerProductOut, ProductContentOut):
    published_at: datetime | None
    variants: list[SellerVariantOut]
    images: list[ImageOut]


class ProductQuery(PageQuery):
    q: Text = Field("", max_length=200, description="Words to find in the title or the seller's name")
    category: Text | None = Field(None, max_length=80, description="Category slug (its subcategories are included)")
    kind: ProductKind | None = None
    seller: Text | None = Field(None, max_length=80, description="Seller (store) slug")
    min_price: AmountIn | None = Field(None, ge=0)
    max_price: AmountIn | None = Field(None, ge=0)
    in_stock: bool = Field(False, description="Only products that can be bought now")
    sort: Sort = "new"


class SellerProductQuery(PageQuery):
    organization: Id = Field(..., description="The selling organization")
    status: ProductStatus | None = None
    q: Text = Field("", max_length=200, description="Words in the title, or an exact SKU")


class VariantIn(InputSchema):
    sku: Text = Field(..., max_length=64, examples=["APPLE-5KG"])
    name: Text = Field("", max_length=120, description="In English", examples=["5 kg box"])
    name_zh: Text = Field("", max_length=120, description="In Simplified Chinese", examples=["5 公斤装"])
    price: AmountIn
    compare_at_price: AmountIn | None = Field(None, description="Original price, shown struck through")
    currency: Currency | None = Field(None, description="Defaults to the product's currency")
    stock: Count = 0
    weight_grams: Count = 0
    options: Attributes = Field(default_factory=dict, examples=[{"size": "5 kg"}])
    is_active: bool = True


class VariantPatch(InputSchema):
    sku: Text | None = Field(None, max_length=64)
    name: Text | None = Field(None, max_length=120)
    name_zh: Text | None = Field(None, max_length=120)
    price: AmountIn | None = None
    compare_at_price: AmountIn | None = None
    currency: Currency | None = None
    stock: Count | None = None
    weight_grams: Count | None = None
    options: Attributes | None = None
    is_active: bool | None = None


class ProductFieldsIn(InputSchema):
    kind: ProductKind | None = None
    condition: Condition | None = None
    description: Text | None = Field(None, max_length=50_000, description="HTML in English; unsafe tags are removed")
    description_zh: Text | None = Field(None, max_length=50_000, description="HTML in Simplified Chinese")
    category: CategoryRef | None = Field(None, description="Category slug or id")
    attributes: Attributes | None = Field(None, description="In English", examples=[{"Origin": "Yantai"}])
    attributes_zh: Attributes | None = Field(None, description="In Simplified Chinese", examples=[{"产地": "烟台"}])
    title_zh: Text | None = Field(None, max_length=200, description="The title in Simplified Chinese")


class ProductIn(ProductFieldsIn):
    organization: Id = Field(..., description="The selling organization")
    title: Text = Field("", max_length=200, description="The title in English; this or title_zh is needed")
    variants: list[VariantIn] = Field(default_factory=list, max_length=100)


class ProductPatch(ProductFieldsIn):
    title: Text | None = Field(None, max_length=200, description="The title in English")
