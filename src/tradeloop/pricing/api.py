"""Price-list endpoints: a seller's price lists (with their prices and companies), the lists given to a buyer's
company (read-only), a product's tiers and order rules for its seller, and the price table of products/{id}."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from tradeloop.accounts.api_auth import SIGNED_IN, BearerToken
from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import membership
from tradeloop.catalog.models import Product, Variant
from tradeloop.core import clock
from tradeloop.core.api_schemas import Id, PageOut, errors
from tradeloop.core.errors import NotFound
from tradeloop.pricing import selectors, services
from tradeloop.pricing.models import PriceList
from tradeloop.pricing.schemas import (
    BuyerPriceListOut,
    BuyersIn,
    CompanyRef,
    EntriesIn,
    EntriesQuery,
    PriceEntryOut,
    PriceListIn,
    PriceListPatch,
    SellerListQuery,
    SellerPriceListOut,
    VariantTiersIn,
    VariantTiersOut,
)

router = Router(auth=SIGNED_IN, tags=["price lists"])
seller_router = Router(auth=SIGNED_IN, tags=["seller"])
READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)


def caller(request: HttpRequest) -> User | None:
    """The caller of a public endpoint if signed in (token or session), else None."""
    if request.headers.get("Authorization"):
        return BearerToken()(request)
    return request.user if request.user.is_authenticated else None


def product_pricing(request: HttpRequest, product: Product) -> list[dict]:
    """products/{id}'s `pricing`: each variant's tier table, order rule and the caller's contract price."""
    variants = list(product.variants.all())
    for variant in variants:
        variant.product = product
    tables = selectors.variant_pricing(actor=caller(request), variants=variants, now=clock.now())
    return [_pricing_out(tables[v.pk]) for v in variants]


def _tier_out(row: selectors.TierRow) -> dict:
    return {
        "min_quantity": row.min_quantity,
        "max_quantity": row.max_quantity,
        "unit_price": row.unit.amount,
        "currency": row.unit.currency,
        "source": row.source,
    }


def _pricing_out(table: selectors.VariantPricing) -> dict:
    contract = table.contract_price
    return {
        "variant_id": table.variant.pk,
        "currency": table.variant.currency,
        "min_quantity": table.min_quantity,
        "multiple": table.multiple,
        "rule": table.rule,
        "tiers": [_tier_out(r) for r in table.public],
        "contract_price": contract.amount if contract else None,
        "price_list": table.price_list,
        "contract_tiers": [_tier_out(r) for r in table.contract],
    }


def _owner(request: HttpRequest, price_list_id: int) -> Organization:
    """The caller's organization that owns the list; another seller's list answers 404."""
    seller_id = selectors.seller_id_of(price_list_id)
    if seller_id is None:
        raise NotFound("price list not found")
    try:
        return membership(request.auth, seller_id).organization
    except NotFound as exc:
        raise NotFound("price list not found") from exc


def _detail(request: HttpRequest, seller: Organization, price_list_id: int) -> PriceList:
    return selectors.price_list_detail(actor=request.auth, seller=seller, price_list_id=price_list_id)


def _list_input(current: PriceList | None, sent: dict, seller: Organization) -> services.PriceListInput:
    base = {
        "name": current.name if current else "",
        "currency": current.currency if current else seller.currency,
        "priority": current.priority if current else 0,
        "valid_from": current.valid_from if current else None,
        "valid_until": current.valid_until if current else None,
        "is_active": current.is_active if current else True,
    }
    nullable = {"valid_from", "valid_until"}
    base.update({k: v for k, v in sent.items() if k in base and (v is not None or k in nullable)})
    return services.PriceListInput(**base)


# --- seller ---------------------------------------------------------------------------------------------------


@seller_router.get(
    "price-lists",
    response={200: PageOut[SellerPriceListOut], **READ_ERRORS},
    summary="The organization's price lists (needs catalog.manage)",
)
def seller_price_lists(request: HttpRequest, query: Query[SellerListQuery]):
    """The organization's price lists, highest priority first, with their companies (needs catalog.manage)."""
    seller = membership(request.auth, query.organization).organization
    return selectors.seller_price_lists(actor=request.auth, seller=seller, cursor=query.cursor, limit=query.limit)


