"""Cart, address book and checkout: the buyer's way from "add to cart" to one paid order per seller.

Placing a checkout (`place`) is one transaction: one order per seller with its lines and its full price breakdown
(every discount and shipping charge an `Adjustment`), stock reserved for every line (`inventory.reserve_many`, all
or nothing), promotion uses taken, and one payment started for the total. Then:

    payment captured  → every order paid (stock committed, sale in the ledger), bought lines leave the cart
    payment failed    → the checkout may be paid again until its time runs out
    time runs out     → `orders.sweep_unpaid_orders` cancels the orders (stock and promotion uses come back)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.catalog.models import Product, Variant
from tradeloop.checkout.models import Address, Cart, CartItem, Checkout
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotAuthenticated, NotFound, ValidationFailed
from tradeloop.core.idempotency import replay_or_run
from tradeloop.core.models import Event
from tradeloop.core.money import Money, quantize
from tradeloop.fulfilment.selectors import active_shipping_methods
from tradeloop.fulfilment.services import quote as shipping_quote
from tradeloop.inventory import services as inventory
from tradeloop.ledger import services as ledger
from tradeloop.orders import services as orders
from tradeloop.orders import signals as order_signals
from tradeloop.orders.models import Adjustment, Order, OrderLine
from tradeloop.payments import services as payments
from tradeloop.promotions import services as promotions
from tradeloop.promotions.engine import PricedLine

MAX_QUANTITY = 999
MAX_CART_LINES = 100
MAX_ADDRESSES = 20
MAX_CODES = 5


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


def _buyable_variant(variant_id) -> Variant:
    variant = (
        Variant.objects.select_related("product")
        .filter(pk=variant_id if str(variant_id).isdigit() else None, is_active=True)
        .filter(product__status=Product.Status.PUBLISHED, product__seller__is_active=True)
        # Listings, deals and services are bought through their own mode's flow (offers, vouchers, bookings).
        .filter(product__kind=Product.Kind.PHYSICAL)
        .first()
    )
    if variant is None:
        raise NotFound(gettext("That item is not for sale."), field="variant")
    return variant


def _check_available(variant: Variant, quantity: int) -> None:
    if quantity > variant.stock:
        raise inventory.OutOfStock(variant.sku, requested=quantity, available=variant.stock)


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
    if item is None:
        if cart.items.count() >= MAX_CART_LINES:
            raise ValidationFailed(gettext("Your cart is full."), field="variant")
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
    CartItem.objects.filter(pk=item.pk).update(quantity=quantity)
    item.quantity = quantity
    return item


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


# ---------- address book ----------

ADDRESS_FIELDS = ("name", "phone", "line1", "line2", "city", "region", "postcode", "country")
ADDRESS_LIMITS = {"name": 120, "phone": 40, "line1": 240, "line2": 240, "city": 80, "region": 80, "postcode": 20}
REQUIRED_ADDRESS_FIELDS = ("name", "phone", "line1", "city")


def _clean_address(data: dict) -> dict:
    unknown = set(data) - {*ADDRESS_FIELDS, "is_default"}
    if unknown:
        raise ValidationFailed(f"unknown field {sorted(unknown)[0]!r}", field=sorted(unknown)[0])
    out = {}
    for name in ADDRESS_FIELDS:
        if name not in data:
            continue
        value = str(data[name] or "").strip()
        if name == "country":
            value = value.upper() or "CN"
            if len(value) != 2 or not value.isalpha():
                raise ValidationFailed(gettext("Use a two-letter country code, e.g. CN."), field="country")
        elif len(value) > ADDRESS_LIMITS[name]:
            raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": ADDRESS_LIMITS[name]}, field=name)
        if name in REQUIRED_ADDRESS_FIELDS and not value:
            raise ValidationFailed(gettext("This field is required."), field=name)
        out[name] = value
    return out


def _signed_in(user: User) -> None:
    if not getattr(user, "is_authenticated", False):
        raise NotAuthenticated(gettext("Sign in first."))


@transaction.atomic
def save_address(*, actor: User, data: dict, address_id: int | None = None) -> Address:
    """Add an address (the first one becomes the default) or edit one of the actor's addresses."""
    _signed_in(actor)
    if address_id is None:
        missing = [f for f in REQUIRED_ADDRESS_FIELDS if f not in data]
        if missing:
            raise ValidationFailed(gettext("This field is required."), field=missing[0])
        if actor.addresses.count() >= MAX_ADDRESSES:
            raise ValidationFailed(gettext("Your address book is full."), field="address")
        address = Address(user=actor)
    else:
        address = _own_address(actor, address_id)
    for name, value in _clean_address(data).items():
        setattr(address, name, value)
    first = not actor.addresses.exclude(pk=address.pk).exists()
    address.is_default = first or bool(data.get("is_default", address.is_default))
    address.save()
    if address.is_default:
        actor.addresses.exclude(pk=address.pk).update(is_default=False)
    return address


