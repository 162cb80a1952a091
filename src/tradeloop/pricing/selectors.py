"""Pricing answers one question: what does this actor pay for this variant, in this quantity, now.

A unit price is resolved here and nowhere else. `unit_prices` asks the price sources in `SOURCES`, in order, for
every line at once; the first source that answers for a line sets its unit price. Today there is one source, the
catalog's list price. B2B company price lists (contract prices) and quantity tiers will be sources placed before
it, so that the cart, the checkout quote and quick order keep calling the same functions.

Promotions come after the unit price: `unit_price` shows what one line costs with the automatic promotions that apply
to it alone (a flash sale, a percentage off), and `pricing.services` prices whole baskets through promotions'
engine with its combination rules. Reads only; a fixed number of queries whatever the number of lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.catalog.models import Product, Variant
from tradeloop.core.errors import Conflict, ValidationFailed
from tradeloop.core.money import Money, quantize
from tradeloop.promotions import services as promotions
from tradeloop.promotions.engine import PricedLine

LIST = "list"
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
    source: str  # "list" today; "contract" or "tier" when those sources exist

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


# Asked in order. Company price lists and quantity tiers go before the list price.
SOURCES: tuple[PriceSource, ...] = (ListPrice(),)


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
