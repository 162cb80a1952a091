"""Storefront pages for buyers. Views parse the request, call catalog selectors and shape the page.

Every page runs a fixed number of queries: product lists are one keyset query, the category tree is cached.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tradeloop.accounts import selectors as accounts
from tradeloop.analytics import visits
from tradeloop.b2b import showcase as supplier_showcase
from tradeloop.c2c import listing_selectors as c2c_listings
from tradeloop.catalog import selectors as catalog
from tradeloop.catalog.models import Category, Product
from tradeloop.catalog.selectors import ProductFilters
from tradeloop.core import clock
from tradeloop.core.errors import NotFound, ValidationFailed
from tradeloop.core.pagination import Page
from tradeloop.o2o import deal_selectors as o2o_deals
from tradeloop.promotions import selectors as promotions
from tradeloop.storefront import design_selectors, page_cache
from tradeloop.storefront.forms import SORT_CHOICES, ProductFilterForm

PAGE_SIZE = 24
STRIP_SIZE = 6
HOME_STRIPS = (Product.Kind.PHYSICAL, Product.Kind.DEAL, Product.Kind.LISTING, Product.Kind.SERVICE)


@page_cache.cached_page
def home(request: HttpRequest) -> HttpResponse:
    featured, strips = page_cache.remember("home:shelves", _home_shelves)  # the same for everyone till a write
    promotions.annotate_cards(featured + [p for strip in strips for p in strip["products"]], now=clock.now())
    context = {
        "categories": catalog.top_categories(),
        "featured": featured,
        "strips": strips,
    }
    return render(request, "storefront/home.html", context)


@page_cache.cached_page
def product_list(request: HttpRequest) -> HttpResponse:
    return _product_list_page(request, template="storefront/product_list.html")


@page_cache.cached_page
def category(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        current = catalog.category_by_slug(slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    tree = catalog.categories()
    return _product_list_page(
        request,
        template="storefront/category.html",
        fixed_category=current,
        extra={
            "category": current,
            "ancestors": _ancestors(current, tree),
            "subcategories": [c for c in tree if c.parent_id == current.pk],
        },
    )


@page_cache.cached_page
def product_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    try:
        product = catalog.product_detail(pk)
    except NotFound as exc:
        try:  # a listing that left the storefront (sold, expired, withdrawn) says so instead of a 404
            product = c2c_listings.listing_product(pk)
        except NotFound:
            raise Http404(str(exc)) from exc
    if (o2o_page := o2o_deals.o2o_page_url(product)) is not None:  # a deal or a service has its own page
        return redirect(o2o_page)
    if slug != product.slug:
        return redirect("storefront:product", pk=product.pk, slug=product.slug, permanent=True)
    visits.record_visit(
        request, "listing" if product.kind == Product.Kind.LISTING else "product", product.pk, product.seller_id
    )
    variants = list(product.variants.all())
    chosen = _chosen_variant(variants, request.GET.get("variant"))
    more = page_cache.remember(f"seller-shelf:{product.seller_id}", lambda: _seller_shelf(product.seller))
    prices = {product.pk: chosen.price} if chosen else {}
    promos = promotions.annotate_cards([*more, product], now=clock.now(), prices=prices)
    c2c_listings.annotate_cards([product, *more])  # the listing page reads its own row from here too
    listing = (
        c2c_listings.listing_page(actor=request.user, product=product) if product.kind == Product.Kind.LISTING else None
    )
    context = {
        "promo": promos.get(product.pk) if chosen and listing is None else None,
        "c2c": listing,
        "product": product,
        "images": list(product.images.all()),
        "variants": variants,
        "variant": chosen,
        "ancestors": _ancestors(product.category, catalog.categories()) + [product.category]
        if product.category
        else [],
        "more_from_seller": [p for p in more if p.pk != product.pk][:STRIP_SIZE],
    }
    return render(request, "storefront/product_detail.html", context)


@page_cache.cached_page
def store(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        seller = accounts.public_store(slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    visits.record_visit(request, "store", seller.pk, seller.pk)
    return _product_list_page(
        request,
        template="storefront/store.html",
        scope={"seller": seller},
        extra={
            "store": seller,
            "design": design_selectors.store_page(
                actor=request.user, seller=seller, preview=request.GET.get("preview") == "1", now=clock.now()
            ),
            "showcase": supplier_showcase.store_showcase(seller),  # b2b: a supplier's facts for company buyers
        },
    )


# --- helpers ---------------------------------------------------------------


def _seller_shelf(seller) -> list[Product]:
    """The seller's newest products, one more than a strip shows (the page leaves out the one it is about)."""
    return catalog.storefront_products(filters=ProductFilters(seller=seller), limit=STRIP_SIZE + 1).items


def _home_shelves() -> tuple[list[Product], list[dict]]:
    """The featured products and a strip per kind of product, with the listings' towns (6 queries)."""
    strips = []
    for kind in HOME_STRIPS:
        page = catalog.storefront_products(filters=ProductFilters(kind=kind), limit=STRIP_SIZE)
        if page.items:
            strips.append({"kind": kind, "label": Product.Kind(kind).label, "products": page.items})
    featured = catalog.featured_products(limit=12)
    c2c_listings.annotate_cards(featured + [p for strip in strips for p in strip["products"]])
    return featured, strips


def _product_list_page(
    request: HttpRequest,
    *,
    template: str,
    fixed_category: Category | None = None,
    scope: dict | None = None,
    extra: dict | None = None,
) -> HttpResponse:
    """Filter form + keyset page; a bad filter or cursor re-renders the page with a message and HTTP 400."""
    form = ProductFilterForm(request.GET, fixed_category=fixed_category)
    context = {"form": form, "sort_choices": SORT_CHOICES, "page": Page(items=[], next_cursor=None), **(extra or {})}
    if not form.is_valid():
        context["problem"] = _("Some filters are not valid. Check them and try again.")
        return render(request, template, context, status=400)
    try:
        context["page"] = catalog.storefront_products(
            filters=form.filters(**(scope or {})), cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE
        )
        promotions.annotate_cards(context["page"].items, now=clock.now())
        c2c_listings.annotate_cards(context["page"].items)
    except ValidationFailed as exc:
        context["problem"] = _friendly(exc)
        return render(request, template, context, status=400)
    return render(request, template, context)


def _friendly(error: ValidationFailed) -> str:
    if error.field == "cursor":
        return _("This page link is out of date or damaged. Start again from the first page.")
    return _("Some filters are not valid. Check them and try again.")


def _ancestors(category: Category, tree: list[Category]) -> list[Category]:
    """The categories above `category`, root first (from the cached tree, no queries)."""
    by_path = {c.path: c for c in tree}
    parts = category.path.strip("/").split("/")[:-1]
    paths = ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]
    return [by_path[p] for p in paths if p in by_path]


def _chosen_variant(variants: list, wanted: str | None):
    """The variant picked with ?variant=<id>, else the first one in stock, else the first one."""
    if wanted and wanted.isdigit():
        for variant in variants:
            if variant.pk == int(wanted):
                return variant
    return next((v for v in variants if v.stock > 0), variants[0] if variants else None)