def _own_address(actor: User, address_id) -> Address:
    address = Address.objects.filter(pk=address_id if str(address_id).isdigit() else None, user=actor).first()
    if address is None:
        raise NotFound(gettext("Address not found."), field="address")
    return address


@transaction.atomic
def set_default_address(*, actor: User, address_id: int) -> Address:
    _signed_in(actor)
    address = _own_address(actor, address_id)
    actor.addresses.exclude(pk=address.pk).update(is_default=False)
    Address.objects.filter(pk=address.pk).update(is_default=True)
    address.is_default = True
    return address


@transaction.atomic
def delete_address(*, actor: User, address_id: int) -> None:
    _signed_in(actor)
    address = _own_address(actor, address_id)
    address.delete()
    if address.is_default and (other := actor.addresses.order_by("id").first()):
        set_default_address(actor=actor, address_id=other.pk)


# ---------- pricing a checkout (no writes) ----------


@dataclass
class SellerPart:
    """One seller's share of a checkout: its lines, its shipping choice, and the priced breakdown."""

    seller: Organization
    items: list[CartItem]
    methods: list  # fulfilment.ShippingMethod, active, in the seller's order
    method: object | None  # the chosen one (None: the seller has no shipping methods: delivery included)
    breakdown: object  # promotions.services.Breakdown

    @property
    def rows(self) -> list[tuple[CartItem, Decimal]]:
        """Each line with its amount before discounts (price × quantity)."""
        return [(i, i.variant.price * i.quantity) for i in self.items]

    @property
    def shipping_label(self) -> str:
        return self.method.name if self.method else gettext("Delivery included")


@dataclass
class Quote:
    """What placing the checkout now would charge: per seller and in total, with the problems to fix first."""

    parts: list[SellerPart]
    currency: str
    total: Money
    errors: list[str]

    @property
    def seller_count(self) -> int:
        return len(self.parts)


def _cart_items(buyer: User) -> list[CartItem]:
    return list(
        CartItem.objects.filter(cart__user=buyer)
        .select_related("variant__product__seller", "variant__product__category")
        .order_by("variant__product__seller_id", "added_at", "id")
    )


def _check_items(items: list[CartItem]) -> str:
    if not items:
        raise ValidationFailed(gettext("Your cart is empty."), field="cart")
    for item in items:
        product = item.variant.product
        if not item.variant.is_active or product.status != Product.Status.PUBLISHED or not product.seller.is_active:
            raise Conflict(
                gettext("%(title)s is no longer for sale; remove it from your cart.") % {"title": product.title},
                code="not_for_sale",
                field="cart",
            )
    currencies = {item.variant.currency for item in items}
    if len(currencies) > 1:
        raise ValidationFailed(
            gettext("Your cart mixes currencies (%(list)s); one checkout pays in one currency. Check out separately.")
            % {"list": ", ".join(sorted(currencies))},
            field="cart",
            code="mixed_currency",
        )
    return currencies.pop()


