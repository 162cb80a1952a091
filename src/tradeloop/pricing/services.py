"""Pricing baskets: one seller's lines (`price_basket`) or a whole checkout (`price_checkout`); and the sellers'
writes: price lists (entries, assigned companies), public quantity tiers and order rules (minimum and multiple).

Unit prices come from `pricing.selectors.unit_prices` (the price sources); promotions' engine then applies its
rules, coupons and free shipping (`promotions.services.price` / `price_checkout`, unchanged). Basket pricing is a read:
no writes, a fixed number of queries per seller. Taking promotion uses when an order is placed stays
`promotions.services.redeem`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Variant
from tradeloop.core import clock
from tradeloop.core.errors import Conflict, ValidationFailed
from tradeloop.core.money import Money, check_currency, parse_amount
from tradeloop.pricing.errors import Code
from tradeloop.pricing.models import (
    MAX_QUANTITY,
    OrderRule,
    PriceList,
    PriceListAssignment,
    PriceListEntry,
    QuantityTier,
)
from tradeloop.pricing.selectors import (
    MANAGE,
    Ask,
    UnitPrice,
    check_order_quantities,
    check_order_quantity,
    forget_display,
    seller_price_list,
    seller_variant,
    unit_prices,
)
from tradeloop.promotions import services as promotions
from tradeloop.promotions.services import Breakdown, LineResult

__all__ = [
    "MANAGE",
    "Basket",
    "CheckoutPrice",
    "PricedBasket",
    "PricedItem",
    "baskets",
    "check_order_quantities",
    "check_order_quantity",
    "price_basket",
    "price_checkout",
]


@dataclass
class Basket:
    """One seller's lines with their unit prices. `shipping` is the charge before promotions; the caller sets it
    (shipping rates read the goods' value, `subtotal`)."""

    seller: Organization
    lines: list[UnitPrice]
    shipping: Money | None = None

    @property
    def currency(self) -> str:
        return self.lines[0].unit.currency

    @property
    def subtotal(self) -> Money:
        """The goods at their unit prices, before promotions."""
        return sum((line.subtotal for line in self.lines[1:]), self.lines[0].subtotal)

    def _for_promotions(self) -> promotions.SellerBasket:
        shipping = self.shipping if self.shipping is not None else Money(Decimal(0), self.currency)
        return promotions.SellerBasket(
            seller=self.seller, lines=[line.for_promotions() for line in self.lines], shipping=shipping
        )


@dataclass(frozen=True)
class PricedItem:
    """One line as it will be sold: unit price, quantity, what promotions take off, what the buyer pays."""

    price: UnitPrice
    result: LineResult

    @property
    def unit_price(self) -> Money:
        return self.price.unit

    @property
    def quantity(self) -> int:
        return self.price.quantity

    @property
    def subtotal(self) -> Money:
        return self.price.subtotal

    @property
    def discount(self) -> Money:
        return self.result.discount

    @property
    def total(self) -> Money:
        return self.result.total


@dataclass
class PricedBasket:
    """A seller's basket with promotions' breakdown: every discount labelled, the shipping, the total."""

    basket: Basket
    breakdown: Breakdown

    @property
    def items(self) -> list[PricedItem]:
        return [PricedItem(p, r) for p, r in zip(self.basket.lines, self.breakdown.lines, strict=True)]

    @property
    def total(self) -> Money:
        return self.breakdown.total


@dataclass
class CheckoutPrice:
    baskets: list[PricedBasket]
    total: Money
    errors: list[str] = field(default_factory=list)  # codes that did not apply, each reported once


def baskets(*, actor: User | None, asks: Sequence[Ask], now: datetime) -> list[Basket]:
    """The lines priced and grouped by seller, sellers and lines in the order asked (no query of its own)."""
    by_seller: dict[int, Basket] = {}
    for price in unit_prices(actor=actor, asks=asks, now=now):
        seller = price.variant.product.seller
        by_seller.setdefault(seller.pk, Basket(seller, [])).lines.append(price)
    return list(by_seller.values())


def price_basket(*, actor: User | None, basket: Basket, codes: Sequence[str] = (), now: datetime) -> PricedBasket:
    """One seller's basket with its promotions (4–5 queries whatever the number of lines)."""
    b = basket._for_promotions()
    breakdown = promotions.price(
        buyer=actor, seller=b.seller, lines=b.lines, shipping=b.shipping, codes=list(codes), now=now
    )
    return PricedBasket(basket, breakdown)


def price_checkout(
    *, actor: User | None, baskets: Sequence[Basket], codes: Sequence[str] = (), now: datetime
) -> CheckoutPrice:
    """Every seller's basket of one checkout: a platform coupon is used once, on the basket where it saves most."""
    breakdowns = promotions.price_checkout(
        buyer=actor, baskets=[b._for_promotions() for b in baskets], codes=list(codes), now=now
    )
    priced = [PricedBasket(b, breakdown) for b, breakdown in zip(baskets, breakdowns, strict=True)]
    total = sum((p.total for p in priced[1:]), priced[0].total) if priced else None
    return CheckoutPrice(baskets=priced, total=total, errors=[e for b in breakdowns for e in b.errors])


# --- sellers' writes: price lists, tiers, order rules -------------------------------------------------------------

MAX_ENTRIES = 2000
MAX_TIERS = 20
MAX_BUYERS = 500


@dataclass(frozen=True)
class PriceListInput:
    name: str
    currency: str
    priority: int = 0
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    is_active: bool = True


@dataclass(frozen=True)
class EntryInput:
    """One contract price: by variant id or by SKU (of the seller's goods), from `min_quantity` units."""

    unit_price: Decimal
    variant_id: int | None = None
    sku: str = ""
    min_quantity: int = 1


@dataclass(frozen=True)
class TierInput:
    min_quantity: int
    unit_price: Decimal


def _clean_list(data: PriceListInput) -> dict:
    name = (data.name or "").strip()
    if not name or len(name) > 120:
        raise ValidationFailed(gettext("Give the price list a name of at most 120 characters."), field="name")
    priority = data.priority
    if isinstance(priority, bool) or not isinstance(priority, int) or not 0 <= priority <= 1000:
        raise ValidationFailed(gettext("The priority is a whole number from 0 to 1000."), field="priority")
    if data.valid_from and data.valid_until and data.valid_until <= data.valid_from:
        raise ValidationFailed(gettext("The end of validity must come after its start."), field="valid_until")
    return {
        "name": name,
        "currency": check_currency(data.currency),
        "priority": priority,
        "valid_from": data.valid_from,
        "valid_until": data.valid_until,
        "is_active": bool(data.is_active),
    }


def _save_list(price_list: PriceList, fields: dict) -> PriceList:
    for key, value in fields.items():
        setattr(price_list, key, value)
    try:
        with transaction.atomic():
            price_list.save()
    except IntegrityError as exc:
        raise Conflict(
            gettext("You already have a price list named “%(name)s”.") % {"name": fields["name"]},
            field="name",
            code=Code.PRICE_LIST_NAME_TAKEN,
        ) from exc
    return price_list


def create_price_list(*, actor: User, seller: Organization, data: PriceListInput) -> PriceList:
    require(actor, seller, MANAGE)
    return _save_list(PriceList(seller=seller, created_at=clock.now()), _clean_list(data))


@transaction.atomic
def update_price_list(*, actor: User, seller: Organization, price_list_id: int, data: PriceListInput) -> PriceList:
    """Change a list's name, priority, validity or switch it on/off. Its currency is fixed once it has entries."""
    price_list = seller_price_list(actor=actor, seller=seller, price_list_id=price_list_id)
    fields = _clean_list(data)
    if fields["currency"] != price_list.currency and price_list.entries.exists():
        raise ValidationFailed(
            gettext("Remove the prices first: a list with prices keeps its currency."),
            field="currency",
            code=Code.CURRENCY_MISMATCH,
        )
    return _save_list(price_list, fields)


def delete_price_list(*, actor: User, seller: Organization, price_list_id: int) -> None:
    """Delete a list with its prices and assignments (orders placed keep the prices they were placed at)."""
    seller_price_list(actor=actor, seller=seller, price_list_id=price_list_id).delete()


def _quantity_from(value, *, field: str, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_QUANTITY:
        raise ValidationFailed(
            gettext("The quantity must be a whole number from %(low)s to %(max)s.") % {"low": low, "max": MAX_QUANTITY},
            field=field,
        )
    return value


def _price(value, *, field: str) -> Decimal:
    amount = parse_amount(value, field=field)
    if amount < 0:
        raise ValidationFailed(gettext("A price cannot be negative."), field=field)
    return amount


@transaction.atomic
def set_entries(
    *, actor: User, seller: Organization, price_list_id: int, entries: Sequence[EntryInput]
) -> list[PriceListEntry]:
    """Replace the list's prices with `entries` (all or nothing). Each names one of the seller's variants (by id or
    SKU), sold in the list's currency, once per from-quantity. A fixed number of queries."""
    price_list = seller_price_list(actor=actor, seller=seller, price_list_id=price_list_id)
    PriceList.objects.select_for_update().filter(pk=price_list.pk).first()  # one writer of a list's prices at a time
    if len(entries) > MAX_ENTRIES:
        raise ValidationFailed(gettext("At most %(n)s prices in one list.") % {"n": MAX_ENTRIES}, field="entries")
    ids = {e.variant_id for e in entries if e.variant_id}
    skus = {e.sku.strip().upper() for e in entries if not e.variant_id and e.sku.strip()}
    variants = Variant.objects.filter(product__seller=seller).select_related("product")
    by_id = {v.pk: v for v in variants.filter(pk__in=ids)} if ids else {}
    by_sku: dict[str, list[Variant]] = {}
    if skus:  # SKUs compare case-insensitively, as quick order reads them
        for variant in variants.annotate(sku_key=Upper("sku")).filter(sku_key__in=skus):
            by_sku.setdefault(variant.sku_key, []).append(variant)
    rows: list[PriceListEntry] = []
    seen: set[tuple[int, int]] = set()
    for index, entry in enumerate(entries):
        field = f"entries.{index}"
        variant = by_id.get(entry.variant_id) if entry.variant_id else _one(by_sku.get(entry.sku.strip().upper(), []))
        if variant is None:
            shown = entry.sku.strip() or str(entry.variant_id or "")
            raise ValidationFailed(
                gettext("None of your products has the SKU or id %(sku)s.") % {"sku": shown},
                field=field,
                code=Code.UNKNOWN_SKU,
            )
        if variant.currency != price_list.currency:
            raise ValidationFailed(
                gettext("%(sku)s is sold in %(currency)s; this list is in %(list)s.")
                % {"sku": variant.sku, "currency": variant.currency, "list": price_list.currency},
                field=field,
                code=Code.CURRENCY_MISMATCH,
            )
        min_q = _quantity_from(entry.min_quantity, field=f"{field}.min_quantity")
        if (variant.pk, min_q) in seen:
            raise ValidationFailed(
                gettext("%(sku)s from %(n)s units is priced twice.") % {"sku": variant.sku, "n": min_q},
                field=field,
                code=Code.DUPLICATE_ENTRY,
            )
        seen.add((variant.pk, min_q))
        unit = _price(entry.unit_price, field=f"{field}.unit_price")
        rows.append(PriceListEntry(price_list=price_list, variant=variant, min_quantity=min_q, unit_price=unit))
    PriceListEntry.objects.filter(price_list=price_list).delete()
    return PriceListEntry.objects.bulk_create(rows)


def _one(variants: list[Variant]) -> Variant | None:
    return variants[0] if len(variants) == 1 else None


@transaction.atomic
def set_buyers(
    *, actor: User, seller: Organization, price_list_id: int, buyers: Sequence[int | str]
) -> list[Organization]:
    """Assign the list to exactly these buyer organizations (by id or slug); their members buy at its prices.
    The seller itself and the operator cannot be given one."""
    price_list = seller_price_list(actor=actor, seller=seller, price_list_id=price_list_id)
    if len(buyers) > MAX_BUYERS:
        raise ValidationFailed(gettext("At most %(n)s companies per list.") % {"n": MAX_BUYERS}, field="buyers")
    ids = {int(b) for b in buyers if isinstance(b, int) or str(b).isdigit()}
    slugs = {str(b).strip().lower() for b in buyers if not (isinstance(b, int) or str(b).isdigit()) and str(b).strip()}
    found = Organization.objects.filter(is_active=True).exclude(pk=seller.pk)
    found = found.exclude(kind=Organization.Kind.OPERATOR)
    orgs = list(found.filter(pk__in=ids)) + list(found.filter(slug__in=slugs)) if (ids or slugs) else []
    known = {o.pk for o in orgs} | {o.slug for o in orgs}
    unknown = [str(b) for b in buyers if (int(b) if str(b).isdigit() else str(b).strip().lower()) not in known]
    unknown = [u for u in unknown if u.strip()]
    if unknown:
        raise ValidationFailed(
            gettext("No company %(name)s can be given a price list.") % {"name": unknown[0]},
            field="buyers",
            code=Code.UNKNOWN_COMPANY,
        )
    unique = {o.pk: o for o in orgs}
    PriceListAssignment.objects.filter(price_list=price_list).exclude(buyer_id__in=list(unique)).delete()
    have = set(PriceListAssignment.objects.filter(price_list=price_list).values_list("buyer_id", flat=True))
    PriceListAssignment.objects.bulk_create(
        [
            PriceListAssignment(price_list=price_list, buyer=o, created_at=clock.now())
            for o in unique.values()
            if o.pk not in have
        ]
    )
    return sorted(unique.values(), key=lambda o: o.name)


@transaction.atomic
def set_tiers(*, actor: User, seller: Organization, variant_id: int, tiers: Sequence[TierInput]) -> list[QuantityTier]:
    """Replace a variant's public quantity tiers (each from 2 units or more, once per quantity), in its currency."""
    variant = seller_variant(actor=actor, seller=seller, variant_id=variant_id)
    Variant.objects.select_for_update().filter(pk=variant.pk).first()
    if len(tiers) > MAX_TIERS:
        raise ValidationFailed(gettext("At most %(n)s tiers.") % {"n": MAX_TIERS}, field="tiers")
    rows, seen = [], set()
    for index, tier in enumerate(tiers):
        min_q = _quantity_from(tier.min_quantity, field=f"tiers.{index}.min_quantity", low=2)
        if min_q in seen:
            raise ValidationFailed(
                gettext("Two tiers start at %(n)s units.") % {"n": min_q},
                field=f"tiers.{index}.min_quantity",
                code=Code.DUPLICATE_ENTRY,
            )
        seen.add(min_q)
        unit = _price(tier.unit_price, field=f"tiers.{index}.unit_price")
        rows.append(QuantityTier(variant=variant, min_quantity=min_q, unit_price=unit, currency=variant.currency))
    QuantityTier.objects.filter(variant=variant).delete()
    saved = QuantityTier.objects.bulk_create(sorted(rows, key=lambda t: t.min_quantity))
    transaction.on_commit(lambda: forget_display([variant.pk]))
    forget_display([variant.pk])
    return saved


def set_order_rule(
    *, actor: User, seller: Organization, variant_id: int, min_quantity: int | None, multiple: int | None
) -> OrderRule | None:
    """Set a variant's minimum order quantity and order multiple. The minimum defaults to the multiple and must be
    one of its multiples (minimum 50 in multiples of 10: 50, 60, 70, …). Minimum 1 and multiple 1: no rule."""
    variant = seller_variant(actor=actor, seller=seller, variant_id=variant_id)
    multiple = 1 if multiple is None else _quantity_from(multiple, field="multiple")
    min_quantity = multiple if min_quantity is None else _quantity_from(min_quantity, field="min_quantity")
    if min_quantity % multiple:
        raise ValidationFailed(
            gettext("The minimum order (%(min)s) must be a multiple of %(multiple)s.")
            % {"min": min_quantity, "multiple": multiple},
            field="min_quantity",
            code=Code.BAD_ORDER_RULE,
        )
    forget_display([variant.pk])
    transaction.on_commit(lambda: forget_display([variant.pk]))
    if min_quantity == 1 and multiple == 1:
        OrderRule.objects.filter(variant=variant).delete()
        return None
    rule, _ = OrderRule.objects.update_or_create(
        variant=variant, defaults={"min_quantity": min_quantity, "multiple": multiple}
    )
    return rule


@transaction.atomic
def update_tiers_and_rule(
    *,
    actor: User,
    seller: Organization,
    variant_id: int,
    tiers: Sequence[TierInput],
    min_quantity: int | None,
    multiple: int | None,
) -> None:
    """The tier editor's save: the public tiers and the order rule of a variant together (all or nothing)."""
    set_tiers(actor=actor, seller=seller, variant_id=variant_id, tiers=tiers)
    set_order_rule(actor=actor, seller=seller, variant_id=variant_id, min_quantity=min_quantity, multiple=multiple)


@transaction.atomic
def save_price_list(
    *,
    actor: User,
    seller: Organization,
    price_list_id: int | None,
    data: PriceListInput,
    buyers: Sequence[int | str],
    entries: Sequence[EntryInput],
) -> PriceList:
    """The console's save: the list, its companies and its prices together (all or nothing)."""
    if price_list_id is None:
        price_list = create_price_list(actor=actor, seller=seller, data=data)
    else:
        price_list = update_price_list(actor=actor, seller=seller, price_list_id=price_list_id, data=data)
    set_entries(actor=actor, seller=seller, price_list_id=price_list.pk, entries=entries)
    set_buyers(actor=actor, seller=seller, price_list_id=price_list.pk, buyers=buyers)
    return price_list