@seller_router.post(
    "price-lists",
    response={201: SellerPriceListOut, **WRITE_ERRORS},
    summary="Create a price list (prices and companies are set with PUT …/entries and …/buyers)",
)
def create_price_list(request: HttpRequest, payload: PriceListIn):
    """Create a price list (optionally given to companies at once: `buyers`, ids or slugs). Add prices with
    `PUT seller/price-lists/{id}/entries`."""
    seller = membership(request.auth, payload.organization).organization
    sent = payload.dict(exclude_unset=True, exclude={"organization", "buyers"})
    price_list = services.create_price_list(actor=request.auth, seller=seller, data=_list_input(None, sent, seller))
    if payload.buyers:
        services.set_buyers(actor=request.auth, seller=seller, price_list_id=price_list.pk, buyers=payload.buyers)
    return Status(201, _detail(request, seller, price_list.pk))


@seller_router.get(
    "price-lists/{price_list_id}",
    response={200: SellerPriceListOut, **READ_ERRORS},
    summary="One of the organization's price lists",
)
def seller_price_list(request: HttpRequest, price_list_id: Id):
    return _detail(request, _owner(request, price_list_id), price_list_id)


@seller_router.patch(
    "price-lists/{price_list_id}",
    response={200: SellerPriceListOut, **WRITE_ERRORS},
    summary="Change a price list's name, priority, validity or on/off",
)
def update_price_list(request: HttpRequest, price_list_id: Id, payload: PriceListPatch):
    """Change name, currency (only while it holds no prices), priority, validity; `is_active: false` switches it
    off (its prices stop applying at once)."""
    seller = _owner(request, price_list_id)
    current = selectors.seller_price_list(actor=request.auth, seller=seller, price_list_id=price_list_id)
    data = _list_input(current, payload.dict(exclude_unset=True), seller)
    services.update_price_list(actor=request.auth, seller=seller, price_list_id=price_list_id, data=data)
    return _detail(request, seller, price_list_id)


@seller_router.delete(
    "price-lists/{price_list_id}", response={204: None, **errors(401, 403, 404, 422)}, summary="Delete a price list"
)
def delete_price_list(request: HttpRequest, price_list_id: Id):
    """Delete the list with its prices and assignments (placed orders keep their prices)."""
    services.delete_price_list(actor=request.auth, seller=_owner(request, price_list_id), price_list_id=price_list_id)
    return Status(204, None)


@seller_router.get(
    "price-lists/{price_list_id}/entries",
    response={200: PageOut[PriceEntryOut], **READ_ERRORS},
    summary="A price list's contract prices",
)
def seller_entries(request: HttpRequest, price_list_id: Id, query: Query[EntriesQuery]):
    price_list = selectors.seller_price_list(
        actor=request.auth, seller=_owner(request, price_list_id), price_list_id=price_list_id
    )
    return selectors.entries_of(price_list, cursor=query.cursor, limit=query.limit)


@seller_router.put(
    "price-lists/{price_list_id}/entries",
    response={200: list[PriceEntryOut], **WRITE_ERRORS},
    summary="Replace a price list's prices (by SKU or variant id, from a quantity)",
)
def replace_entries(request: HttpRequest, price_list_id: Id, payload: EntriesIn):
    """Replace every price of the list (all or nothing). Each entry names a variant of yours by `variant_id` or
    `sku`, in the list's currency; `min_quantity` above 1 makes it one of the list's own quantity tiers."""
    seller = _owner(request, price_list_id)
    entries = [
        services.EntryInput(
            unit_price=e.unit_price, variant_id=e.variant_id, sku=e.sku or "", min_quantity=e.min_quantity
        )
        for e in payload.entries
    ]
    services.set_entries(actor=request.auth, seller=seller, price_list_id=price_list_id, entries=entries)
    price_list = selectors.seller_price_list(actor=request.auth, seller=seller, price_list_id=price_list_id)
    return selectors.all_entries(price_list)


@seller_router.put(
    "price-lists/{price_list_id}/buyers",
    response={200: list[CompanyRef], **WRITE_ERRORS},
    summary="Replace the companies a price list is given to",
)
def replace_buyers(request: HttpRequest, price_list_id: Id, payload: BuyersIn):
    """Give the list to exactly these companies (ids or slugs); their members buy at its prices."""
    seller = _owner(request, price_list_id)
    return services.set_buyers(actor=request.auth, seller=seller, price_list_id=price_list_id, buyers=payload.buyers)


