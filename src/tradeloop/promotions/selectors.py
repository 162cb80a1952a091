"""Reads about promotions: the seller's list, the public list, a store's coupon strip, and the promotional price of
product cards. Each runs a fixed number of queries whatever the page length."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Category, Product, Variant
from tradeloop.catalog.selectors import categories
from tradeloop.core.errors import ValidationFailed
from tradeloop.core.money import Money
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.promotions import engine
from tradeloop.promotions.models import Promotion
from tradeloop.promotions.services import (
    CARD_RULES_TTL,
    MANAGE,
    STORE_COUPONS_TTL,
    SellerBasket,
    card_rules_key,
    running,
    seller_promotion,
    store_coupons_key,
    to_rule,
)

STATUSES = ("running", "scheduled", "ended", "off")


def status_of(promotion: Promotion, now: datetime) -> str:
    """running / scheduled / ended (time over, used up or sold out) / off (switched off)."""
    if not promotion.is_active:
        return "off"
    if promotion.starts_at > now:
        return "scheduled"
    used_up = promotion.usage_limit is not None and promotion.used_count >= promotion.usage_limit
    sold_out = promotion.flash_stock_cap is not None and promotion.flash_sold >= promotion.flash_stock_cap
    if (promotion.ends_at and promotion.ends_at <= now) or used_up or sold_out:
        return "ended"
    return "running"


def _status_filter(status: str, now: datetime) -> Q:
    if status not in STATUSES:
        raise ValidationFailed(_("Unknown status %(status)s.") % {"status": status}, field="status")
    if status == "off":
        return Q(is_active=False)
    if status == "scheduled":
        return Q(is_active=True, starts_at__gt=now)
    if status == "ended":
        return Q(is_active=True, ends_at__lte=now)
    return running(now)


def seller_promotions(
    *,
    actor: User,
    seller: Organization,
    now: datetime,
    status: str = "",
    coupons: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """The seller's promotions, newest first (1 query a page)."""
    require(actor, seller, MANAGE)
    qs = Promotion.objects.filter(seller=seller).select_related("seller")
    if status:
        qs = qs.filter(_status_filter(status, now))
    if coupons is not None:
        qs = qs.exclude(code="") if coupons else qs.filter(code="")
    return keyset_page(qs, order=("-created_at", "-id"), cursor=cursor, limit=limit)


def seller_promotion_detail(*, actor: User, seller: Organization, promotion_id: int) -> Promotion:
    promotion = seller_promotion(actor=actor, seller=seller, promotion_id=promotion_id)
    return Promotion.objects.prefetch_related("categories", "products").get(pk=promotion.pk)


def _public(now: datetime) -> QuerySet[Promotion]:
    return Promotion.objects.filter(running(now), Q(code="") | Q(is_public=True)).select_related("seller")


def public_promotions(
    *, now: datetime, seller: Organization | None = None, cursor: str | None = None, limit: int = 24
) -> Page:
    """Running automatic promotions and public coupons, of one seller or of all (1 query a page)."""
    qs = _public(now).filter(Q(seller__isnull=True) | Q(seller__is_active=True))
    if seller is not None:
        qs = qs.filter(seller=seller)
    return keyset_page(qs, order=("-created_at", "-id"), cursor=cursor, limit=limit)


def store_coupons(*, seller: Organization, now: datetime, limit: int = 8) -> list[Promotion]:
    """The coupons a store shows in its coupon strip: public, running, not used up (1 query, then cached a minute;
    saving a promotion forgets it at once; a coupon used up meanwhile is refused at checkout with a clear error)."""
    key = store_coupons_key(seller.pk)
    found = cache.get(key)
    if found is None:
        qs = _public(now).filter(seller=seller).exclude(code="")
        qs = qs.filter(Q(usage_limit__isnull=True) | Q(used_count__lt=F("usage_limit")))
        found = list(qs.order_by("-created_at", "-id")[:limit])
        cache.set(key, found, STORE_COUPONS_TTL)
    return found


# --- promotional prices on product cards -----------------------------------------------------------------------


@dataclass(frozen=True)
class PromoPrice:
    """What a product card shows: the price after automatic promotions (None: no unit price change) and a badge."""

    price: Decimal | None
    label: str
    ends_at: datetime | None
    flash: bool


