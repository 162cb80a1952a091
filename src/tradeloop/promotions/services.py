"""Promotions: pricing a seller order (`price`), taking usage when an order is placed (`redeem`), giving it back when an
unpaid order is cancelled (`release`), and the sellers' and operators' promotion management.

The combination rules are stated in `tradeloop.promotions.engine` (and docs/promotions.md); this module loads the
promotions that may apply, checks the entered codes, runs the engine and shapes its outcome into a `Breakdown`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Greatest, Upper
from django.utils import formats
from django.utils.translation import gettext as _

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Category, Product
from tradeloop.core import clock
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.core.money import Money, check_currency, parse_amount
from tradeloop.promotions import eligibility, engine
from tradeloop.promotions.engine import PricedLine, Problem
from tradeloop.promotions.models import Promotion, Redemption

__all__ = [
    "AdjustmentDraft",
    "Breakdown",
    "LineResult",
    "PricedLine",
    "PromotionUse",
    "SellerBasket",
    "price",
    "price_checkout",
    "redeem",
    "release",
]

MAX_CODES = 5


@dataclass(frozen=True)
class LineResult:
    discount: Money  # everything taken off this line (its share of order-wide discounts included)
    total: Money  # what the buyer pays for the line


@dataclass(frozen=True)
class AdjustmentDraft:
    """One labelled line of the breakdown; becomes an `orders.Adjustment`. Discounts are negative."""

    kind: str  # "discount"
    label: str
    code: str
    promotion_id: int | None
    amount: Money
    line_index: int | None  # None: the order as a whole (order-wide discounts, free shipping)


@dataclass(frozen=True)
class PromotionUse:
    """What `redeem` records for one applied promotion."""

    promotion_id: int
    amount: Money
    units: int  # flash-sale units taken


@dataclass
class Breakdown:
    lines: list[LineResult]
    adjustments: list[AdjustmentDraft]
    subtotal: Money
    discount_total: Money  # goods discounts + waived shipping
    shipping_total: Money  # the shipping charge before any free-shipping promotion
    total: Money  # subtotal - discount_total + shipping_total, never below zero
    applied: list[int]
    errors: list[str]
    problems: list[Problem] = field(default_factory=list)  # the same errors with their code and a stable reason
    uses: list[PromotionUse] = field(default_factory=list)


# --- loading ---------------------------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return (code or "").strip().upper()


def _wanted_codes(codes: Iterable[str]) -> list[str]:
    wanted: list[str] = []
    for code in map(normalise_code, codes or ()):
        if code and code not in wanted:
            wanted.append(code)
    return wanted[:MAX_CODES]


def running(now: datetime) -> Q:
    """Promotions switched on and inside their time window."""
    return Q(is_active=True, starts_at__lte=now) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def _candidates(seller: Organization, wanted: list[str], now: datetime) -> list[Promotion]:
    """Running automatic promotions of the seller and the platform, and every promotion with an entered code."""
    return list(
        Promotion.objects.filter(Q(seller=seller) | Q(seller__isnull=True))
        .annotate(code_key=Upper("code"))
        .filter((Q(code="") & running(now)) | Q(code_key__in=wanted))
        .prefetch_related(
            Prefetch("categories", Category.objects.only("id", "path")),
            Prefetch("products", Product.objects.only("id")),
        )
    )


def _uses_by(buyer: User | None, promotions: list[Promotion]) -> dict[int, int]:
    limited = [p.pk for p in promotions if p.per_customer_limit]
    if not limited or not getattr(buyer, "is_authenticated", False):
        return {}
    rows = (
        Redemption.objects.filter(user=buyer, promotion_id__in=limited)
        .order_by()
        .values_list("promotion_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def to_rule(promotion: Promotion) -> engine.Rule:
    flash_left = None
    if promotion.flash_stock_cap is not None:
        flash_left = max(promotion.flash_stock_cap - promotion.flash_sold, 0)
    return engine.Rule(
        id=promotion.pk,
        name=promotion.name,
        kind=promotion.kind,
        value=promotion.value,
        scope=promotion.scope,
        code=normalise_code(promotion.code),
        buy_quantity=promotion.buy_quantity,
        get_quantity=promotion.get_quantity,
        category_paths=tuple(c.path for c in promotion.categories.all()),
        product_ids=frozenset(p.pk for p in promotion.products.all()),
        min_spend=promotion.min_spend,
        stackable=promotion.stackable,
        platform=promotion.seller_id is None,
        flash_units_left=flash_left,
    )


def _date(value: datetime) -> str:
    return formats.date_format(value, "DATETIME_FORMAT")


def unusable_reason(promotion: Promotion, *, now: datetime, uses: int, currency: str) -> Problem | None:
    """Why this promotion cannot be used on this order now (None: it can)."""
    code = normalise_code(promotion.code) or promotion.name
    checks = (
        (not promotion.is_active, "inactive", _("Coupon %(code)s is no longer available.")),
        (promotion.starts_at > now, "not_started", _("Coupon %(code)s can be used from %(when)s.")),
        (
            promotion.ends_at is not None and promotion.ends_at <= now,
            "expired",
            _("Coupon %(code)s expired on %(when)s."),
        ),
        (
            promotion.usage_limit is not None and promotion.used_count >= promotion.usage_limit,
            "exhausted",
            _("Coupon %(code)s has been used up."),
        ),
        (
            promotion.flash_stock_cap is not None and promotion.flash_sold >= promotion.flash_stock_cap,
            "exhausted",
            _("The flash sale %(code)s has sold out."),
        ),
        (
            promotion.per_customer_limit is not None and uses >= promotion.per_customer_limit,
            "customer_limit",
            _("You have already used coupon %(code)s as often as allowed (%(limit)s)."),
        ),
        (promotion.currency != currency, "currency", _("Coupon %(code)s is for orders in %(currency)s.")),
    )
    for failed, reason, message in checks:
        if failed:
            when = promotion.starts_at if reason == "not_started" else promotion.ends_at
            values = {
                "code": code,
                "when": _date(when) if when else "",
                "limit": promotion.per_customer_limit,
                "currency": promotion.currency,
            }
            return Problem(code, reason, message % values)
    return None


def _codes_elsewhere(codes: list[str]) -> set[str]:
    if not codes:
        return set()
    return set(
        Promotion.objects.annotate(code_key=Upper("code")).filter(code_key__in=codes).values_list("code_key", flat=True)
    )


def _check_codes(
    found: list[Promotion],
    wanted: list[str],
    *,
    buyer_uses: dict[int, int],
    now: datetime,
    currency: str,
    refused: frozenset[int] = frozenset(),
) -> tuple[list[engine.Rule], list[Problem]]:
    coupons: list[engine.Rule] = []
    problems: list[Problem] = []
    matched: set[str] = set()
    for promotion in sorted((p for p in found if p.code), key=lambda p: wanted.index(normalise_code(p.code))):
        matched.add(normalise_code(promotion.code))
        problem = unusable_reason(promotion, now=now, uses=buyer_uses.get(promotion.pk, 0), currency=currency)
        if problem is None and promotion.pk in refused:
            code = normalise_code(promotion.code)
            problem = Problem(code, "not_eligible", _("Coupon %(code)s is not for this account.") % {"code": code})
        if problem:
            problems.append(problem)
        else:
            coupons.append(to_rule(promotion))
    missing = [code for code in wanted if code not in matched]
    other_stores = _codes_elsewhere(missing)
    for code in missing:
        if code in other_stores:  # another seller's coupon: it applies to that seller's order of the checkout
            problems.append(Problem(code, "other_store", _("Coupon %(code)s is for another store.") % {"code": code}))
        else:
            problems.append(Problem(code, "unknown", _("There is no coupon %(code)s.") % {"code": code}))
    return coupons, problems


# --- pricing ---------------------------------------------------------------------------------------------------


def price(
    *,
    buyer: User | None,
    seller: Organization,
    lines: list[PricedLine],
    shipping: Money,
    codes: list[str],
    now: datetime,
) -> Breakdown:
    """The price breakdown of one seller order: every discount labelled, errors for codes that did not apply.

    Pure: reads only (4 queries whatever the number of lines; 5 when a code belongs to no promotion here).
    A checkout with several sellers should call `price_checkout`, which uses a platform coupon only once.
    """
    currency = lines[0].unit_price.currency if lines else shipping.currency
    wanted = _wanted_codes(codes)
    found = _candidates(seller, wanted, now)
    buyer_uses = _uses_by(buyer, found)
    automatic = [
        to_rule(p)
        for p in found
        if not p.code and unusable_reason(p, now=now, uses=buyer_uses.get(p.pk, 0), currency=currency) is None
    ]
    refused = eligibility.refused(buyer, [p for p in found if p.code])  # no query unless a coupon has an audience
    coupons, problems = _check_codes(found, wanted, buyer_uses=buyer_uses, now=now, currency=currency, refused=refused)
    outcome = engine.run(lines=lines, currency=currency, automatic=automatic, coupons=coupons)
    return _breakdown(outcome, currency=currency, shipping=shipping, problems=problems + outcome.problems)


def _label(rule: engine.Rule) -> str:
    if rule.kind == engine.FREE_SHIPPING:
        return _("Free shipping: %(name)s") % {"name": rule.name}
    if rule.is_coupon:
        return _("Coupon %(code)s: %(name)s") % {"code": rule.code, "name": rule.name}
    if rule.is_flash:
        return _("Flash sale: %(name)s") % {"name": rule.name}
    return rule.name


def _adjustments(basket: engine.Basket, currency: str) -> list[AdjustmentDraft]:
    """Order-wide promotions give one adjustment; product and category ones one per line they touch."""
    drafts: list[AdjustmentDraft] = []
    for rule in basket.rules():
        amounts = [(i, s.amount) for i, shares in enumerate(basket.shares) for s in shares if s.rule.id == rule.id]
        per_line = rule.scope in (engine.CATEGORY, engine.PRODUCT) or rule.is_flash
        groups = (
            [([i], a) for i, a in amounts] if per_line else [([i for i, _a in amounts], sum(a for _i, a in amounts))]
        )
        for indices, amount in groups:
            line_index = indices[0] if per_line else None
            drafts.append(
                AdjustmentDraft("discount", _label(rule), rule.code, rule.id, Money(-amount, currency), line_index)
            )
    return drafts


def _uses(basket: engine.Basket, shipping_rule: engine.Rule | None, shipping: Money) -> list[PromotionUse]:
    uses = []
    for rule in basket.rules():
        shares = [s for line_shares in basket.shares for s in line_shares if s.rule.id == rule.id]
        amount = Money(sum(s.amount for s in shares), shipping.currency)
        uses.append(PromotionUse(rule.id, amount, sum(s.units for s in shares)))
    if shipping_rule:
        uses.append(PromotionUse(shipping_rule.id, shipping, 0))
    return uses


def _breakdown(outcome: engine.Outcome, *, currency: str, shipping: Money, problems: list[Problem]) -> Breakdown:
    basket = outcome.basket
    zero = Money(0, currency)
    line_results = [
        LineResult(Money(line.amount - left, currency), Money(left, currency))
        for line, left in zip(basket.lines, basket.remaining(), strict=True)
    ]
    adjustments = _adjustments(basket, currency)
    waived = shipping if outcome.shipping_rule and shipping.amount > 0 else zero
    shipping_rule = outcome.shipping_rule if waived.amount > 0 else None
    if shipping_rule:
        adjustments.append(
            AdjustmentDraft("discount", _label(shipping_rule), shipping_rule.code, shipping_rule.id, -waived, None)
        )
    subtotal = Money(sum((line.amount for line in basket.lines), engine.ZERO), currency)
    discount_total = Money(basket.discount(), currency) + waived
    return Breakdown(
        lines=line_results,
        adjustments=adjustments,
        subtotal=subtotal,
        discount_total=discount_total,
        shipping_total=shipping,
        total=subtotal - discount_total + shipping,
        applied=[use.promotion_id for use in _uses(basket, shipping_rule, shipping)],
        errors=[p.message for p in problems if p.reason != "other_store"],
        problems=problems,
        uses=_uses(basket, shipping_rule, shipping),
    )


# --- usage -----------------------------------------------------------------------------------------------------


def _exhausted(promotion_id: int) -> Conflict:
    name = Promotion.objects.filter(pk=promotion_id).values_list("name", flat=True).first() or ""
    return Conflict(
        _("The promotion “%(name)s” has just run out; please review your order.") % {"name": name},
        code="promotion_exhausted",
        field="coupon_codes",
    )


def _take(use: PromotionUse) -> bool:
    """One more use (and the flash units) under a guarded UPDATE: no read-check-write."""
    within = Q(usage_limit__isnull=True) | Q(used_count__lt=F("usage_limit"))
    if use.units:
        within &= Q(flash_stock_cap__isnull=True) | Q(flash_sold__lte=F("flash_stock_cap") - use.units)
    taken = Promotion.objects.filter(within, pk=use.promotion_id, is_active=True).update(
        used_count=F("used_count") + 1, flash_sold=F("flash_sold") + use.units
    )
    return bool(taken)


def _over_customer_limit(promotion_id: int, buyer: User) -> bool:
    # Runs after _take's UPDATE, which holds the promotion's row lock: a concurrent redeem by the same buyer waits
    # for our commit, so the count below cannot miss it.
    seller_id, limit = Promotion.objects.filter(pk=promotion_id).values_list("seller_id", "per_customer_limit").get()
    forget_cached(seller_id)  # its uses (and flash units) changed
    return limit is not None and Redemption.objects.filter(promotion_id=promotion_id, user=buyer).count() > limit


@transaction.atomic
def redeem(*, breakdown: Breakdown, buyer: User, order_ref: str) -> list[Redemption]:
    """Take one use of every applied promotion (and its flash units) for the order; idempotent per order_ref.

    Raises Conflict(code="promotion_exhausted") if a limit was reached since the order was priced.
    """
    done = set(Redemption.objects.filter(order_ref=order_ref).values_list("promotion_id", flat=True))
    made: list[Redemption] = []
    for use in breakdown.uses:
        if use.promotion_id in done:
            continue
        if not _take(use):
            raise _exhausted(use.promotion_id)
        made.append(
            Redemption.objects.create(
                promotion_id=use.promotion_id,
                user=buyer,
                order_ref=order_ref,
                amount=use.amount.amount,
                units=use.units,
            )
        )
        if _over_customer_limit(use.promotion_id, buyer):
            raise Conflict(
                _("You have already used this promotion as often as allowed."),
                code="promotion_exhausted",
                field="coupon_codes",
            )
    return made


@transaction.atomic
def release(*, order_ref: str) -> int:
    """Give back the uses (and flash units) an order took: it was cancelled unpaid. Idempotent; returns how many."""
    redemptions = list(Redemption.objects.select_for_update().filter(order_ref=order_ref))
    for seller_id in set(Promotion.objects.filter(redemptions__in=redemptions).values_list("seller_id", flat=True)):
        forget_cached(seller_id)
    for redemption in redemptions:
        Promotion.objects.filter(pk=redemption.promotion_id).update(
            used_count=Greatest(F("used_count") - 1, 0),
            flash_sold=Greatest(F("flash_sold") - redemption.units, 0),
        )
    Redemption.objects.filter(pk__in=[r.pk for r in redemptions]).delete()
    return len(redemptions)


@dataclass(frozen=True)
class SellerBasket:
    seller: Organization
    lines: list[PricedLine]
    shipping: Money


def _platform_codes(codes: list[str]) -> set[str]:
    platform = Promotion.objects.filter(seller__isnull=True).annotate(code_key=Upper("code"))
    return set(platform.filter(code_key__in=codes).values_list("code_key", flat=True))


def _saving(breakdown: Breakdown, code: str) -> Money | None:
    ids = {a.promotion_id for a in breakdown.adjustments if a.code == code}
    found = [use.amount for use in breakdown.uses if use.promotion_id in ids]
    return sum(found[1:], found[0]) if found else None


def _report_once(breakdowns: list[Breakdown]) -> None:
    """A code's problem goes on the first seller order only; "for another store" only if no order could use it."""
    used_somewhere = {a.code for b in breakdowns for a in b.adjustments if a.code}
    everywhere_other = {p.code for p in breakdowns[0].problems if p.reason == "other_store"}
    for b in breakdowns[1:]:
        everywhere_other &= {p.code for p in b.problems if p.reason == "other_store"}
    seen: set[tuple[str, str]] = set()
    for b in breakdowns:
        kept = []
        for p in b.problems:
            if (p.code, p.reason) in seen or p.code in used_somewhere:
                continue
            if p.reason == "other_store" and p.code not in everywhere_other:
                continue
            seen.add((p.code, p.reason))
            kept.append(p)
        b.problems = kept
        b.errors = [p.message for p in kept]


