"""Pricing answers one question: what does this actor pay for this variant, in this quantity, now.

A unit price is resolved here and nowhere else. `unit_prices` asks the price sources in `SOURCES`, in order, for
every line at once; the first source that answers for a line sets its unit price:

1. **contract** (`ContractPrice`): the price lists of the variant's seller assigned to an organization the actor is
   a member of (any of their memberships), switched on, inside their validity window (`valid_from` ≤ now <
   `valid_until`, either end open) and in the variant's currency. A list prices a quantity with its entry of the
   largest "from quantity" not above it (the entry from 1 is the contract price, higher ones are the list's own
   tiers). Of the lists that price the line, the highest priority wins; at equal priority the lower price, then
   the older list. A contract price overrides the public tiers, also when a public tier would be lower: the
   contract is what the seller agreed with that company.
2. **tier** (`QuantityTier`): the public quantity tier of the largest "from quantity" not above the quantity.
3. **list**: the catalog's list price (`Variant.price`), which answers for every line.

Guests and consumers (no organization with a list assigned) get 2–3. Promotions come after the unit price:
`unit_price` shows what one line costs with the automatic promotions that apply to it alone (a flash sale, a
percentage off), and `pricing.services` prices whole baskets through promotions' engine with its combination rules.
Agreed quote prices never come through here (orders take them as agreed).

Order rules (`check_order_quantity`): a variant may require a minimum order quantity and an order multiple.

Reads only; a fixed number of queries whatever the number of lines: the tier source one query (none when every
line is of one unit), the contract source one (none for guests), the order rules one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Product, Variant
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.core.money import Money, quantize
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.pricing.errors import Code
from tradeloop.pricing.models import OrderRule, PriceList, PriceListAssignment, PriceListEntry, QuantityTier
from tradeloop.promotions import services as promotions
from tradeloop.promotions.engine import PricedLine

LIST = "list"
TIER = "tier"
CONTRACT = "contract"
MAX_QUANTITY = 10_000


@dataclass(frozen=True)
class Ask:
    """A line to price: a variant (with its product loaded) and how many units."""

    variant: Variant
    quantity: int


@dataclass(frozen=True)
class UnitPrice:
    """The price of one line before promotions: one unit from the first source that answered, times the quantity."""

    variant: Variant
    quantity: int
    unit: Money
    source: str  # "contract", "tier" or "list": the source that answered

    @property
    def list_price(self) -> Money:
        return Money(self.variant.price, self.variant.currency)

    @property
    def subtotal(self) -> Money:
        return self.unit * self.quantity

    def for_promotions(self) -> PricedLine:
        """The line as promotions' engine reads it."""
        product = self.variant.product
        return PricedLine(
            variant_id=self.variant.pk,
            product_id=product.pk,
            category_path=product.category.path if product.category_id else "",
            quantity=self.quantity,
            unit_price=self.unit,
        )


class PriceSource(Protocol):
    """Where unit prices come from. `prices` answers for the asks it knows (by their index), in the variant's
    currency, and leaves out the others: the next source is asked for those. One query for all the asks at most."""

    name: str

    def prices(self, *, actor: User | None, asks: Sequence[Ask], now: datetime) -> dict[int, Decimal]: ...


class ListPrice:
    """The catalog's price of the variant: the last source, it answers for every line (no query)."""

    name = LIST

    def prices(self, *, actor: User | None, asks: Sequence[Ask], now: datetime) -> dict[int, Decimal]:
        return {i: ask.variant.price for i, ask in enumerate(asks)}


def _signed_in(actor: User | None) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


@dataclass(frozen=True)
class ContractRow:
    """One entry of a price list that applies to the actor."""

    price_list_id: int
    price_list_name: str
    priority: int
    min_quantity: int
    unit_price: Decimal


