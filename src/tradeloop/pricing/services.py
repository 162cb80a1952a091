"""Pricing baskets: one seller's lines (`price_basket`) or a whole checkout (`price_checkout`).

Unit prices come from `pricing.selectors.unit_prices` (the price sources); promotions' engine then applies its
rules, coupons and free shipping (`promotions.services.price` / `price_checkout`, unchanged). These are reads: no
writes, a fixed number of queries per seller. Taking promotion uses when an order is placed stays
`promotions.services.redeem`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from tradeloop.accounts.models import Organization, User
from tradeloop.core.money import Money
from tradeloop.pricing.selectors import Ask, UnitPrice, unit_prices
from tradeloop.promotions import services as promotions
from tradeloop.promotions.services import Breakdown, LineResult

__all__ = ["Basket", "CheckoutPrice", "PricedBasket", "PricedItem", "baskets", "price_basket", "price_checkout"]


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