def _choose_method(seller: Organization, methods: list, wanted) -> object | None:
    if wanted in (None, ""):
        return methods[0] if methods else None
    found = next((m for m in methods if str(m.pk) == str(wanted)), None)
    if found is None:
        raise ValidationFailed(
            gettext("Choose one of %(seller)s's shipping methods.") % {"seller": seller.name}, field="shipping"
        )
    return found


def _priced_lines(items: list[CartItem]):
    return [
        PricedLine(
            variant_id=i.variant_id,
            product_id=i.variant.product_id,
            category_path=i.variant.product.category.path if i.variant.product.category_id else "",
            quantity=i.quantity,
            unit_price=Money(i.variant.price, i.variant.currency),
        )
        for i in items
    ]


def quote_checkout(
    *, buyer: User, shipping_choices: dict | None = None, coupon_codes: list[str] | None = None, now=None
) -> Quote:
    """Price the buyer's cart as it would be placed: a fixed number of queries per seller, none per line."""
    _signed_in(buyer)
    items = _cart_items(buyer)
    currency = _check_items(items)
    codes = parse_codes(coupon_codes)
    choices = {str(k): v for k, v in (shipping_choices or {}).items()}
    by_seller: dict[int, list[CartItem]] = defaultdict(list)
    for item in items:
        by_seller[item.variant.product.seller_id].append(item)
    methods = active_shipping_methods(by_seller)
    baskets, parts = [], []
    for seller_id, seller_items in by_seller.items():
        seller = seller_items[0].variant.product.seller
        seller_methods = methods.get(seller_id, [])
        method = _choose_method(seller, seller_methods, choices.get(str(seller_id)))
        subtotal = Money(sum((i.variant.price * i.quantity for i in seller_items), Decimal(0)), currency)
        weight = sum(i.variant.weight_grams * i.quantity for i in seller_items)
        shipping = (
            shipping_quote(method=method, lines_weight_grams=weight, subtotal=subtotal)
            if method
            else Money(Decimal(0), currency)
        )
        baskets.append(promotions.SellerBasket(seller=seller, lines=_priced_lines(seller_items), shipping=shipping))
        parts.append(SellerPart(seller, seller_items, seller_methods, method, None))
    breakdowns = promotions.price_checkout(buyer=buyer, baskets=baskets, codes=codes, now=now or clock.now())
    for part, breakdown in zip(parts, breakdowns, strict=True):
        part.breakdown = breakdown
    total = sum((b.total for b in breakdowns[1:]), breakdowns[0].total)
    errors = [e for b in breakdowns for e in b.errors]
    return Quote(parts=parts, currency=currency, total=total, errors=errors)


def parse_codes(coupon_codes) -> list[str]:
    if isinstance(coupon_codes, str):
        coupon_codes = coupon_codes.replace(",", " ").split()
    codes = [str(c).strip() for c in coupon_codes or () if str(c).strip()]
    if len(codes) > MAX_CODES:
        raise ValidationFailed(gettext("At most %(n)s coupon codes.") % {"n": MAX_CODES}, field="coupon_codes")
    return codes


# ---------- placing ----------


def payment_timeout() -> timedelta:
    return timedelta(minutes=getattr(settings, "TRADELOOP_PAYMENT_TIMEOUT_MINUTES", 15))


def _commission_rate(part: SellerPart) -> Decimal:
    """The take rate of the seller's largest line's category (one rate per order)."""
    biggest = max(part.items, key=lambda i: (i.variant.price * i.quantity, -i.pk))
    return payments.commission_rate(seller=part.seller, category=biggest.variant.product.category)


def _new_order(part: SellerPart, *, buyer: User, checkout: Checkout, address: Address, due: datetime) -> Order:
    b = part.breakdown
    return Order(
        number=orders.new_number(),
        buyer=buyer,
        seller=part.seller,
        checkout_ref=checkout.ref,
        currency=b.total.currency,
        subtotal=b.subtotal.amount,
        discount_total=b.discount_total.amount,
        shipping_total=b.shipping_total.amount,
        total=b.total.amount,
        commission_rate=_commission_rate(part),
        shipping_address=address.snapshot(),
        shipping_method=part.shipping_label[:120],
        placed_at=checkout.created_at,
        payment_due_at=due,
    )


