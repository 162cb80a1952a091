"""Goods endpoints: the public catalogue (products, categories) and the seller's catalog (stock: inventory.api)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status, UploadedFile

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.models import Organization
from tradeloop.accounts.selectors import membership, store_filter
from tradeloop.catalog import selectors, services
from tradeloop.catalog.models import Category, Product, Variant
from tradeloop.catalog.schemas import (
    CategoryOut,
    ImageOut,
    ProductCardOut,
    ProductDetailOut,
    ProductIn,
    ProductPatch,
    ProductQuery,
    SellerProductDetailOut,
    SellerProductOut,
    SellerProductQuery,
    SellerVariantOut,
    VariantIn,
    VariantPatch,
)
from tradeloop.core.api_schemas import Id, PageOut, Text, errors
from tradeloop.core.errors import NotFound, ValidationFailed
from tradeloop.pricing import api as pricing_api

router = Router(tags=["goods"])
seller_router = Router(auth=SIGNED_IN, tags=["seller"])

SELLER_READ_ERRORS = errors(400, 401, 403, 404, 422)
SELLER_WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)
IMAGE_ALT = Form("", max_length=200, description="Text that describes the image")


# --- shaping helpers ---------------------------------------------------------------------------------------------


def _given(payload, *, nullable: set[str] = frozenset(), exclude: set[str] = frozenset()) -> dict:
    """The fields the client sent; null means "leave as is" except for fields that may be cleared."""
    sent = payload.dict(exclude_unset=True, exclude=exclude)
    return {k: v for k, v in sent.items() if v is not None or k in nullable}


def _category_filter(slug: str | None) -> Category | None:
    if not slug:
        return None
    try:
        return selectors.category_by_slug(slug)
    except NotFound as exc:
        raise ValidationFailed(f"no category {slug!r}", field="category") from exc


def _selling_org(request: HttpRequest, organization_id: int) -> Organization:
    """One of the caller's organizations; anyone else's answers 404."""
    return membership(request.auth, organization_id).organization


def _variant_input(payload: VariantIn) -> services.VariantInput:
    return services.VariantInput(**payload.dict())


def _current_values(variant: Variant) -> dict:
    return {
        "sku": variant.sku,
        "name": variant.name,
        "name_zh": variant.name_zh,
        "price": variant.price,
        "compare_at_price": variant.compare_at_price,
        "currency": variant.currency,
        "stock": None,  # unchanged unless the request sends it
        "weight_grams": variant.weight_grams,
        "options": variant.options,
        "is_active": variant.is_active,
    }


def _seller_detail(request: HttpRequest, product_id: int) -> Product:
    return selectors.seller_product_detail(actor=request.auth, product_id=product_id)


def _managed(request: HttpRequest, product_id: int) -> Product:
    return services.seller_product(actor=request.auth, product_id=product_id)


# --- public catalogue --------------------------------------------------------------------------------------------


@router.get(
    "products",
    auth=None,
    response={200: PageOut[ProductCardOut], **errors(400, 422)},
    summary="Published products, filtered and sorted",
)
def products(request: HttpRequest, query: Query[ProductQuery]):
    filters = selectors.ProductFilters(
        q=query.q,
        category=_category_filter(query.category),
        kind=query.kind or "",
        seller=store_filter(query.seller),
        min_price=query.min_price,
        max_price=query.max_price,
        in_stock=query.in_stock,
        sort=query.sort,
    )
    return selectors.storefront_products(filters=filters, cursor=query.cursor, limit=query.limit)


@router.get("products/{product_id}", auth=None, response={200: ProductDetailOut, **errors(404, 422)})
def product_detail(request: HttpRequest, product_id: Id):
    """A published product; `pricing` has each variant's tiers, order rule and (signed in) the contract price."""
    product = selectors.product_detail(product_id)
    product.pricing = pricing_api.product_pricing(request, product)
    return product


@router.get(
    "categories",
    auth=None,
    response=list[CategoryOut],
    summary="The whole category tree, flat, in tree order (each node has parent_id and depth)",
)
def categories(request: HttpRequest):
    return selectors.categories()


# --- seller catalog ----------------------------------------------------------------------------------------------


@seller_router.get(
    "products",
    response={200: PageOut[SellerProductOut], **SELLER_READ_ERRORS},
    summary="The organization's products, any status (needs catalog.manage)",
)
def seller_products(request: HttpRequest, query: Query[SellerProductQuery]):
    return selectors.seller_products(
        actor=request.auth,
        seller=_selling_org(request, query.organization),
        status=query.status or "",
        q=query.q,
        cursor=query.cursor,
        limit=query.limit,
    )