def _product_seller(request: HttpRequest, product_id: int) -> Organization:
    seller_id = Product.objects.filter(pk=product_id).values_list("seller_id", flat=True).first()
    if seller_id is None:
        raise NotFound("product not found")
    try:
        return membership(request.auth, seller_id).organization
    except NotFound as exc:
        raise NotFound("product not found") from exc


def _tiers_out(variant: Variant) -> dict:
    rule = selectors.order_rule_of(variant)
    return {
        "variant_id": variant.pk,
        "sku": variant.sku,
        "currency": variant.currency,
        "list_price": variant.price,
        "min_quantity": rule.min_quantity if rule else 1,
        "multiple": rule.multiple if rule else 1,
        "tiers": [
            {"min_quantity": t.min_quantity, "unit_price": t.unit_price, "currency": t.currency}
            for t in variant.quantity_tiers.all()
            if t.currency == variant.currency
        ],
    }


@seller_router.get(
    "products/{product_id}/tiers",
    response={200: list[VariantTiersOut], **READ_ERRORS},
    summary="A product's public quantity tiers and order rules, per variant",
)
def product_tiers(request: HttpRequest, product_id: Id):
    """Each variant's public quantity tiers, minimum order quantity and order multiple."""
    variants = selectors.product_variants(
        actor=request.auth, seller=_product_seller(request, product_id), product_id=product_id
    )
    return [_tiers_out(v) for v in variants]


@seller_router.put(
    "products/{product_id}/variants/{variant_id}/tiers",
    response={200: VariantTiersOut, **WRITE_ERRORS},
    summary="Replace a variant's public tiers, minimum order and multiple",
)
def replace_tiers(request: HttpRequest, product_id: Id, variant_id: Id, payload: VariantTiersIn):
    """Replace a variant's public tiers (each from 2 units) and set its minimum order quantity and multiple (the
    minimum is a multiple of the multiple; leave both out or send 1 for none)."""
    seller = _product_seller(request, product_id)
    variants = {v.pk: v for v in selectors.product_variants(actor=request.auth, seller=seller, product_id=product_id)}
    if variant_id not in variants:
        raise NotFound("variant not found", field="variant")
    services.update_tiers_and_rule(
        actor=request.auth,
        seller=seller,
        variant_id=variant_id,
        tiers=[services.TierInput(t.min_quantity, t.unit_price) for t in payload.tiers],
        min_quantity=payload.min_quantity,
        multiple=payload.multiple,
    )
    fresh = {v.pk: v for v in selectors.product_variants(actor=request.auth, seller=seller, product_id=product_id)}
    return _tiers_out(fresh[variant_id])


# --- buyer ----------------------------------------------------------------------------------------------------


@router.get(
    "price-lists",
    response={200: PageOut[BuyerPriceListOut], **errors(400, 401, 422)},
    summary="The price lists given to my companies",
)
def buyer_price_lists(request: HttpRequest, query: Query[EntriesQuery]):
    """The price lists suppliers gave to your companies (switched on; check `valid_from`/`valid_until`)."""
    return selectors.buyer_price_lists(actor=request.auth, cursor=query.cursor, limit=min(query.limit, 100))


@router.get(
    "price-lists/{price_list_id}",
    response={200: BuyerPriceListOut, **errors(401, 404, 422)},
    summary="One price list given to my company",
)
def buyer_price_list(request: HttpRequest, price_list_id: Id):
    found = selectors.buyer_price_list(actor=request.auth, price_list_id=price_list_id)
    found.entry_count = found.entries.count()
    return found


@router.get(
    "price-lists/{price_list_id}/entries",
    response={200: PageOut[PriceEntryOut], **errors(400, 401, 404, 422)},
    summary="The contract prices of a price list given to my company",
)
def buyer_entries(request: HttpRequest, price_list_id: Id, query: Query[EntriesQuery]):
    """The contract prices of a list given to your company."""
    price_list = selectors.buyer_price_list(actor=request.auth, price_list_id=price_list_id)
    return selectors.entries_of(price_list, cursor=query.cursor, limit=query.limit)