def _create_orders(parts: list[SellerPart], **kwargs) -> list[Order]:
    for _attempt in range(3):  # an order number clash (1 in 10^9 per day) just draws again
        try:
            with transaction.atomic():
                return Order.objects.bulk_create([_new_order(part, **kwargs) for part in parts])
        except IntegrityError:
            continue
    raise Conflict(gettext("Could not number the orders; please try again."))


def _create_lines(parts: list[SellerPart], placed: list[Order]) -> list[list[OrderLine]]:
    lines = [
        [
            OrderLine(
                order=order,
                variant=item.variant,
                product_title=item.variant.product.title[:200],
                variant_name=item.variant.name,
                sku=item.variant.sku,
                quantity=item.quantity,
                unit_price=item.variant.price,
                discount=result.discount.amount,
                line_total=result.total.amount,
                weight_grams=item.variant.weight_grams * item.quantity,
                return_window_days=item.variant.product.effective_return_window_days,
            )
            for item, result in zip(part.items, part.breakdown.lines, strict=True)
        ]
        for part, order in zip(parts, placed, strict=True)
    ]
    OrderLine.objects.bulk_create([line for order_lines in lines for line in order_lines])
    return lines


def _create_adjustments(parts: list[SellerPart], placed: list[Order], lines: list[list[OrderLine]]) -> None:
    rows = []
    for part, order, order_lines in zip(parts, placed, lines, strict=True):
        b = part.breakdown
        if b.shipping_total.amount:
            rows.append(
                Adjustment(
                    order=order,
                    kind=Adjustment.Kind.SHIPPING,
                    label=part.shipping_label[:160],
                    amount=b.shipping_total.amount,
                )
            )
        for a in b.adjustments:
            rows.append(
                Adjustment(
                    order=order,
                    line=order_lines[a.line_index] if a.line_index is not None else None,
                    kind=Adjustment.Kind.DISCOUNT,
                    label=str(a.label)[:160],
                    code=a.code or "",
                    promotion_id=a.promotion_id,
                    amount=a.amount.amount,
                )
            )
    Adjustment.objects.bulk_create(rows)


def _record_placed(placed: list[Order], buyer: User) -> None:
    """The first event of each order's timeline (one INSERT for all of them), then tell the apps above."""
    Event.objects.bulk_create(
        Event(
            subject_type=Order._meta.label_lower,
            subject_id=order.pk,
            old="",
            new=order.state,
            actor=buyer,
            reason=gettext("order placed"),
            at=order.placed_at,
        )
        for order in placed
    )
    for order in placed:
        order_signals.order_changed.send(sender=Order, order=order, old="", new=order.state, actor=buyer)


def _redeem(parts: list[SellerPart], placed: list[Order], buyer: User) -> None:
    for part, order in zip(parts, placed, strict=True):
        if part.breakdown.uses:
            promotions.redeem(breakdown=part.breakdown, buyer=buyer, order_ref=orders.order_ref(order))


def _start_payment(checkout: Checkout, placed: list[Order], buyer: User, return_url: str) -> str:
    payment, url = payments.start_payment(
        payer=buyer,
        amount=Money(checkout.total, checkout.currency),
        purpose=checkout.ref,
        return_url=return_url,
        expires_at=checkout.expires_at,
    )
    Checkout.objects.filter(pk=checkout.pk).update(payment=payment)
    Order.objects.filter(pk__in=[o.pk for o in placed]).update(payment=payment)
    checkout.payment = payment
    return url


@dataclass
class Placed:
    checkout: Checkout
    orders: list[Order]
    payment_url: str

    def as_dict(self) -> dict:
        return {
            "checkout_id": self.checkout.pk,
            "state": self.checkout.state,
            "total": str(quantize(self.checkout.total, self.checkout.currency)),
            "currency": self.checkout.currency,
            "orders": [o.number for o in self.orders],
            "payment_url": self.payment_url,
            "expires_at": self.checkout.expires_at.isoformat(),
        }


