"""Checkout: quoting the cart and placing it as one order per seller, paid by one payment.

Placing a checkout (`place`) is one transaction: one order per seller with its lines and its full price breakdown
(every discount and shipping charge an `Adjustment`), stock reserved for every line (`inventory.reserve_many`, all
or nothing), promotion uses taken, and one payment started for the total. Then:

    payment captured  → every order paid (stock committed, sale in the ledger), bought lines leave the cart
    payment failed    → the checkout may be paid again until its time runs out
    time runs out     → `orders.sweep_unpaid_orders` cancels the orders (stock and promotion uses come back)

The cart is `checkout.cart`, the address book `checkout.addresses`, and what the payment's outcome does
`checkout.reactions`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.checkout.addresses import own_address, require_signed_in
from tradeloop.checkout.models import Address, CartItem, Checkout
from tradeloop.checkout.reactions import checkout_paid, start_payment
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, ValidationFailed
from tradeloop.core.idempotency import replay_or_run
from tradeloop.core.models import Event
from tradeloop.core.money import Money, quantize
from tradeloop.fulfilment.selectors import active_shipping_methods
from tradeloop.fulfilment.services import quote as shipping_quote
from tradeloop.inventory import services as inventory
from tradeloop.orders import services as orders
from tradeloop.orders import signals as order_signals
from tradeloop.orders.models import Adjustment, Order, OrderLine
from tradeloop.payments import services as payments
from tradeloop.pricing import selectors as prices
from tradeloop.pricing import services as pricing
from tradeloop.promotions import services as promotions

MAX_CODES = 5


# ---------- pricing a checkout (no writes) ----------


@dataclass
class SellerPart:
    """One seller's share of a checkout: its lines, its shipping choice, and what pricing made of them."""

    seller: Organization
    items: list[CartItem]
    methods: list  # fulfilment.ShippingMethod, active, in the seller's order
    method: object | None  # the chosen one (None: the seller has no shipping methods: delivery included)
    priced: pricing.PricedBasket | None = None

    @property
    def breakdown(self) -> promotions.Breakdown:
        """Promotions' breakdown of the part: every discount labelled, shipping, total."""
        return self.priced.breakdown

    @property
    def lines(self) -> list[tuple[CartItem, pricing.PricedItem]]:
        """Each cart line with its price: unit price, discount, what the buyer pays."""
        return list(zip(self.items, self.priced.items, strict=True))

    @property
    def rows(self) -> list[tuple[CartItem, Decimal]]:
        """Each line with its amount before discounts (unit price × quantity)."""
        return [(item, priced.subtotal.amount) for item, priced in self.lines]

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
        if not prices.for_sale(item.variant):
            raise Conflict(
                gettext("%(title)s is no longer for sale; remove it from your cart.")
                % {"title": product.display_title},
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


def quote_checkout(
    *, buyer: User, shipping_choices: dict | None = None, coupon_codes: list[str] | None = None, now=None
) -> Quote:
    """Price the buyer's cart as it would be placed: a fixed number of queries per seller, none per line."""
    require_signed_in(buyer)
    items = _cart_items(buyer)
    currency = _check_items(items)
    codes = parse_codes(coupon_codes)
    choices = {str(k): v for k, v in (shipping_choices or {}).items()}
    now = now or clock.now()
    by_seller: dict[int, list[CartItem]] = defaultdict(list)
    for item in items:
        by_seller[item.variant.product.seller_id].append(item)
    methods = active_shipping_methods(by_seller)
    asks = [prices.Ask(i.variant, i.quantity) for seller_items in by_seller.values() for i in seller_items]
    baskets = pricing.baskets(actor=buyer, asks=asks, now=now)
    parts = []
    for basket, (seller_id, seller_items) in zip(baskets, by_seller.items(), strict=True):
        seller_methods = methods.get(seller_id, [])
        method = _choose_method(basket.seller, seller_methods, choices.get(str(seller_id)))
        weight = sum(i.variant.weight_grams * i.quantity for i in seller_items)
        basket.shipping = (
            shipping_quote(method=method, lines_weight_grams=weight, subtotal=basket.subtotal)
            if method
            else Money(Decimal(0), currency)
        )
        parts.append(SellerPart(basket.seller, seller_items, seller_methods, method))
    priced = pricing.price_checkout(actor=buyer, baskets=baskets, codes=codes, now=now)
    for part, priced_basket in zip(parts, priced.baskets, strict=True):
        part.priced = priced_basket
    return Quote(parts=parts, currency=currency, total=priced.total, errors=priced.errors)


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
    biggest = max(part.lines, key=lambda line: (line[1].subtotal.amount, -line[0].pk))[0]
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
                product_title=item.variant.product.display_title[:200],
                variant_name=item.variant.display_name,
                sku=item.variant.sku,
                quantity=item.quantity,
                unit_price=result.unit_price.amount,
                discount=result.discount.amount,
                line_total=result.total.amount,
                weight_grams=item.variant.weight_grams * item.quantity,
                return_window_days=item.variant.product.effective_return_window_days,
            )
            for item, result in part.lines
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
    address = own_address(buyer, address_id)
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
        url = start_payment(checkout, placed, buyer, return_url or f"/checkout/{checkout.pk}/done/")
    else:  # everything free: nothing to pay
        checkout_paid(checkout, buyer)
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
    require_signed_in(buyer)
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
