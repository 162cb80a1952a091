"""The cart: whose it is (a signed-in buyer or a guest's session), its lines, and a guest cart joining an account."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.catalog.models import Product, Variant
from tradeloop.checkout.errors import Code
from tradeloop.checkout.models import Cart, CartItem
from tradeloop.core import clock
from tradeloop.core.errors import DomainError, NotAuthenticated, NotFound, ValidationFailed
from tradeloop.inventory import services as inventory
from tradeloop.pricing import selectors as prices

MAX_QUANTITY = 99_999  # a company buys resistors by the ten thousand; the columns hold far more
MAX_CART_LINES = 200  # a quick order of MAX_LINES lines fits


# ---------- whose cart ----------


@dataclass(frozen=True)
class CartOwner:
    """A signed-in buyer, or a guest known by their session key."""

    user: User | None = None
    session_key: str | None = None

    @classmethod
    def of(cls, user, session_key: str | None) -> CartOwner:
        if getattr(user, "is_authenticated", False):
            return cls(user=user)
        return cls(session_key=session_key or None)

    @property
    def lookup(self) -> dict | None:
        if self.user is not None:
            return {"user": self.user}
        if self.session_key:
            return {"session_key": self.session_key}
        return None


def cart_of(owner: CartOwner) -> Cart | None:
    lookup = owner.lookup
    return Cart.objects.filter(**lookup).first() if lookup else None


def _cart_for_writing(owner: CartOwner) -> Cart:
    lookup = owner.lookup
    if lookup is None:
        raise NotAuthenticated(gettext("Your browser did not keep a session; please enable cookies."))
    try:
        with transaction.atomic():
            cart, _ = Cart.objects.get_or_create(**lookup)
    except IntegrityError:  # two first adds at once
        cart = Cart.objects.get(**lookup)
    return cart


# ---------- cart ----------


def _quantity(value, *, field: str = "quantity") -> int:
    try:
        quantity = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(gettext("Enter a whole number."), field=field) from exc
    if isinstance(value, bool) or not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationFailed(gettext("Choose a quantity from 1 to %(max)s.") % {"max": MAX_QUANTITY}, field=field)
    return quantity


def buyable(variant_ids) -> QuerySet[Variant]:
    return (
        Variant.objects.select_related("product")
        .filter(pk__in=variant_ids, is_active=True)
        .filter(product__status=Product.Status.PUBLISHED, product__seller__is_active=True)
        # Listings, deals and services are bought through their own mode's flow (offers, vouchers, bookings).
        .filter(product__kind=Product.Kind.PHYSICAL)
    )


def _buyable_variant(variant_id) -> Variant:
    variant = buyable([variant_id] if str(variant_id).isdigit() else []).first()
    if variant is None:
        raise NotFound(gettext("That item is not for sale."), field="variant")
    return variant


def _check_available(variant: Variant, quantity: int) -> None:
    if quantity > variant.stock:
        raise inventory.OutOfStock(variant.sku, requested=quantity, available=variant.stock)


def check_order_rules(variant: Variant, quantity: int) -> None:
    """Pricing's minimum order and multiple for the variant (ValidationFailed below_minimum / not_a_multiple)."""
    check = getattr(prices, "check_order_quantity", None)
    if check is not None:
        check(variant, quantity)


def order_rule_problems(lines: list[tuple[Variant, int]]) -> dict[int, DomainError]:
    """Line index → pricing's error for the lines whose quantity breaks their variant's minimum or multiple: one
    query for all the lines."""
    if not lines:
        return {}
    bulk = getattr(prices, "order_quantity_problems", None)
    if bulk is not None:
        return bulk(lines)
    problems = {}
    for index, (variant, quantity) in enumerate(lines):
        try:
            check_order_rules(variant, quantity)
        except DomainError as error:
            problems[index] = error
    return problems


@transaction.atomic
def add_item(*, owner: CartOwner, variant_id: int, quantity: int = 1) -> CartItem:
    """Put `quantity` more of a variant in the cart (a line per variant). Refused beyond what is available."""
    quantity = _quantity(quantity)
    variant = _buyable_variant(variant_id)
    cart = _cart_for_writing(owner)
    item = CartItem.objects.filter(cart=cart, variant=variant).first()
    wanted = quantity + (item.quantity if item else 0)
    if wanted > MAX_QUANTITY:
        raise ValidationFailed(
            gettext("Choose a quantity from 1 to %(max)s.") % {"max": MAX_QUANTITY}, field="quantity"
        )
    _check_available(variant, wanted)
    check_order_rules(variant, wanted)
    if item is None:
        if cart.items.count() >= MAX_CART_LINES:
            raise ValidationFailed(gettext("Your cart is full."), field="variant", code=Code.CART_FULL)
        item = CartItem.objects.create(cart=cart, variant=variant, quantity=quantity)
    else:
        CartItem.objects.filter(pk=item.pk).update(quantity=F("quantity") + quantity)
        item.quantity = wanted
    Cart.objects.filter(pk=cart.pk).update(updated_at=clock.now())
    item.variant = variant
    return item


