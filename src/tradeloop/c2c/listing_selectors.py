"""Reads of private listings: the public listing search, one listing, the seller's own listings (tabs), the
listing page's extras and the product cards' city/condition — each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.c2c.models import Listing, SellerStanding
from tradeloop.catalog.models import Category, Product, ProductImage, Variant
from tradeloop.core.errors import NotFound
from tradeloop.core.pagination import Page, keyset_page

ORDER = ("-created_at", "-id")
State = Listing.State
TABS = {
    "active": (State.ACTIVE,),
    "sold": (State.SOLD,),
    "ended": (State.EXPIRED, State.WITHDRAWN),
}


def _base() -> QuerySet:
    return Listing.objects.select_related("product__seller", "product__category").prefetch_related(
        Prefetch("product__variants", Variant.objects.order_by("position", "id")),
        Prefetch("product__images", ProductImage.objects.order_by("position", "id")),
    )


@dataclass
class ListingFilters:
    q: str = ""
    category: Category | None = None
    city: str = ""
    condition: str = ""
    max_price: Decimal | None = None


def public_listings(*, filters: ListingFilters, cursor: str | None = None, limit: int = 24) -> Page:
    """Listings on sale, newest first, keyset paginated; 3 queries a page (listings, variants, images)."""
    qs = _base().filter(state=State.ACTIVE, product__status=Product.Status.PUBLISHED)
    if filters.q:
        qs = qs.filter(Q(product__title__icontains=filters.q) | Q(product__title_zh__icontains=filters.q))
    if filters.category is not None:
        qs = qs.filter(product__category__path__startswith=filters.category.path)
    if filters.city:
        qs = qs.filter(city__iexact=filters.city)
    if filters.condition:
        qs = qs.filter(product__condition=filters.condition)
    if filters.max_price is not None:
        qs = qs.filter(product__price_from__lte=filters.max_price)
    return keyset_page(qs, order=ORDER, cursor=cursor, limit=limit)


def public_listing(listing_id: int) -> Listing:
    """One listing in any state but a draft product's (sold and expired ones show as such); 404 otherwise."""
    found = _base().filter(pk=listing_id).exclude(product__status=Product.Status.DRAFT).first()
    if found is None:
        raise NotFound(gettext("listing not found"), field="listing")
    return found


def _own_qs(actor: User) -> QuerySet:
    if not getattr(actor, "is_authenticated", False):
        return Listing.objects.none()
    return _base().filter(product__seller__memberships__user=actor)


def own_listing(*, actor: User, listing_id: int) -> Listing:
    found = _own_qs(actor).filter(pk=listing_id).first()
    if found is None:
        raise NotFound(gettext("listing not found"), field="listing")
    return found


def my_listings(*, actor: User, tab: str = "active", cursor: str | None = None, limit: int = 24) -> Page:
    """The actor's listings in one tab (active, sold, ended = expired or withdrawn), newest first."""
    return keyset_page(_own_qs(actor).filter(state__in=TABS[tab]), order=ORDER, cursor=cursor, limit=limit)


def sells(actor: User | None, listing: Listing) -> bool:
    """Whether the actor is a member of the listing's seller (1 query; none for guests)."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return listing.product.seller.memberships.filter(user=actor).exists()


def listing_product(product_id: int) -> Product:
    """The product of a listing that left the storefront (sold, expired, withdrawn) for its "no longer available"
    page: prefetched like the storefront's product_detail. Other products (and drafts) answer 404."""
    product = (
        Product.objects.select_related("seller", "category")
        .prefetch_related(
            Prefetch("variants", Variant.objects.filter(is_active=True)),
            Prefetch("images", ProductImage.objects.order_by("position", "id")),
        )
        .filter(pk=product_id, kind=Product.Kind.LISTING, listing__isnull=False)
        .exclude(status=Product.Status.DRAFT)
        .first()
    )
    if product is None:
        raise NotFound(gettext("product not found"))
    return product


@dataclass
class ListingPage:
    """What a listing's product page shows beside the product (2–3 queries)."""

    listing: Listing
    standing: SellerStanding | None
    own: bool
    on_sale: bool


def listing_page(*, actor: User | None, product: Product) -> ListingPage | None:
    listing = getattr(product, "c2c_listing", None) or Listing.objects.filter(product_id=product.pk).first()
    if listing is None:
        return None
    product.listing = listing  # the reverse one-to-one's cache (sets listing.product too): no query in the tags
    standing = SellerStanding.objects.filter(seller_id=product.seller_id).first()
    on_sale = listing.state == State.ACTIVE and product.status == Product.Status.PUBLISHED
    return ListingPage(listing=listing, standing=standing, own=sells(actor, listing), on_sale=on_sale)


def annotate_cards(products) -> None:
    """Sets `c2c_listing` (the Listing row: city, district, state…) on the listing products among `products`: one
    query when there are any, none otherwise."""
    wanted = [p for p in products if p.kind == Product.Kind.LISTING]
    if not wanted:
        return
    by_product = {row.product_id: row for row in Listing.objects.filter(product_id__in=[p.pk for p in wanted])}
    for p in wanted:
        p.c2c_listing = by_product.get(p.pk)


def levels_of(seller_ids) -> dict[int, str]:
    """Seller levels by organization id (1 query; sellers without a standing are left out)."""
    ids = list(seller_ids)
    if not ids:
        return {}
    return dict(SellerStanding.objects.filter(seller_id__in=ids).values_list("seller_id", "level"))


def level_of(seller_id: int) -> str | None:
    return levels_of([seller_id]).get(seller_id)