def _fetch_card_rules(seller_ids: list[int | None], now: datetime) -> dict[int | None, list]:
    """Automatic promotions not over yet, by seller (None: the platform's); 3 queries for any number of sellers."""
    wanted = Q(seller_id__in=[s for s in seller_ids if s is not None])
    if None in seller_ids:
        wanted |= Q(seller__isnull=True)
    promotions = (
        Promotion.objects.filter(wanted, Q(ends_at__isnull=True) | Q(ends_at__gt=now), code="", is_active=True)
        .prefetch_related(
            Prefetch("categories", Category.objects.only("id", "path")),
            Prefetch("products", Product.objects.only("id")),
        )
        .order_by("id")
    )
    found: dict[int | None, list] = {seller_id: [] for seller_id in seller_ids}
    for promotion in promotions:
        rule = to_rule(promotion)
        promotion._prefetched_objects_cache = {}  # the rule holds what is needed; keep the cached copy small
        found[promotion.seller_id].append((rule, promotion))
    return found


def _card_rules(seller_ids: set[int], now: datetime) -> list[tuple[int | None, engine.Rule, Promotion]]:
    """The automatic promotions that may change prices on a page, cached per seller for a minute (saving or using a
    promotion forgets its seller's entry); whether each is running is decided here, against `now`."""
    keys = {seller_id: card_rules_key(seller_id) for seller_id in [*sorted(seller_ids), None]}
    cached = cache.get_many(list(keys.values()))
    missing = [seller_id for seller_id, key in keys.items() if key not in cached]
    if missing:
        fetched = {keys[seller_id]: rules for seller_id, rules in _fetch_card_rules(missing, now).items()}
        cache.set_many(fetched, CARD_RULES_TTL)
        cached |= fetched
    rules = []
    for seller_id, key in keys.items():
        for rule, promotion in cached[key]:
            if status_of(promotion, now) == "running":
                rules.append((seller_id, rule, promotion))
    return rules


def _what(promotion: Promotion) -> str:
    if promotion.kind == Promotion.Kind.FREE_SHIPPING:
        return _("Free shipping")
    if promotion.kind == Promotion.Kind.BUY_X_GET_Y:
        return _("Buy %(buy)s get %(get)s free") % {"buy": promotion.buy_quantity, "get": promotion.get_quantity}
    if promotion.flash_stock_cap is not None:
        return _("Flash sale")
    if promotion.kind == Promotion.Kind.FIXED:
        return _("%(amount)s off") % {"amount": Money(promotion.value, promotion.currency).format()}
    return _("%(percent)s%% off") % {"percent": f"{promotion.value.normalize():f}"}


def _badge(promotion: Promotion) -> str:
    """A card's badge, e.g. "20% off", "Buy 2 get 1 free", "CN¥10.00 off over CN¥199.00"."""
    if not promotion.min_spend:
        return _what(promotion)
    spend = Money(promotion.min_spend, promotion.currency).format()
    return _("%(what)s over %(spend)s") % {"what": _what(promotion), "spend": spend}


def _line_for(product: Product, unit_price: Decimal, paths: dict[int, str]) -> engine.PricedLine:
    path = paths.get(product.category_id, "") if product.category_id else ""
    return engine.PricedLine(0, product.pk, path, 1, Money(unit_price, product.currency))


def _one_unit_rules(rules: list[engine.Rule]) -> list[engine.Rule]:
    """The automatic promotions that change the price of a single unit: no minimum spend, percent or flash."""
    return [
        r for r in rules if r.min_spend == 0 and (r.kind == engine.PERCENT or (r.kind == engine.FIXED and r.is_flash))
    ]


def _promo_for(
    product: Product, unit_price: Decimal, applicable: list[tuple[engine.Rule, Promotion]], paths: dict[int, str]
) -> PromoPrice | None:
    line = _line_for(product, unit_price, paths)
    covering = [(rule, promotion) for rule, promotion in applicable if rule.covers(line)]
    if not covering:
        return None
    basket = engine.run(
        lines=[line], currency=product.currency, automatic=_one_unit_rules([r for r, _p in covering]), coupons=[]
    ).basket
    used = {r.id for r in basket.rules()}
    shown = next((p for r, p in covering if r.id in used), None) or min(
        (p for _r, p in covering), key=lambda p: (p.min_spend, p.pk)
    )
    price = basket.remaining()[0] if used else None
    ends = [p.ends_at for r, p in covering if r.id in used and p.ends_at]
    return PromoPrice(
        price=price,
        label=_badge(shown),
        ends_at=min(ends) if ends else None,
        flash=any(p.flash_stock_cap is not None for r, p in covering if r.id in used),
    )