@transaction.atomic
def _place(
    *, buyer: User, address_id, shipping_choices: dict, coupon_codes: list[str], return_url: str | None
) -> Placed:
    now = clock.now()
    quote = quote_checkout(buyer=buyer, shipping_choices=shipping_choices, coupon_codes=coupon_codes, now=now)
    if quote.errors:
        raise ValidationFailed(" ".join(quote.errors), field="coupon_codes", code="coupon_not_applied")
    address = _own_address(buyer, address_id)
    due = now + payment_timeout()
    checkout = Checkout.objects.create(
        buyer=buyer, total=quote.total.amount, currency=quote.currency, created_at=now, expires_at=due
    )
    placed = _create_orders(quote.parts, buyer=buyer, checkout=checkout, address=address, due=due)
    lines = _create_lines(quote.parts, placed)
    _create_adjustments(quote.parts, placed, lines)
    inventory.reserve_many(
        items=[
            inventory.ReserveItem(line.variant_id, line.quantity, orders.line_ref(line))
            for order_lines in lines
            for line in order_lines
        ],
        until=due,
    )
    _redeem(quote.parts, placed, buyer)
    _record_placed(placed, buyer)
    states.record(checkout, new=checkout.state, actor=buyer, reason=f"{len(placed)} order(s)")
    if checkout.total > 0:
        url = _start_payment(checkout, placed, buyer, return_url or f"/checkout/{checkout.pk}/done/")
    else:  # everything free: nothing to pay
        _paid(checkout, buyer)
        url = return_url or f"/checkout/{checkout.pk}/done/"
    return Placed(checkout, placed, url)


def place(
    *,
    buyer: User,
    address_id: int,
    shipping_choices: dict,
    coupon_codes: list[str],
    key: str | None,
    return_url: str | None = None,
) -> Placed:
    """Turn the buyer's cart into one order per seller and start one payment for them all.

    With an Idempotency-Key, a repeat (a double click, a retried request) answers with the same checkout:
    never two sets of orders, never two charges. Raises OutOfStock (409) if a line cannot be reserved.
    """
    _signed_in(buyer)
    request_data = {
        "address_id": address_id,
        "shipping_choices": {str(k): str(v) for k, v in (shipping_choices or {}).items()},
        "coupon_codes": parse_codes(coupon_codes),
    }

    def run() -> tuple[int, dict]:
        placed = _place(
            buyer=buyer,
            address_id=address_id,
            shipping_choices=shipping_choices or {},
            coupon_codes=coupon_codes or [],
            return_url=return_url,
        )
        return 201, placed.as_dict()

    _status, body = replay_or_run(user=buyer, scope="checkout", key=key, request_data=request_data, run=run)
    checkout = Checkout.objects.select_related("payment").get(pk=body["checkout_id"], buyer=buyer)
    placed_orders = list(Order.objects.filter(checkout_ref=checkout.ref).order_by("id"))
    return Placed(checkout, placed_orders, body["payment_url"])


# ---------- after the payment ----------


def _paid(checkout: Checkout, actor: User | None) -> None:
    """Every order of the checkout is paid: stock committed, sales in the ledger; bought lines leave the cart."""
    placed = list(Order.objects.select_for_update().filter(checkout_ref=checkout.ref).order_by("id"))
    for order in placed:
        if order.state == Order.State.PENDING_PAYMENT:
            _pay_order(order, actor)
        elif order.state == Order.State.CANCELLED and checkout.payment_id:
            _refund_cancelled(order, checkout)
    states.transition(checkout, Checkout.State.PAID, actor=actor, reason=gettext("payment received"))
    bought = OrderLine.objects.filter(order__in=placed).values_list("variant_id", flat=True)
    CartItem.objects.filter(cart__user=checkout.buyer_id, variant_id__in=list(bought)).delete()