def price_checkout(
    *, buyer: User | None, baskets: list[SellerBasket], codes: list[str], now: datetime
) -> list[Breakdown]:
    """Price every seller order of one checkout (use this rather than `price` per seller when there are several).

    The same as `price` for each basket, except that a platform coupon is used once per checkout, on the seller
    order where it saves the most, and each code's error is reported once (on the first order that has it).
    """
    wanted = _wanted_codes(codes)
    breakdowns = [
        price(buyer=buyer, seller=b.seller, lines=b.lines, shipping=b.shipping, codes=wanted, now=now) for b in baskets
    ]
    for code in _platform_codes(wanted) if len(baskets) > 1 else ():
        savings = [(i, s) for i, b in enumerate(breakdowns) if (s := _saving(b, code)) is not None]
        if len(savings) < 2:
            continue
        keep = max(savings, key=lambda found: (found[1].amount, -found[0]))[0]
        for i, _saving_there in savings:
            if i != keep:
                b = baskets[i]
                others = [c for c in wanted if c != code]
                breakdowns[i] = price(
                    buyer=buyer, seller=b.seller, lines=b.lines, shipping=b.shipping, codes=others, now=now
                )
    if breakdowns:
        _report_once(breakdowns)
    return breakdowns


# --- managing promotions ---------------------------------------------------------------------------------------

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,39}$")
MANAGE = "catalog.manage"


