"""Reads for a decorated store page: the published design (or, for the store's own members, the draft with
?preview=1), with the products, categories and coupons its sections show, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.core.files.storage import default_storage

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import memberships_of, require
from tradeloop.catalog import selectors as catalog_selectors
from tradeloop.catalog.models import Category, Product
from tradeloop.conversations.selectors import ResponseTime, public_response_time
from tradeloop.promotions import selectors as promotion_selectors
from tradeloop.promotions.models import Promotion
from tradeloop.storefront.design import MANAGE, shade
from tradeloop.storefront.models import StoreDesign

DESIGN_TTL = 3600


@dataclass
class Section:
    type: str
    heading: str = ""
    text: str = ""
    image_url: str = ""
    tone: str = "info"
    products: list[Product] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)


@dataclass
class StorePage:
    sections: list[Section]
    style: str  # CSS custom properties for the page wrapper ("" keeps the site's colours)
    preview: bool
    coupons: list[Promotion]
    response_time: ResponseTime
    published: bool

    @property
    def places_coupons(self) -> bool:
        return any(s.type == "coupon_strip" for s in self.sections)


def is_member(actor: User | None, seller: Organization) -> bool:
    return any(m.organization_id == seller.pk for m in memberships_of(actor)) if actor else False


def theme_style(primary: str, accent: str) -> str:
    """The design's colours as the design system's custom properties (values are validated #rrggbb)."""
    if not primary:
        return ""
    return (
        f"--color-brand: {primary}; --color-brand-strong: {shade(primary, 0.8)}; "
        f"--color-brand-soft: {shade(primary, 1.9)}; --color-price: {primary}; --hero-background: {accent or primary};"
    )


def _featured(seller: Organization, sections: list[dict], now: datetime) -> dict[int, Product]:
    ids = {pid for s in sections if s["type"] == "featured_products" for pid in s.get("product_ids", [])}
    if not ids:
        return {}
    products = list(Product.objects.published().filter(seller=seller, pk__in=ids).select_related("seller", "category"))
    promotion_selectors.annotate_cards(products, now=now)
    return {p.pk: p for p in products}


def _section(raw: dict, products: dict[int, Product], categories: dict[int, Category]) -> Section:
    image = raw.get("image") or ""
    return Section(
        type=raw["type"],
        heading=raw.get("heading", ""),
        text=raw.get("text", ""),
        image_url=default_storage.url(image) if image else "",
        tone=raw.get("tone", "info"),
        products=[products[i] for i in raw.get("product_ids", []) if i in products],
        categories=[categories[i] for i in raw.get("category_ids", []) if i in categories],
    )


def published_design_key(seller_id: int) -> str:
    return f"storefront:published-design:{seller_id}"


def _published(seller: Organization) -> tuple[list[dict], str, str, bool]:
    """(sections, primary, accent, published?) as buyers see them; cached until the next publish."""
    key = published_design_key(seller.pk)
    found = cache.get(key)
    if found is None:
        design = StoreDesign.objects.filter(seller=seller).first()
        if design is None or not design.published_at:
            found = ([], "", "", False)
        else:
            found = (design.published_sections, design.published_primary, design.published_accent, True)
        cache.set(key, found, DESIGN_TTL)
    return found


def _draft(actor: User | None, seller: Organization) -> tuple[list[dict], str, str, bool] | None:
    """The draft, for the store's own members only (anyone else asking for a preview gets the published page)."""
    if not is_member(actor, seller):
        return None
    design = StoreDesign.objects.filter(seller=seller).first()
    if design is None:
        return None
    return design.draft_sections, design.primary_colour, design.accent_colour, bool(design.published_at)


def store_page(*, actor: User | None, seller: Organization, preview: bool, now: datetime) -> StorePage:
    """The published page costs 2 queries (featured products and their promotions) once its design and coupons
    are cached; a preview reads the draft (+2: membership and design)."""
    draft = _draft(actor, seller) if preview else None
    raw, primary, accent, published = draft or _published(seller)
    products = _featured(seller, raw, now)
    categories = {c.pk: c for c in catalog_selectors.categories()}
    return StorePage(
        sections=[_section(s, products, categories) for s in raw if s.get("type") in StoreDesign.SECTION_TYPES],
        style=theme_style(primary, accent),
        preview=draft is not None,
        coupons=promotion_selectors.store_coupons(seller=seller, now=now),
        response_time=public_response_time(seller=seller, now=now),
        published=published,
    )


def products_to_feature(*, actor: User, seller: Organization, limit: int = 300) -> list[Product]:
    """The store's published products, newest first, for the featured-products picker (1 query + the check)."""
    require(actor, seller, MANAGE)
    return list(
        Product.objects.published()
        .filter(seller=seller)
        .only("id", "title", "title_zh")
        .order_by("-created_at", "-id")[:limit]
    )