def _own_item(owner: CartOwner, item_id) -> CartItem:
    lookup = owner.lookup
    item = None
    if lookup and str(item_id).isdigit():
        filters = {f"cart__{k}": v for k, v in lookup.items()}
        item = CartItem.objects.select_related("variant__product").filter(pk=item_id, **filters).first()
    if item is None:
        raise NotFound(gettext("That line is not in your cart."), field="item")
    return item


@transaction.atomic
def set_quantity(*, owner: CartOwner, item_id: int, quantity: int) -> CartItem | None:
    """Change a line's quantity; 0 removes it (returns None)."""
    if str(quantity).strip() == "0":
        remove_item(owner=owner, item_id=item_id)
        return None
    quantity = _quantity(quantity)
    item = _own_item(owner, item_id)
    if quantity > item.quantity:  # lowering is always allowed, even when stock ran out
        _check_available(item.variant, quantity)
    check_order_rules(item.variant, quantity)
    CartItem.objects.filter(pk=item.pk).update(quantity=quantity)
    item.quantity = quantity
    return item


@dataclass(frozen=True)
class AddLine:
    variant_id: int
    quantity: int


@transaction.atomic
def add_items(*, owner: CartOwner, lines: list[AddLine]) -> list[CartItem]:
    """Put many lines in the cart at once (quick order, a requisition list): all or nothing, in one transaction and
    a fixed number of queries. Each line is checked as `add_item` checks one (for sale, quantity with what the cart
    holds already, stock, pricing's minimum and multiple); the error of the first bad line names it
    (`field` "items.<index>")."""
    if not lines:
        raise ValidationFailed(gettext("There is nothing to add."), field="items", code=Code.NOTHING_TO_ADD)
    wanted: dict[int, int] = {}
    for line in lines:
        variant_id = int(line.variant_id)
        wanted[variant_id] = wanted.get(variant_id, 0) + _quantity(line.quantity)
    variants = {v.pk: v for v in buyable(list(wanted))}
    cart = _cart_for_writing(owner)
    locked = CartItem.objects.select_for_update().filter(cart=cart, variant_id__in=list(wanted))
    existing = {i.variant_id: i for i in locked}
    totals = []
    for index, (variant_id, quantity) in enumerate(wanted.items()):
        try:
            variant = variants.get(variant_id)
            if variant is None:
                raise NotFound(gettext("That item is not for sale."), field="variant")
            total = quantity + (existing[variant_id].quantity if variant_id in existing else 0)
            if total > MAX_QUANTITY:
                raise ValidationFailed(
                    gettext("%(sku)s: choose a quantity from 1 to %(max)s.") % {"sku": variant.sku, "max": MAX_QUANTITY}
                )
            _check_available(variant, total)
        except DomainError as error:
            error.field = f"items.{index}"
            raise
        totals.append((variant, total))
    if problems := order_rule_problems(totals):
        index = min(problems)
        error = problems[index]
        error.field = f"items.{index}"
        raise error
    new = [v for v in wanted if v not in existing]
    if new and cart.items.count() + len(new) > MAX_CART_LINES:
        raise ValidationFailed(
            gettext("Your cart is full: at most %(n)s lines.") % {"n": MAX_CART_LINES},
            field="items",
            code=Code.CART_FULL,
        )
    now = clock.now()
    created = CartItem.objects.bulk_create(
        [CartItem(cart=cart, variant_id=v, quantity=wanted[v], added_at=now) for v in new]
    )
    for variant_id, item in existing.items():
        item.quantity += wanted[variant_id]
    if existing:
        CartItem.objects.bulk_update(list(existing.values()), ["quantity"])
    Cart.objects.filter(pk=cart.pk).update(updated_at=now)
    items = [*existing.values(), *created]
    for item in items:
        item.variant = variants[item.variant_id]
    return items


@transaction.atomic
def remove_item(*, owner: CartOwner, item_id: int) -> None:
    _own_item(owner, item_id).delete()


@transaction.atomic
def clear_cart(*, owner: CartOwner) -> int:
    cart = cart_of(owner)
    return cart.items.all().delete()[0] if cart else 0


GUEST_CART_KEY = "guest_cart_id"  # kept in the session data, which survives the key change at sign-in


@transaction.atomic
def merge_guest_cart(*, user: User, guest_cart_id: int | None) -> int:
    """On sign-in: the guest cart's lines join the account's cart (quantities add up, within the limit)."""
    if not guest_cart_id:
        return 0
    guest = Cart.objects.filter(pk=guest_cart_id, user__isnull=True).first()
    if guest is None:
        return 0
    mine = _cart_for_writing(CartOwner(user=user))
    existing = {i.variant_id: i for i in mine.items.all()}
    moved = 0
    for item in guest.items.all():
        if item.variant_id in existing:
            total = min(existing[item.variant_id].quantity + item.quantity, MAX_QUANTITY)
            CartItem.objects.filter(pk=existing[item.variant_id].pk).update(quantity=total)
        else:
            CartItem.objects.create(cart=mine, variant_id=item.variant_id, quantity=item.quantity)
        moved += 1
    guest.delete()
    return moved