@dataclass
class PromotionInput:
    """What a seller (or an operator) fills in. Percent values are 0-100; amounts are in `currency`."""

    name: str
    kind: str
    value: Decimal = Decimal(0)
    code: str = ""
    scope: str = Promotion.Scope.ORDER
    category_ids: list[int] = field(default_factory=list)
    product_ids: list[int] = field(default_factory=list)
    min_spend: Decimal = Decimal(0)
    currency: str = "CNY"
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    usage_limit: int | None = None
    per_customer_limit: int | None = None
    flash_stock_cap: int | None = None
    buy_quantity: int = 0
    get_quantity: int = 0
    stackable: bool = False
    is_public: bool = True


def _positive_or_none(value: int | None, *, field_name: str) -> int | None:
    if value in (None, ""):
        return None
    if int(value) < 1:
        raise ValidationFailed(_("Use a whole number of 1 or more, or leave it empty."), field=field_name)
    return int(value)


def _clean_value(data: PromotionInput) -> Decimal:
    value = parse_amount(data.value, field="value")
    if data.kind == Promotion.Kind.PERCENT and not Decimal(0) < value <= 100:
        raise ValidationFailed(_("A percentage must be more than 0 and at most 100."), field="value")
    if data.kind == Promotion.Kind.FIXED and value <= 0:
        raise ValidationFailed(_("Enter the amount to take off."), field="value")
    if data.kind in (Promotion.Kind.FREE_SHIPPING, Promotion.Kind.BUY_X_GET_Y):
        return Decimal(0)
    return value


