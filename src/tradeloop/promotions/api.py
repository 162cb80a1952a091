"""Promotions endpoints: the public list, a seller's promotions, and a price preview for codes and items."""

from __future__ import annotations

from dataclasses import fields

from django.http import HttpRequest
from ninja import Query, Router, Status

from tradeloop.accounts.api_auth import SIGNED_IN, BearerToken
from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import membership, store_filter
from tradeloop.core import clock
from tradeloop.core.api_schemas import Id, PageOut, errors
from tradeloop.core.errors import NotFound
from tradeloop.promotions import selectors, services
from tradeloop.promotions.models import Promotion
from tradeloop.promotions.schemas import (
    PromotionIn,
    PromotionOut,
    PromotionPatch,
    PublicPromotionQuery,
    SellerPromotionOut,
    SellerPromotionQuery,
    ValidateIn,
    ValidateOut,
)

router = Router(tags=["promotions"])
seller_router = Router(auth=SIGNED_IN, tags=["seller"])
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)


def _org(request: HttpRequest, organization_id: int) -> Organization:
    return membership(request.auth, organization_id).organization


def _optional_user(request: HttpRequest) -> User | None:
    """The caller if signed in (token or session); anonymous callers may preview prices too."""
    if request.headers.get("Authorization"):
        return BearerToken()(request)
    return request.user if request.user.is_authenticated else None


def _seller_out(promotion: Promotion) -> Promotion:
    promotion.status = selectors.status_of(promotion, clock.now())
    return promotion


def _detail(request: HttpRequest, seller: Organization, promotion_id: int) -> Promotion:
    promotion = selectors.seller_promotion_detail(actor=request.auth, seller=seller, promotion_id=promotion_id)
    return _seller_out(promotion)


def _owned(request: HttpRequest, promotion_id: int) -> Organization:
    """The caller's organization that owns the promotion; another seller's promotion answers 404."""
    seller_id = selectors.seller_id_of(promotion_id)
    if seller_id is None:
        raise NotFound("promotion not found")
    try:
        return _org(request, seller_id)
    except NotFound as exc:
        raise NotFound("promotion not found") from exc


@router.get("promotions", auth=None, response={200: PageOut[PromotionOut], **errors(400, 422)})
def public_promotions(request: HttpRequest, query: Query[PublicPromotionQuery]):
    """Running automatic promotions and public coupons (of one store with `seller`)."""
    return selectors.public_promotions(
        now=clock.now(), seller=store_filter(query.seller), cursor=query.cursor, limit=query.limit
    )


@router.post("promotions/validate", auth=None, response={200: ValidateOut, **errors(400, 401, 422)})
def validate(request: HttpRequest, payload: ValidateIn):
    """Preview the price of some items with coupon codes: one breakdown per seller, every discount labelled.

    Nothing is reserved or used. Signed-in callers also get their per-customer limits checked."""
    baskets = selectors.baskets_for([(i.variant_id, i.quantity) for i in payload.items])
    breakdowns = services.price_checkout(
        buyer=_optional_user(request), baskets=baskets, codes=payload.codes, now=clock.now()
    )
    orders = [_breakdown_out(basket, b) for basket, b in zip(baskets, breakdowns, strict=True)]
    return {"orders": orders, "errors": [e for b in breakdowns for e in b.errors]}


def _breakdown_out(basket: services.SellerBasket, b: services.Breakdown) -> dict:
    currency = b.subtotal.currency
    return {
        "seller": basket.seller,
        "currency": currency,
        "lines": [
            {
                "variant_id": line.variant_id,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "discount": result.discount,
                "total": result.total,
                "currency": currency,
            }
            for line, result in zip(basket.lines, b.lines, strict=True)
        ],
        "adjustments": [
            {
                "label": a.label,
                "code": a.code,
                "promotion_id": a.promotion_id,
                "amount": a.amount,
                "currency": currency,
                "line_index": a.line_index,
            }
            for a in b.adjustments
        ],
        "subtotal": b.subtotal,
        "discount_total": b.discount_total,
        "shipping_total": b.shipping_total,
        "total": b.total,
        "applied": b.applied,
        "errors": b.errors,
        "problems": b.problems,
    }


@seller_router.get("promotions", response={200: PageOut[SellerPromotionOut], **errors(400, 401, 403, 404, 422)})
def seller_promotions(request: HttpRequest, query: Query[SellerPromotionQuery]):
    """The organization's promotions and coupons, newest first (needs catalog.manage)."""
    page = selectors.seller_promotions(
        actor=request.auth,
        seller=_org(request, query.organization),
        now=clock.now(),
        status=query.status or "",
        coupons=query.coupons,
        cursor=query.cursor,
        limit=query.limit,
    )
    page.items = [_seller_out(p) for p in selectors.with_targets(page.items)]
    return page


@seller_router.get("promotions/{promotion_id}", response={200: SellerPromotionOut, **errors(401, 403, 404, 422)})
def seller_promotion(request: HttpRequest, promotion_id: Id):
    return _detail(request, _owned(request, promotion_id), promotion_id)


@seller_router.post("promotions", response={201: SellerPromotionOut, **WRITE_ERRORS})
def create_promotion(request: HttpRequest, payload: PromotionIn):
    """Create a coupon (with `code`) or an automatic promotion; with `flash_stock_cap` it is a flash sale."""
    seller = _org(request, payload.organization)
    sent = payload.dict(exclude_unset=True, exclude={"organization"})
    sent.setdefault("currency", seller.currency)
    data = services.PromotionInput(**{k: v for k, v in sent.items() if v is not None or k in NULLABLE})
    promotion = services.create_promotion(actor=request.auth, seller=seller, data=data)
    return Status(201, _detail(request, seller, promotion.pk))


NULLABLE = {"ends_at", "usage_limit", "per_customer_limit", "flash_stock_cap"}


@seller_router.patch("promotions/{promotion_id}", response={200: SellerPromotionOut, **WRITE_ERRORS})
def update_promotion(request: HttpRequest, promotion_id: Id, payload: PromotionPatch):
    """Change a promotion: send only the fields to change. `is_active: false` switches it off."""
    seller = _owned(request, promotion_id)
    current = selectors.seller_promotion_detail(actor=request.auth, seller=seller, promotion_id=promotion_id)
    sent = payload.dict(exclude_unset=True)
    active = sent.pop("is_active", None)
    changes = {k: v for k, v in sent.items() if v is not None or k in NULLABLE}
    if changes:
        merged = services.input_from(current) | changes
        services.update_promotion(
            actor=request.auth,
            seller=seller,
            promotion_id=promotion_id,
            data=services.PromotionInput(**{f.name: merged[f.name] for f in fields(services.PromotionInput)}),
        )
    if active is not None:
        services.set_active(actor=request.auth, seller=seller, promotion_id=promotion_id, active=active)
    return _detail(request, seller, promotion_id)