def promo_prices(
    products: Iterable[Product], *, now: datetime, prices: dict[int, Decimal] | None = None
) -> dict[int, PromoPrice]:
    """The automatic promotions and flash sales on a page of products: 3 queries whatever the page length.

    Products need `seller_id`, `category_id`, `price_from` and `currency` loaded (category paths come from the
    cached category tree). The promotional
    price is worked out from `price_from`, or from `prices[product.pk]` (a chosen variant's price) when given.
    """
    prices = prices or {}
    products = [p for p in products if prices.get(p.pk, p.price_from) is not None]
    if not products:
        return {}
    rules = _card_rules({p.seller_id for p in products}, now)
    paths = {c.pk: c.path for c in categories()} if rules else {}
    found: dict[int, PromoPrice] = {}
    for product in products:
        applicable = [(rule, promo) for seller_id, rule, promo in rules if seller_id in (None, product.seller_id)]
        if promo := _promo_for(product, prices.get(product.pk, product.price_from), applicable, paths):
            found[product.pk] = promo
    return found


def annotate_cards(
    products: Iterable[Product], *, now: datetime, prices: dict[int, Decimal] | None = None
) -> dict[int, PromoPrice]:
    """Set `product.promo` (a PromoPrice or None) on each product, for the product card template; returns them."""
    products = list(products)
    found = promo_prices(products, now=now, prices=prices)
    for product in products:
        product.promo = found.get(product.pk)
    return found


def products_to_choose(*, actor: User, seller: Organization, limit: int = 500) -> list[Product]:
    """The seller's products for a promotion's product picker, newest first (1 query)."""
    require(actor, seller, MANAGE)
    return list(
        Product.objects.filter(seller=seller).only("id", "title", "title_zh").order_by("-created_at", "-id")[:limit]
    )


def baskets_for(items: list[tuple[int, int]], *, shipping: dict[int, Money] | None = None) -> list[SellerBasket]:
    """(variant id, quantity) pairs → one SellerBasket per seller of active, published variants (1 query).

    Unknown or unavailable variants raise ValidationFailed on field "items". Shipping per seller id (default 0).
    """
    quantities: dict[int, int] = {}
    for variant_id, quantity in items:
        if quantity < 1:
            raise ValidationFailed(_("Quantities must be 1 or more."), field="items")
        quantities[variant_id] = quantities.get(variant_id, 0) + quantity
    variants = (
        Variant.objects.filter(pk__in=quantities, is_active=True, product__in=Product.objects.published())
        .select_related("product__seller", "product__category")
        .order_by("product__seller_id", "id")
    )
    variants = list(variants)
    if len(variants) != len(quantities):
        raise ValidationFailed(_("Some of these items are not for sale."), field="items")
    baskets: dict[int, SellerBasket] = {}
    for variant in variants:
        product = variant.product
        line = engine.PricedLine(
            variant.pk,
            product.pk,
            product.category.path if product.category else "",
            quantities[variant.pk],
            Money(variant.price, variant.currency),
        )
        seller_shipping = (shipping or {}).get(product.seller_id, Money(0, variant.currency))
        basket = baskets.setdefault(product.seller_id, SellerBasket(product.seller, [], seller_shipping))
        basket.lines.append(line)
    return list(baskets.values())


def with_targets(promotions: list[Promotion]) -> list[Promotion]:
    """Load the categories and products of a page of promotions (2 queries whatever the page length)."""
    prefetch_related_objects(promotions, "categories", "products")
    return promotions


def seller_id_of(promotion_id: int) -> int | None:
    """Which organization runs a promotion (None: no such promotion); callers then check the actor belongs to it."""
    return Promotion.objects.filter(pk=promotion_id).values_list("seller_id", flat=True).first()
