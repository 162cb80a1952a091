from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Category, Product, ProductImage, Variant, in_language
from tradeloop.core.errors import NotFound, ValidationFailed
from tradeloop.core.pagination import Page, keyset_page

SORTS = {
    "new": ("-created_at", "-id"),
    "price_asc": ("price_from", "id"),
    "price_desc": ("-price_from", "-id"),
    "rating": ("-rating_avg", "-id"),
}
CATEGORY_TREE_KEY = "catalog:category-tree:v1"


@dataclass
class ProductFilters:
    q: str = ""
    category: Category | None = None
    kind: str = ""
    seller: Organization | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool = False
    sort: str = "new"


def _card_query(qs: QuerySet[Product]) -> QuerySet[Product]:
    return qs.select_related("seller", "category").only(
        "id",
        "title",
        "title_zh",
        "slug",
        "kind",
        "status",
        "currency",
        "price_from",
        "compare_at_from",
        "in_stock",
        "cover",
        "rating_avg",
        "rating_count",
        "sold_count",
        "created_at",
        "updated_at",
        "condition",
        "seller__id",
        "seller__name",
        "seller__slug",
        "seller__kind",
        "seller__city",
        "category__id",
        "category__name",
        "category__name_zh",
        "category__slug",
    )


def title_matches(text: str, prefix: str = "") -> Q:
    """Products whose title in either language contains the text (`prefix` reaches them through a relation)."""
    return Q(**{f"{prefix}title__icontains": text}) | Q(**{f"{prefix}title_zh__icontains": text})


def _apply(qs: QuerySet[Product], f: ProductFilters) -> QuerySet[Product]:
    if f.q:
        for word in f.q.split()[:6]:
            qs = qs.filter(title_matches(word) | Q(seller__name__icontains=word))
    if f.category:
        qs = qs.filter(category__path__startswith=f.category.path)
    if f.kind:
        if f.kind not in Product.Kind.values:
            raise ValidationFailed(gettext("unknown kind %(kind)s") % {"kind": repr(f.kind)}, field="kind")
        qs = qs.filter(kind=f.kind)
    if f.seller:
        qs = qs.filter(seller=f.seller)
    if f.min_price is not None:
        qs = qs.filter(price_from__gte=f.min_price)
    if f.max_price is not None:
        qs = qs.filter(price_from__lte=f.max_price)
    if f.in_stock:
        qs = qs.filter(in_stock=True)
    return qs


def _order(sort: str) -> tuple[str, ...]:
    if sort not in SORTS:
        raise ValidationFailed(
            gettext("unknown sort %(sort)s; use one of %(sorts)s") % {"sort": repr(sort), "sorts": ", ".join(SORTS)},
            field="sort",
        )
    return SORTS[sort]


def storefront_products(*, filters: ProductFilters, cursor: str | None = None, limit: int = 24) -> Page:
    """Published products for buyers: 1 query per page whatever its length."""
    qs = _apply(_card_query(Product.objects.published().exclude(price_from=None)), filters)
    return keyset_page(qs, order=_order(filters.sort), cursor=cursor, limit=limit)


def featured_products(limit: int = 8) -> list[Product]:
    qs = _card_query(Product.objects.published().exclude(price_from=None))
    return list(qs.order_by("-is_featured", "-rating_avg", "-created_at", "-id")[:limit])


def product_detail(product_id: int) -> Product:
    product = (
        Product.objects.published()
        .select_related("seller", "category")
        .prefetch_related(
            Prefetch("variants", Variant.objects.filter(is_active=True)),
            Prefetch("images", ProductImage.objects.order_by("position", "id")),
        )
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise NotFound(gettext("product not found"))
    return product


def seller_products(
    *,
    actor: User,
    seller: Organization,
    status: str = "",
    q: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    require(actor, seller, "catalog.manage")
    qs = _card_query(Product.objects.filter(seller=seller))
    if status:
        if status not in Product.Status.values:
            raise ValidationFailed(gettext("unknown status %(status)s") % {"status": repr(status)}, field="status")
        qs = qs.filter(status=status)
    if q:
        sku_match = Variant.objects.filter(product=OuterRef("pk"), sku__iexact=q)
        qs = qs.filter(title_matches(q) | Exists(sku_match))
    return keyset_page(qs, order=("-created_at", "-id"), cursor=cursor, limit=limit)


def seller_product_detail(*, actor: User, product_id: int) -> Product:
    product = (
        Product.objects.select_related("seller", "category")
        .prefetch_related("variants", "images")
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise NotFound(gettext("product not found"))
    try:
        require(actor, product.seller, "catalog.manage")
    except NotFound as exc:
        raise NotFound(gettext("product not found")) from exc
    return product


def categories() -> list[Category]:
    """The whole tree in path order, cached (it is small and read on every page)."""
    tree = cache.get(CATEGORY_TREE_KEY)
    if tree is None:
        tree = list(Category.objects.order_by("path"))
        cache.set(CATEGORY_TREE_KEY, tree, 300)
    return tree


def top_categories() -> list[Category]:
    return [c for c in categories() if c.depth == 0]


def category_by_slug(slug: str) -> Category:
    for category in categories():
        if category.slug == slug:
            return category
    raise NotFound(gettext("category not found"), field="category")


LOW_STOCK = 5


@dataclass
class SellerCatalogOverview:
    """The numbers on a seller's dashboard."""

    products_by_status: dict[str, int]
    variants_out_of_stock: int
    variants_low_stock: int  # active variants with LOW_STOCK units or fewer (out of stock included)
    products_per_category: list[tuple[str, int]]  # (category label or "", products), most first
    stock_by_product: list[tuple[str, int]]  # (title, units in active variants), most first

    @property
    def product_count(self) -> int:
        return sum(self.products_by_status.values())


def seller_catalog_overview(*, actor: User, seller: Organization, top: int = 10) -> SellerCatalogOverview:
    """A fixed handful of aggregate queries, whatever the catalog size."""
    require(actor, seller, "catalog.manage")
    products = Product.objects.filter(seller=seller).order_by()
    by_status = dict(products.values_list("status").annotate(n=Count("id")))
    variants = Variant.objects.filter(product__seller=seller, is_active=True).aggregate(
        out=Count("id", filter=Q(stock=0)), low=Count("id", filter=Q(stock__lte=LOW_STOCK))
    )
    labels = {c.pk: c.label for c in categories()}
    per_category = products.values_list("category_id").annotate(n=Count("id")).order_by("-n", "category_id")[:top]
    units = Coalesce(Sum("variants__stock", filter=Q(variants__is_active=True)), 0)
    stock = products.annotate(units=units).order_by("-units", "-id").values_list("title", "title_zh", "units")[:top]
    return SellerCatalogOverview(
        products_by_status={status: by_status.get(status, 0) for status in Product.Status.values},
        variants_out_of_stock=variants["out"],
        variants_low_stock=variants["low"],
        products_per_category=[(labels.get(category_id, ""), n) for category_id, n in per_category],
        stock_by_product=[(in_language(title, title_zh), n) for title, title_zh, n in stock],
    )


def stock_by_product(*, actor: User, seller: Organization, product_ids: list[int]) -> dict[int, int]:
    """Units in stock across each product's active variants (one query for a whole table page)."""
    require(actor, seller, "catalog.manage")
    rows = (
        Variant.objects.filter(product__seller=seller, product_id__in=product_ids, is_active=True)
        .order_by()
        .values_list("product_id")
        .annotate(units=Sum("stock"))
    )
    return {product_id: units for product_id, units in rows}