def _clean_window(data: PromotionInput, now: datetime) -> tuple[datetime, datetime | None]:
    starts_at = data.starts_at or now
    if data.ends_at is not None and data.ends_at <= starts_at:
        raise ValidationFailed(_("The end must be after the start."), field="ends_at")
    return starts_at, data.ends_at


def _clean_flash(data: PromotionInput, ends_at: datetime | None) -> int | None:
    cap = _positive_or_none(data.flash_stock_cap, field_name="flash_stock_cap")
    if cap is None:
        return None
    if data.kind not in (Promotion.Kind.PERCENT, Promotion.Kind.FIXED):
        raise ValidationFailed(_("A flash sale takes a percentage or an amount off each unit."), field="kind")
    if ends_at is None:
        raise ValidationFailed(_("A flash sale needs an end time."), field="ends_at")
    return cap


def _clean_code(code: str) -> str:
    code = normalise_code(code)
    if code and not CODE_PATTERN.match(code):
        raise ValidationFailed(_("A coupon code has 3 to 40 letters, digits, dashes or underscores."), field="code")
    return code


def _clean_targets(data: PromotionInput, seller: Organization | None) -> tuple[list[Category], list[Product]]:
    categories: list[Category] = []
    products: list[Product] = []
    if data.scope == Promotion.Scope.CATEGORY:
        categories = list(Category.objects.filter(pk__in=data.category_ids))
        if not categories or len(categories) != len(set(data.category_ids)):
            raise ValidationFailed(_("Choose one or more categories."), field="category_ids")
    if data.scope == Promotion.Scope.PRODUCT:
        qs = Product.objects.filter(pk__in=data.product_ids)
        products = list(qs.filter(seller=seller) if seller else qs)
        if not products or len(products) != len(set(data.product_ids)):
            raise ValidationFailed(_("Choose one or more of your products."), field="product_ids")
    return categories, products