@seller_router.post(
    "products",
    response={201: SellerProductDetailOut, **SELLER_WRITE_ERRORS},
    summary="Create a draft product with its variants (needs catalog.manage)",
)
def create_product(request: HttpRequest, payload: ProductIn):
    seller = _selling_org(request, payload.organization)
    product = services.create_product(
        actor=request.auth,
        seller=seller,
        variants=[_variant_input(v) for v in payload.variants],
        **_given(payload, nullable={"category"}, exclude={"organization", "variants"}),
    )
    return Status(201, _seller_detail(request, product.pk))


@seller_router.get("products/{product_id}", response={200: SellerProductDetailOut, **SELLER_READ_ERRORS})
def seller_product(request: HttpRequest, product_id: Id):
    return _seller_detail(request, product_id)


@seller_router.patch(
    "products/{product_id}",
    response={200: SellerProductDetailOut, **SELLER_WRITE_ERRORS},
    summary="Edit a product; send only the fields to change (null category removes it)",
)
def update_product(request: HttpRequest, product_id: Id, payload: ProductPatch):
    product = _managed(request, product_id)
    services.update_product(actor=request.auth, product=product, **_given(payload, nullable={"category"}))
    return _seller_detail(request, product_id)


@seller_router.post(
    "products/{product_id}/publish",
    response={200: SellerProductDetailOut, **SELLER_WRITE_ERRORS},
    summary="Put a product on sale (it needs an active variant)",
)
def publish(request: HttpRequest, product_id: Id):
    services.publish(actor=request.auth, product=_managed(request, product_id))
    return _seller_detail(request, product_id)


@seller_router.post(
    "products/{product_id}/unpublish",
    response={200: SellerProductDetailOut, **SELLER_WRITE_ERRORS},
    summary="Take a product off sale (it is kept: orders may refer to it)",
)
def unpublish(request: HttpRequest, product_id: Id):
    services.unpublish(actor=request.auth, product=_managed(request, product_id))
    return _seller_detail(request, product_id)


@seller_router.post("products/{product_id}/variants", response={201: SellerVariantOut, **SELLER_WRITE_ERRORS})
def add_variant(request: HttpRequest, product_id: Id, payload: VariantIn):
    product = _managed(request, product_id)
    return Status(201, services.save_variant(actor=request.auth, product=product, data=_variant_input(payload)))


@seller_router.patch(
    "products/{product_id}/variants/{variant_id}",
    response={200: SellerVariantOut, **SELLER_WRITE_ERRORS},
    summary="Edit a variant; send only the fields to change (null compare_at_price removes it)",
)
def update_variant(request: HttpRequest, product_id: Id, variant_id: Id, payload: VariantPatch):
    product = _seller_detail(request, product_id)
    current = next((v for v in product.variants.all() if v.pk == variant_id), None)
    if current is None:
        raise NotFound("variant not found", field="variant")
    values = {**_current_values(current), **_given(payload, nullable={"compare_at_price"})}
    data = services.VariantInput(**values)
    return services.save_variant(actor=request.auth, product=product, data=data, variant_id=variant_id)


@seller_router.delete("products/{product_id}/variants/{variant_id}", response={204: None, **errors(401, 403, 404, 422)})
def delete_variant(request: HttpRequest, product_id: Id, variant_id: Id):
    services.delete_variant(actor=request.auth, product=_managed(request, product_id), variant_id=variant_id)
    return Status(204, None)


@seller_router.post(
    "products/{product_id}/images",
    response={201: ImageOut, **SELLER_WRITE_ERRORS},
    summary="Upload an image (multipart/form-data: image, alt); the first image is the cover",
)
def add_image(request: HttpRequest, product_id: Id, image: File[UploadedFile], alt: Text = IMAGE_ALT):
    product = _managed(request, product_id)
    return Status(201, services.add_image(actor=request.auth, product=product, upload=image, alt=alt))


@seller_router.delete("products/{product_id}/images/{image_id}", response={204: None, **errors(401, 403, 404, 422)})
def remove_image(request: HttpRequest, product_id: Id, image_id: Id):
    services.remove_image(actor=request.auth, product=_managed(request, product_id), image_id=image_id)
    return Status(204, None)
