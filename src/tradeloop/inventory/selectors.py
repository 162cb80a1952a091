"""Reads of stock for the seller console and the API: scoped to the actor's organization, fixed query counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Variant
from tradeloop.catalog.selectors import LOW_STOCK, title_matches
from tradeloop.core.errors import NotFound
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.inventory.models import Stock, StockMovement, Warehouse

CAPABILITY = "catalog.manage"


def warehouses(*, actor: User, seller: Organization) -> list[Warehouse]:
    require(actor, seller, CAPABILITY)
    return list(Warehouse.objects.filter(seller=seller).order_by("priority", "id"))


def _low(qs: QuerySet[Stock]) -> QuerySet[Stock]:
    """At or under the row's own alert level (out of stock included)."""
    return qs.filter(on_hand__lte=F("reserved") + F("low_stock_threshold"))


def _for_sale(seller: Organization) -> QuerySet[Stock]:
    return Stock.objects.filter(
        warehouse__seller=seller, warehouse__is_active=True, variant__is_active=True, variant__product__seller=seller
    )


def low_stock_count(*, actor: User, seller: Organization) -> int:
    """Stock rows at or under their alert level, in active warehouses (the dashboard's alert tile): one query."""
    require(actor, seller, CAPABILITY)
    return _low(_for_sale(seller)).count()


@dataclass(frozen=True)
class StockFilter:
    warehouse_id: int | None = None
    low: bool = False
    q: str = ""  # a SKU or words of the product title


def stock_rows(
    *, actor: User, seller: Organization, f: StockFilter | None = None, cursor: str | None = None, limit: int = 50
) -> Page:
    """The seller's stock rows with variant, product and warehouse: one query per page (keyset)."""
    require(actor, seller, CAPABILITY)
    f = f or StockFilter()
    qs = Stock.objects.filter(warehouse__seller=seller, variant__product__seller=seller).select_related(
        "variant__product", "warehouse"
    )
    if f.warehouse_id:
        qs = qs.filter(warehouse_id=f.warehouse_id)
    if f.low:
        qs = _low(qs.filter(warehouse__is_active=True, variant__is_active=True))
    if q := (f.q or "").strip()[:100]:
        qs = qs.filter(Q(variant__sku__iexact=q) | title_matches(q, prefix="variant__product__"))
    return keyset_page(qs, order=("id",), cursor=cursor, limit=limit)


def stock_row(*, actor: User, stock_id: int) -> Stock:
    stock = Stock.objects.select_related("variant__product", "warehouse__seller").filter(pk=stock_id).first()
    if stock is None:
        raise NotFound("stock row not found", field="stock")
    try:
        require(actor, stock.warehouse.seller, CAPABILITY)
    except NotFound as exc:
        raise NotFound("stock row not found", field="stock") from exc
    return stock


def movements(*, actor: User, stock_id: int, limit: int = 50) -> list[StockMovement]:
    """The latest changes of one stock row, newest first, with who made them (one query after the check)."""
    stock_row(actor=actor, stock_id=stock_id)
    return list(StockMovement.objects.filter(stock_id=stock_id).select_related("actor").order_by("-at", "-id")[:limit])


def variant_stock(
    *,
    actor: User,
    seller: Organization,
    q: str = "",
    low: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """The seller's variants with their stock levels, for the simple stock table: 1 query per page.

    `stock` is what is available (the services keep `Variant.stock` in step); `on_hand` and `reserved` sum the
    variant's stock rows in active warehouses."""
    require(actor, seller, CAPABILITY)
    qs = _with_levels(Variant.objects.filter(product__seller=seller))
    if q:
        qs = qs.filter(Q(sku__icontains=q) | title_matches(q, prefix="product__"))
    if low:
        qs = qs.filter(is_active=True, stock__lte=LOW_STOCK)
    return keyset_page(qs, order=("id",), cursor=cursor, limit=limit)


def variant_stock_row(*, actor: User, variant_id: int) -> Variant:
    """One row of that table (after a stock count); another tenant's variant answers 404."""
    variant = _with_levels(Variant.objects.filter(pk=variant_id)).first()
    if variant is None:
        raise NotFound(gettext("variant not found"), field="variant")
    try:
        require(actor, variant.product.seller_id, CAPABILITY)
    except NotFound as exc:
        raise NotFound(gettext("variant not found"), field="variant") from exc
    return variant


def _with_levels(variants: QuerySet[Variant]) -> QuerySet[Variant]:
    rows = Stock.objects.filter(variant=OuterRef("pk"), warehouse__is_active=True).order_by().values("variant")
    return (
        variants.annotate(
            on_hand=Coalesce(Subquery(rows.annotate(n=Sum("on_hand")).values("n")), 0),
            reserved=Coalesce(Subquery(rows.annotate(n=Sum("reserved")).values("n")), 0),
        )
        .select_related("product")
        .only(
            "id",
            "sku",
            "name",
            "name_zh",
            "stock",
            "price",
            "currency",
            "is_active",
            "product__id",
            "product__title",
            "product__title_zh",
            "product__status",
            "product__seller_id",
        )
    )