def clean_promotion(data: PromotionInput, *, seller: Organization | None, now: datetime) -> dict:
    """Validated model fields (plus "categories" and "products") for a promotion, or ValidationFailed."""
    name = (data.name or "").strip()
    if not name or len(name) > 120:
        raise ValidationFailed(_("Give the promotion a name of at most 120 characters."), field="name")
    if data.kind not in Promotion.Kind.values:
        raise ValidationFailed(_("Choose a kind of promotion."), field="kind")
    if data.scope not in Promotion.Scope.values:
        raise ValidationFailed(_("Choose what the promotion applies to."), field="scope")
    if data.kind == Promotion.Kind.BUY_X_GET_Y and (int(data.buy_quantity) < 1 or int(data.get_quantity) < 1):
        raise ValidationFailed(_("Say how many to buy and how many are free (1 or more each)."), field="buy_quantity")
    min_spend = parse_amount(data.min_spend or 0, field="min_spend")
    if min_spend < 0:
        raise ValidationFailed(_("The minimum spend cannot be negative."), field="min_spend")
    starts_at, ends_at = _clean_window(data, now)
    categories, products = _clean_targets(data, seller)
    return {
        "name": name,
        "kind": data.kind,
        "value": _clean_value(data),
        "code": _clean_code(data.code),
        "scope": data.scope,
        "min_spend": min_spend,
        "currency": check_currency(data.currency),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "usage_limit": _positive_or_none(data.usage_limit, field_name="usage_limit"),
        "per_customer_limit": _positive_or_none(data.per_customer_limit, field_name="per_customer_limit"),
        "flash_stock_cap": _clean_flash(data, ends_at),
        "buy_quantity": int(data.buy_quantity or 0) if data.kind == Promotion.Kind.BUY_X_GET_Y else 0,
        "get_quantity": int(data.get_quantity or 0) if data.kind == Promotion.Kind.BUY_X_GET_Y else 0,
        "stackable": bool(data.stackable),
        "is_public": bool(data.is_public),
        "categories": categories,
        "products": products,
    }


