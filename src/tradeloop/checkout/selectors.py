"""Reads for the cart, the address book and the checkout confirmation; fixed query counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum
from django.http import HttpRequest
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.catalog.models import Product
from tradeloop.checkout.cart import CartOwner
from tradeloop.checkout.models import Address, CartItem, Checkout
from tradeloop.core import clock
from tradeloop.core.errors import NotAuthenticated, NotFound
from tradeloop.orders.models import Adjustment, Order, OrderLine
from tradeloop.pricing import selectors as prices


def owner_of(request: HttpRequest) -> CartOwner:
    session = getattr(request, "session", None)
    return CartOwner.of(getattr(request, "user", None), session.session_key if session is not None else None)


def cart_count(owner: CartOwner) -> int:
    """Units in the cart (the header badge): one query, none for a guest without a session."""
    lookup = owner.lookup
    if lookup is None:
        return 0
    filters = {f"cart__{k}": v for k, v in lookup.items()}
    return CartItem.objects.filter(**filters).aggregate(n=Sum("quantity"))["n"] or 0


@dataclass
class CartLine:
    item: CartItem
    price: prices.UnitPrice  # from pricing: the unit price this buyer pays before promotions

    @property
    def variant(self):
        return self.item.variant

    @property
    def product(self) -> Product:
        return self.item.variant.product

    @property
    def quantity(self) -> int:
        return self.item.quantity

    @property
    def available(self) -> int:
        return max(self.item.variant.stock, 0)

    @property
    def for_sale(self) -> bool:
        return prices.for_sale(self.item.variant)

    @property
    def problem(self) -> str:
        if not self.for_sale:
            return gettext("No longer for sale")
        if self.available == 0:
            return gettext("Out of stock")
        if self.quantity > self.available:
            return gettext("Only %(n)s left") % {"n": self.available}
        return ""

    @property
    def unit_price(self) -> Decimal:
        return self.price.unit.amount

    @property
    def line_total(self) -> Decimal:
        return self.price.subtotal.amount

    @property
    def currency(self) -> str:
        return self.price.unit.currency


@dataclass
class SellerGroup:
    seller: Organization
    lines: list[CartLine] = field(default_factory=list)

    @property
    def currency(self) -> str:
        return self.lines[0].variant.currency

    @property
    def subtotal(self) -> Decimal:
        return sum((line.line_total for line in self.lines), Decimal(0))

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)


@dataclass
class CartView:
    groups: list[SellerGroup]

    @property
    def lines(self) -> list[CartLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def units(self) -> int:
        return sum(group.units for group in self.groups)

    @property
    def currencies(self) -> list[str]:
        return sorted({group.currency for group in self.groups})

    @property
    def subtotal(self) -> Decimal | None:
        """The goods total when the cart is in one currency (None when mixed: it cannot be checked out at once)."""
        return sum((g.subtotal for g in self.groups), Decimal(0)) if len(self.currencies) == 1 else None

    @property
    def currency(self) -> str | None:
        return self.currencies[0] if len(self.currencies) == 1 else None

    @property
    def has_problems(self) -> bool:
        return any(line.problem for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def cart_items(owner: CartOwner) -> QuerySet[CartItem]:
    lookup = owner.lookup
    if lookup is None:
        return CartItem.objects.none()
    filters = {f"cart__{k}": v for k, v in lookup.items()}
    return (
        CartItem.objects.filter(**filters)
        .select_related("variant__product__seller")
        .order_by("variant__product__seller__name", "variant__product__seller_id", "added_at", "id")
    )


def cart_view(owner: CartOwner) -> CartView:
    """The cart grouped by seller, priced by pricing, with availability: one query whatever the number of lines."""
    items = list(cart_items(owner))
    asks = [prices.Ask(item.variant, item.quantity) for item in items]
    groups: dict[int, SellerGroup] = {}
    for item, price in zip(items, prices.unit_prices(actor=owner.user, asks=asks, now=clock.now()), strict=True):
        seller = item.variant.product.seller
        groups.setdefault(seller.pk, SellerGroup(seller)).lines.append(CartLine(item, price))
    return CartView(list(groups.values()))


def addresses(actor: User) -> list[Address]:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("Sign in first."))
    return list(Address.objects.filter(user=actor).order_by("-is_default", "id"))


def address(actor: User, address_id: int) -> Address:
    found = Address.objects.filter(pk=address_id, user=actor).first() if str(address_id).isdigit() else None
    if found is None:
        raise NotFound(gettext("Address not found."), field="address")
    return found


def checkout_for_buyer(actor: User, checkout_id: int) -> tuple[Checkout, list[Order]]:
    """A checkout of the actor with its orders, lines and breakdowns (4 queries); anyone else's answers 404."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("Sign in first."))
    checkout = Checkout.objects.select_related("payment").filter(pk=checkout_id, buyer=actor).first()
    if checkout is None:
        raise NotFound(gettext("Checkout not found."))
    placed = list(
        Order.objects.filter(checkout_ref=checkout.ref, buyer=actor)
        .select_related("seller")
        .prefetch_related(
            Prefetch("lines", OrderLine.objects.order_by("id")),
            Prefetch("adjustments", Adjustment.objects.order_by("id")),
        )
        .order_by("id")
    )
    return checkout, placed


def buyer_orders_by_number(actor: User, numbers: list[str]) -> list[Order]:
    """The actor's orders with these numbers (one query); a number that is not theirs answers 404."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("Sign in first."))
    wanted = set(numbers)
    found = list(Order.objects.filter(buyer=actor, number__in=wanted))
    if len(found) != len(wanted):
        raise NotFound(gettext("Order not found."), field="orders")
    return found