def _pay_order(order: Order, actor: User | None) -> None:
    try:
        with transaction.atomic():
            orders.mark_paid(order=order, actor=actor)
    except inventory.OutOfStock:
        # The reservation lapsed and the units sold meanwhile: the money comes back, with the reason on record.
        order.state = Order.State.PENDING_PAYMENT
        orders.advance(order=order, to=Order.State.PAID, actor=actor, reason=gettext("payment received"))
        ledger.record_sale(order=order)
        orders.cancel(order=order, actor=None, reason=gettext("sold out before the payment arrived"))


def _refund_cancelled(order: Order, checkout: Checkout) -> None:
    """The order was cancelled (not paid in time) just before the money came: give its share back."""
    if order.total > 0:
        payments.refund(
            payment=checkout.payment,
            amount=Money(order.total, order.currency),
            ref=f"order:{order.pk}:cancelled-unpaid",
            reason=gettext("the order was cancelled before the payment arrived"),
        )


@transaction.atomic
def on_payment_captured(*, payment) -> Checkout | None:
    """payments.signals.payment_captured: the checkout this payment pays is paid (idempotent)."""
    checkout = Checkout.objects.select_for_update().filter(payment=payment).first()
    if checkout is None or checkout.state == Checkout.State.PAID:
        return checkout
    checkout.payment = payment
    if checkout.state == Checkout.State.EXPIRED:  # paid after its orders were cancelled: the money goes back
        for order in Order.objects.filter(checkout_ref=checkout.ref, state=Order.State.CANCELLED):
            _refund_cancelled(order, checkout)
        return checkout
    _paid(checkout, actor=None)
    return checkout


@transaction.atomic
def on_payment_failed(*, payment) -> Checkout | None:
    """payments.signals.payment_failed: the buyer may try again until the checkout's time runs out."""
    checkout = Checkout.objects.select_for_update().filter(payment=payment).first()
    if checkout is None or checkout.state != Checkout.State.AWAITING_PAYMENT:
        return checkout
    states.transition(checkout, Checkout.State.FAILED, reason=payment.failure_reason or gettext("payment failed"))
    return checkout


@transaction.atomic
def retry_payment(*, buyer: User, checkout_id: int, return_url: str | None = None) -> str:
    """Start a new payment for a checkout whose payment failed (declined); its stock is still held."""
    _signed_in(buyer)
    checkout = Checkout.objects.select_for_update().filter(pk=checkout_id, buyer=buyer).first()
    if checkout is None:
        raise NotFound(gettext("Checkout not found."))
    if checkout.state != Checkout.State.FAILED or checkout.expires_at <= clock.now():
        raise Conflict(gettext("This checkout cannot be paid any more."), code="not_payable")
    placed = list(Order.objects.filter(checkout_ref=checkout.ref, state=Order.State.PENDING_PAYMENT))
    if not placed:
        raise Conflict(gettext("This checkout cannot be paid any more."), code="not_payable")
    states.transition(checkout, Checkout.State.AWAITING_PAYMENT, actor=buyer, reason=gettext("trying again"))
    return _start_payment(checkout, placed, buyer, return_url or f"/checkout/{checkout.pk}/done/")


def sweep_expired_checkouts(now: datetime | None = None) -> int:
    """Checkouts not paid in time expire (their orders are cancelled by orders.sweep_unpaid_orders). Idempotent."""
    now = now or clock.now()
    orders.sweep_unpaid_orders(now)
    done = 0
    due = Checkout.objects.filter(
        state__in=(Checkout.State.AWAITING_PAYMENT, Checkout.State.FAILED), expires_at__lte=now
    ).values_list("pk", flat=True)
    for checkout_id in list(due[:500]):
        with transaction.atomic():
            checkout = Checkout.objects.select_for_update().get(pk=checkout_id)
            if (
                checkout.state in (Checkout.State.AWAITING_PAYMENT, Checkout.State.FAILED)
                and checkout.expires_at <= now
            ):
                states.transition(checkout, Checkout.State.EXPIRED, reason=gettext("not paid in time"))
                done += 1
    return done