STORE_COUPONS_TTL = 60


def store_coupons_key(seller_id: int | None) -> str:
    return f"promotions:store-coupons:{seller_id}"


CARD_RULES_TTL = 60


def card_rules_key(seller_id: int | None) -> str:
    return f"promotions:card-rules:{seller_id or 'platform'}"


def forget_cached(seller_id: int | None) -> None:
    """A seller's promotions changed: the product cards and the coupon strip read them afresh (now and on commit)."""
    keys = [store_coupons_key(seller_id), card_rules_key(seller_id)]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _save(promotion: Promotion, fields: dict) -> Promotion:
    categories, products = fields.pop("categories"), fields.pop("products")
    for name, value in fields.items():
        setattr(promotion, name, value)
    if promotion.usage_limit is not None and promotion.usage_limit < promotion.used_count:
        raise ValidationFailed(
            _("It has already been used %(count)s times; the limit cannot be lower.") % {"count": promotion.used_count},
            field="usage_limit",
        )
    if promotion.flash_stock_cap is not None and promotion.flash_stock_cap < promotion.flash_sold:
        raise ValidationFailed(
            _("%(count)s units have already sold; the cap cannot be lower.") % {"count": promotion.flash_sold},
            field="flash_stock_cap",
        )
    try:
        with transaction.atomic():
            promotion.save()
    except IntegrityError as exc:
        raise Conflict(
            _("You already have a coupon with the code %(code)s.") % {"code": promotion.code},
            code="duplicate_code",
            field="code",
        ) from exc
    promotion.categories.set(categories)
    promotion.products.set(products)
    forget_cached(promotion.seller_id)
    return promotion