def valid_at(now: datetime, prefix: str = "") -> Q:
    """Price lists switched on and inside their validity window (either end may be open)."""
    return (
        Q(**{f"{prefix}is_active": True})
        & (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": now}))
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": now}))
    )


def contract_rows(*, actor: User | None, variants: Sequence[Variant], now: datetime) -> dict[int, list[ContractRow]]:
    """variant id → the entries of the price lists that apply to the actor for it: lists of the variant's seller, in
    its currency, valid now, assigned to an active organization the actor is a member of. One query (none for a
    guest)."""
    if not _signed_in(actor) or not variants:
        return {}
    by_id = {v.pk: v for v in variants}
    rows = (
        PriceListEntry.objects.filter(valid_at(now, "price_list__"), variant_id__in=list(by_id))
        .filter(
            price_list__assignments__buyer__memberships__user=actor,
            price_list__assignments__buyer__is_active=True,
        )
        .values_list(
            "pk",
            "variant_id",
            "min_quantity",
            "unit_price",
            "price_list_id",
            "price_list__name",
            "price_list__priority",
            "price_list__currency",
            "price_list__seller_id",
        )
        .order_by()
    )
    found: dict[int, list[ContractRow]] = {}
    seen: set[int] = set()
    for pk, variant_id, min_q, price, list_id, name, priority, currency, seller_id in rows:
        variant = by_id[variant_id]
        if pk in seen or currency != variant.currency or seller_id != variant.product.seller_id:
            continue  # the actor is in two companies given the list; a list of another seller or currency
        seen.add(pk)
        found.setdefault(variant_id, []).append(ContractRow(list_id, name, priority, min_q, price))
    return found


def contract_at(rows: Sequence[ContractRow], quantity: int) -> ContractRow | None:
    """The entry that prices `quantity` units (the precedence rule of the module docstring), or None."""
    best_of_list: dict[int, ContractRow] = {}
    for row in rows:
        if row.min_quantity <= quantity:
            held = best_of_list.get(row.price_list_id)
            if held is None or row.min_quantity > held.min_quantity:
                best_of_list[row.price_list_id] = row
    if not best_of_list:
        return None
    return min(best_of_list.values(), key=lambda r: (-r.priority, r.unit_price, r.price_list_id))


def public_tiers(variants: Sequence[Variant]) -> dict[int, list[tuple[int, Decimal]]]:
    """variant id → its public tiers (from quantity, unit price) in the variant's currency, ascending. One query."""
    by_id = {v.pk: v for v in variants}
    found: dict[int, list[tuple[int, Decimal]]] = {}
    if not by_id:
        return found
    rows = QuantityTier.objects.filter(variant_id__in=list(by_id)).order_by("variant_id", "min_quantity")
    for variant_id, min_q, price, currency in rows.values_list("variant_id", "min_quantity", "unit_price", "currency"):
        if currency == by_id[variant_id].currency:
            found.setdefault(variant_id, []).append((min_q, price))
    return found


def tier_at(tiers: Sequence[tuple[int, Decimal]], quantity: int) -> Decimal | None:
    price = None
    for min_q, amount in tiers:  # ascending
        if min_q <= quantity:
            price = amount
    return price


class ContractPrice:
    """The actor's company price lists (see the module docstring for which list wins)."""

    name = CONTRACT

    def prices(self, *, actor: User | None, asks: Sequence[Ask], now: datetime) -> dict[int, Decimal]:
        rows = contract_rows(actor=actor, variants=[a.variant for a in asks], now=now)
        out = {}
        for i, ask in enumerate(asks):
            row = contract_at(rows.get(ask.variant.pk, ()), ask.quantity)
            if row is not None:
                out[i] = row.unit_price
        return out


class TierPrice:
    """Public quantity tiers: no query when every line is of one unit (a tier starts at 2)."""

    name = TIER

    def prices(self, *, actor: User | None, asks: Sequence[Ask], now: datetime) -> dict[int, Decimal]:
        wanted = [a for a in asks if a.quantity >= 2]
        if not wanted:
            return {}
        tiers = public_tiers([a.variant for a in wanted])
        out = {}
        for i, ask in enumerate(asks):
            amount = tier_at(tiers.get(ask.variant.pk, ()), ask.quantity)
            if amount is not None:
                out[i] = amount
        return out


# Asked in order; the first that answers for a line sets its unit price.
SOURCES: tuple[PriceSource, ...] = (ContractPrice(), TierPrice(), ListPrice())


def unit_prices(*, actor: User | None, asks: Sequence[Ask], now: datetime) -> list[UnitPrice]:
    """The unit price of every line, from the first source in `SOURCES` that answers for it (same order as asks)."""
    found: dict[int, tuple[str, Decimal]] = {}
    for source in SOURCES:
        missing = [i for i in range(len(asks)) if i not in found]
        if not missing:
            break
        answered = source.prices(actor=actor, asks=[asks[i] for i in missing], now=now)
        for j, amount in answered.items():
            found[missing[j]] = (source.name, amount)
    out = []
    for i, ask in enumerate(asks):
        source, amount = found.get(i, (LIST, ask.variant.price))
        unit = Money(quantize(amount, ask.variant.currency), ask.variant.currency)  # a source may give fractions
        out.append(UnitPrice(ask.variant, ask.quantity, unit, source))
    return out


def for_sale(variant: Variant) -> bool:
    """Only what is for sale gets a price: an active variant of a published product of an active seller."""
    product = variant.product
    return variant.is_active and product.status == Product.Status.PUBLISHED and product.seller.is_active


class NotForSale(Conflict):
    code = "not_for_sale"


def check_quantity(quantity) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationFailed(
            gettext("The quantity must be a whole number from 1 to %(max)s.") % {"max": MAX_QUANTITY},
            field="quantity",
        )
    return quantity


@dataclass(frozen=True)
class PriceQuote:
    """What the actor pays for `quantity` units of the variant now, bought on their own."""

    price: UnitPrice
    discount: Money  # what the automatic promotions take off (a flash sale, a percentage off, …)
    total: Money  # price.subtotal − discount
    promotions: tuple[str, ...]  # the labels of the promotions that apply

    @property
    def unit_price(self) -> Money:
        return self.price.unit

    @property
    def subtotal(self) -> Money:
        return self.price.subtotal

    @property
    def per_unit(self) -> Money:
        """What one of these units comes to, promotions included (rounded to the currency)."""
        return Money(self.total.amount / self.price.quantity, self.total.currency).rounded()


def unit_price(*, actor: User | None, variant: Variant, quantity: int, now: datetime) -> PriceQuote:
    """What the actor pays for `quantity` units of the variant now, bought on their own: the unit price from the
    sources, then the automatic promotions that apply to the line alone (no coupon, no shipping).

    Refuses what is not for sale (`NotForSale`, 409) and a quantity that is not a whole number from 1 (400).
    Five queries at most (the variant's product and seller when not loaded, then promotions' four)."""
    check_quantity(quantity)
    variant = _loaded(variant)
    if not for_sale(variant):
        raise NotForSale(
            gettext("%(title)s is not for sale.") % {"title": variant.product.display_title}, field="variant"
        )
    price = unit_prices(actor=actor, asks=[Ask(variant, quantity)], now=now)[0]
    breakdown = promotions.price(
        buyer=actor,
        seller=variant.product.seller,
        lines=[price.for_promotions()],
        shipping=Money(Decimal(0), price.unit.currency),
        codes=[],
        now=now,
    )
    line = breakdown.lines[0]
    labels = tuple(str(a.label) for a in breakdown.adjustments)
    return PriceQuote(price=price, discount=line.discount, total=line.total, promotions=labels)


def _loaded(variant: Variant) -> Variant:
    if "product" in variant._state.fields_cache and "seller" in variant.product._state.fields_cache:
        return variant
    return Variant.objects.select_related("product__seller", "product__category").get(pk=variant.pk)


# --- order rules: minimum order quantity and order multiple --------------------------------------------------


class BelowMinimum(ValidationFailed):
    code = Code.BELOW_MINIMUM


class NotAMultiple(ValidationFailed):
    code = Code.NOT_A_MULTIPLE


def with_order_rules(variants: Sequence[Variant]) -> None:
    """Load the order rules of many variants in one query, so that `order_rule_of` (and `check_order_quantity`)
    asks nothing more for them."""
    missing = [v for v in variants if "order_rule" not in v._state.fields_cache]
    if not missing:
        return
    rules = {r.variant_id: r for r in OrderRule.objects.filter(variant_id__in={v.pk for v in missing})}
    for variant in missing:
        variant._state.fields_cache["order_rule"] = rules.get(variant.pk)


def order_rule_of(variant: Variant) -> OrderRule | None:
    """The variant's order rule, or None (any quantity from 1). One query unless loaded (`with_order_rules`, or
    `select_related("order_rule")`)."""
    with_order_rules([variant])
    return variant._state.fields_cache["order_rule"]


def rule_text(min_quantity: int, multiple: int) -> str:
    """ "Minimum order is 50, in multiples of 10." ("" when any quantity goes)."""
    if multiple > 1:
        return gettext("Minimum order is %(min)s, in multiples of %(multiple)s.") % {
            "min": min_quantity,
            "multiple": multiple,
        }
    if min_quantity > 1:
        return gettext("Minimum order is %(min)s.") % {"min": min_quantity}
    return ""


def check_order_quantity(variant: Variant, quantity: int) -> None:
    """Refuse a quantity below the variant's minimum order (`below_minimum`) or not a multiple of its order multiple
    (`not_a_multiple`), with the rule as the message: "Minimum order is 50, in multiples of 10." (field quantity)."""
    rule = order_rule_of(variant)
    if rule is None:
        return
    if quantity < rule.min_quantity:
        raise BelowMinimum(rule_text(rule.min_quantity, rule.multiple), field="quantity")
    if quantity % rule.multiple:
        raise NotAMultiple(rule_text(rule.min_quantity, rule.multiple), field="quantity")


def order_quantity_problems(lines: Sequence[tuple[Variant, int]]) -> dict[int, ValidationFailed]:
    """The bulk form for a basket: line index → its error, for the lines whose quantity breaks their variant's
    rule (one query for all the lines)."""
    with_order_rules([variant for variant, _ in lines])
    problems: dict[int, ValidationFailed] = {}
    for index, (variant, quantity) in enumerate(lines):
        try:
            check_order_quantity(variant, quantity)
        except ValidationFailed as error:
            problems[index] = error
    return problems


def check_order_quantities(lines: Sequence[tuple[Variant, int]]) -> None:
    """Raise the error of the first line that breaks its rule, its field naming the line ("items.<index>")."""
    problems = order_quantity_problems(lines)
    if problems:
        index = min(problems)
        error = problems[index]
        error.field = f"items.{index}"
        raise error


# --- the product page's price table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TierRow:
    """From `min_quantity` to `max_quantity` units (None: and more) one unit costs `unit`."""

    min_quantity: int
    max_quantity: int | None
    unit: Money
    source: str  # "list", "tier" or "contract"


@dataclass(frozen=True)
class VariantPricing:
    """What the product page and products/{id} show for a variant: the public tier table (from the minimum order
    quantity), the order rule, and — for a member of a company with a contract — the actor's own table."""

    variant: Variant
    min_quantity: int
    multiple: int
    public: list[TierRow]
    contract: list[TierRow]  # empty: no contract price for this actor; else the actor's prices, contract or not
    price_list: str  # the name of the list that prices the minimum quantity ("" when none)

    @property
    def rule(self) -> str:
        return rule_text(self.min_quantity, self.multiple)

    @property
    def contract_price(self) -> Money | None:
        """The actor's contract price for the minimum order quantity (None: the public price applies)."""
        first = self.contract[0] if self.contract else None
        return first.unit if first and first.source == CONTRACT else None

    @property
    def has_tiers(self) -> bool:
        return len(self.public) > 1


def _rows(points: list[int], price_at) -> list[TierRow]:
    rows: list[TierRow] = []
    for point in sorted(set(points)):
        source, unit = price_at(point)
        if rows and rows[-1].unit == unit and rows[-1].source == source:
            continue  # the same price as the row before: one row
        if rows:
            last = rows[-1]
            rows[-1] = TierRow(last.min_quantity, point - 1, last.unit, last.source)
        rows.append(TierRow(point, None, unit, source))
    return rows


DISPLAY_TTL = 300  # seconds; the services forget a variant's entry when its tiers or order rule change


def display_key(variant_id: int) -> str:
    return f"pricing:display:{variant_id}"


def forget_display(variant_ids: Iterable[int]) -> None:
    cache.delete_many([display_key(v) for v in variant_ids])


def _display_facts(variants: Sequence[Variant]) -> dict[int, tuple[list, tuple[int, int] | None]]:
    """variant id → (public tier rows (from, price, currency), (minimum, multiple) or None), read through a short
    cache for product pages (never for pricing a line: `unit_prices` and the order checks read the tables)."""
    keys = {display_key(v.pk): v.pk for v in variants}
    found = {keys[k]: value for k, value in cache.get_many(list(keys)).items()}
    missing = [v for v in variants if v.pk not in found]
    if missing:
        ids = [v.pk for v in missing]
        tiers: dict[int, list] = {}
        rows = QuantityTier.objects.filter(variant_id__in=ids).order_by("variant_id", "min_quantity")
        for variant_id, min_q, price, currency in rows.values_list(
            "variant_id", "min_quantity", "unit_price", "currency"
        ):
            tiers.setdefault(variant_id, []).append((min_q, price, currency))
        rules = dict(
            (v, (m, k))
            for v, m, k in OrderRule.objects.filter(variant_id__in=ids).values_list(
                "variant_id", "min_quantity", "multiple"
            )
        )
        fresh = {v: (tiers.get(v, []), rules.get(v)) for v in ids}
        cache.set_many({display_key(v): value for v, value in fresh.items()}, DISPLAY_TTL)
        found.update(fresh)
    return found


def variant_pricing(*, actor: User | None, variants: Sequence[Variant], now: datetime) -> dict[int, VariantPricing]:
    """variant id → its price table for this actor (before promotions). Public tiers and order rules come through a
    short cache (two queries when not cached), then one query for the actor's contract entries (none for guests);
    variants with their product loaded."""
    variants = list(variants)
    facts = _display_facts(variants)
    tiers = {v.pk: [(q, price) for q, price, currency in facts[v.pk][0] if currency == v.currency] for v in variants}
    contracts = contract_rows(actor=actor, variants=variants, now=now)
    out = {}
    for variant in variants:
        rule = facts[variant.pk][1]
        start, multiple = rule if rule else (1, 1)
        own_tiers = tiers.get(variant.pk, [])
        own_contract = contracts.get(variant.pk, [])

        def money(amount: Decimal, currency: str = variant.currency) -> Money:
            return Money(quantize(amount, currency), currency)

        def public_at(quantity: int, own_tiers=own_tiers, variant=variant, money=money) -> tuple[str, Money]:
            amount = tier_at(own_tiers, quantity)
            return (LIST, money(variant.price)) if amount is None else (TIER, money(amount))

        def actor_at(quantity: int, own_contract=own_contract, public_at=public_at, money=money) -> tuple[str, Money]:
            row = contract_at(own_contract, quantity)
            return (CONTRACT, money(row.unit_price)) if row else public_at(quantity)

        points = [start, *(q for q, _ in own_tiers if q > start)]
        public = _rows(points, public_at)
        contract: list[TierRow] = []
        first_list = ""
        if own_contract:
            contract = _rows(points + [r.min_quantity for r in own_contract if r.min_quantity > start], actor_at)
            chosen = contract_at(own_contract, start)
            first_list = chosen.price_list_name if chosen else ""
        out[variant.pk] = VariantPricing(variant, start, multiple, public, contract, first_list)
    return out


# --- sellers' and buyers' reads of price lists -------------------------------------------------------------------

MANAGE = "catalog.manage"


def seller_price_list(*, actor: User, seller: Organization, price_list_id: int) -> PriceList:
    """The seller's price list, for a member allowed to manage the catalog; another seller's answers 404."""
    require(actor, seller, MANAGE)
    found = PriceList.objects.filter(pk=price_list_id, seller=seller).first()
    if found is None:
        raise NotFound(gettext("price list not found"))
    return found


def seller_variant(*, actor: User, seller: Organization, variant_id: int) -> Variant:
    """A variant of the seller's goods; another seller's answers 404."""
    require(actor, seller, MANAGE)
    found = Variant.objects.select_related("product").filter(pk=variant_id, product__seller=seller).first()
    if found is None:
        raise NotFound(gettext("variant not found"), field="variant")
    return found


def seller_price_lists(*, actor: User, seller: Organization, cursor: str | None = None, limit: int = 50) -> Page:
    """The seller's price lists, highest priority first, with their companies and number of prices (2 queries)."""
    require(actor, seller, MANAGE)
    qs = (
        PriceList.objects.filter(seller=seller)
        .annotate(entry_count=Count("entries", distinct=True))
        .prefetch_related(Prefetch("buyers", Organization.objects.only("id", "name", "slug", "kind")))
    )
    return keyset_page(qs, order=("-priority", "name", "id"), cursor=cursor, limit=limit)


def price_list_detail(*, actor: User, seller: Organization, price_list_id: int) -> PriceList:
    found = seller_price_list(actor=actor, seller=seller, price_list_id=price_list_id)
    return (
        PriceList.objects.annotate(entry_count=Count("entries", distinct=True))
        .prefetch_related(Prefetch("buyers", Organization.objects.only("id", "name", "slug", "kind")))
        .get(pk=found.pk)
    )


def seller_id_of(price_list_id: int) -> int | None:
    return PriceList.objects.filter(pk=price_list_id).values_list("seller_id", flat=True).first()


def entries_of(price_list: PriceList, *, cursor: str | None = None, limit: int = 100) -> Page:
    """A list's prices by variant and from-quantity (1 query a page)."""
    qs = PriceListEntry.objects.filter(price_list=price_list).select_related("variant", "price_list")
    return keyset_page(qs, order=("variant_id", "min_quantity", "id"), cursor=cursor, limit=limit)


def all_entries(price_list: PriceList) -> list[PriceListEntry]:
    return list(
        PriceListEntry.objects.filter(price_list=price_list)
        .select_related("variant", "price_list")
        .order_by("variant__sku", "min_quantity", "id")
    )


def _assigned_to(actor: User) -> QuerySet[PriceList]:
    if not _signed_in(actor):
        return PriceList.objects.none()
    ids = PriceListAssignment.objects.filter(
        buyer__memberships__user=actor, buyer__is_active=True, price_list__seller__is_active=True
    ).values("price_list_id")
    return PriceList.objects.filter(pk__in=ids, is_active=True)


def buyer_price_lists(*, actor: User, cursor: str | None = None, limit: int = 24) -> Page:
    """The switched-on price lists given to the actor's organizations, with their seller (1 query a page)."""
    qs = _assigned_to(actor).select_related("seller").annotate(entry_count=Count("entries", distinct=True))
    return keyset_page(qs, order=("-priority", "name", "id"), cursor=cursor, limit=limit)


def buyer_price_list(*, actor: User, price_list_id: int) -> PriceList:
    """A list given to one of the actor's organizations; any other answers 404."""
    found = _assigned_to(actor).select_related("seller").filter(pk=price_list_id).first()
    if found is None:
        raise NotFound(gettext("price list not found"))
    return found


def product_variants(*, actor: User, seller: Organization, product_id: int) -> list[Variant]:
    """A product's variants with tiers and order rules loaded, for the seller's tier editor (3 queries)."""
    require(actor, seller, MANAGE)
    product = Product.objects.filter(pk=product_id, seller=seller).first()
    if product is None:
        raise NotFound(gettext("product not found"))
    variants = list(
        Variant.objects.filter(product=product)
        .select_related("product", "order_rule")
        .prefetch_related(Prefetch("quantity_tiers", QuantityTier.objects.order_by("min_quantity")))
        .order_by("position", "id")
    )
    return variants