@transaction.atomic
def create_promotion(*, actor: User, seller: Organization, data: PromotionInput) -> Promotion:
    require(actor, seller, MANAGE)
    fields = clean_promotion(data, seller=seller, now=clock.now())
    return _save(Promotion(seller=seller, created_at=clock.now()), fields)


@transaction.atomic
def create_targeted_coupon(*, actor: User, seller: Organization, data: PromotionInput, audience: str) -> Promotion:
    """A coupon only the buyers of a registered audience may use (`promotions.eligibility`); not in the coupon strip."""
    if not eligibility.known(audience):
        raise ValidationFailed(_("Unknown audience."), field="audience")
    if not data.code:
        raise ValidationFailed(_("A targeted coupon needs a code."), field="code")
    data.is_public = False
    require(actor, seller, MANAGE)
    fields = clean_promotion(data, seller=seller, now=clock.now())
    return _save(Promotion(seller=seller, created_at=clock.now(), audience=audience), fields)


def seller_promotion(*, actor: User, seller: Organization, promotion_id: int) -> Promotion:
    """The seller's promotion, for a member allowed to manage it; another seller's answers 404."""
    require(actor, seller, MANAGE)
    promotion = Promotion.objects.filter(pk=promotion_id, seller=seller).first()
    if promotion is None:
        raise NotFound(_("promotion not found"))
    return promotion


@transaction.atomic
def update_promotion(*, actor: User, seller: Organization, promotion_id: int, data: PromotionInput) -> Promotion:
    promotion = seller_promotion(actor=actor, seller=seller, promotion_id=promotion_id)
    promotion = Promotion.objects.select_for_update().get(pk=promotion.pk)  # used_count is checked against the limit
    fields = clean_promotion(data, seller=seller, now=promotion.starts_at)
    if data.starts_at is None:
        fields["starts_at"] = promotion.starts_at
    return _save(promotion, fields)


def set_active(*, actor: User, seller: Organization, promotion_id: int, active: bool) -> Promotion:
    """Switch a promotion off (it stops applying at once; past orders keep their discount) or back on."""
    promotion = seller_promotion(actor=actor, seller=seller, promotion_id=promotion_id)
    Promotion.objects.filter(pk=promotion.pk).update(is_active=active)
    promotion.is_active = active
    forget_cached(promotion.seller_id)
    return promotion


def input_from(promotion: Promotion) -> dict:
    """A promotion's current values as PromotionInput fields (to merge a partial change into)."""
    return {
        "name": promotion.name,
        "kind": promotion.kind,
        "value": promotion.value,
        "code": promotion.code,
        "scope": promotion.scope,
        "category_ids": [c.pk for c in promotion.categories.all()],
        "product_ids": [p.pk for p in promotion.products.all()],
        "min_spend": promotion.min_spend,
        "currency": promotion.currency,
        "starts_at": promotion.starts_at,
        "ends_at": promotion.ends_at,
        "usage_limit": promotion.usage_limit,
        "per_customer_limit": promotion.per_customer_limit,
        "flash_stock_cap": promotion.flash_stock_cap,
        "buy_quantity": promotion.buy_quantity,
        "get_quantity": promotion.get_quantity,
        "stackable": promotion.stackable,
        "is_public": promotion.is_public,
    }
