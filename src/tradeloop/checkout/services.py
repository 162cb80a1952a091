"""Checkout: quoting the cart and placing it as one order per seller, paid by one payment.

Placing a checkout (`place`) is one transaction: one order per seller, placed by orders' placing service
(`orders.place_orders`: lines at the quoted prices, the full breakdown as adjustments, stock held for every line,
all or nothing), promotion uses taken, and one payment started for the total. Then:

    payment captured  → every order paid (stock committed, sale in the ledger), bought lines leave the cart
    payment failed    → the checkout may be paid again until its time runs out
    time runs out     → `orders.sweep_unpaid_orders` cancels the orders (stock and promotion uses come back)

The cart is `checkout.cart`, the address book `checkout.addresses`, and what the payment's outcome does
`checkout.reactions`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.checkout import addresses as address_book
from tradeloop.checkout.addresses import require_signed_in
from tradeloop.checkout.errors import Code
from tradeloop.checkout.models import CartItem, Checkout
from tradeloop.checkout.reactions import checkout_paid, leave_cart, start_payment
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.core.idempotency import replay_or_run
from tradeloop.core.money import Money, quantize
from tradeloop.core.transactions import one_transaction
from tradeloop.fulfilment.selectors import active_shipping_methods
from tradeloop.fulfilment.services import quote as shipping_quote
from tradeloop.orders import services as orders
from tradeloop.orders.models import Adjustment, Order
from tradeloop.orders.policies import BuyerContext, buyer_context, policy_for
from tradeloop.orders.terms import Terms, parse_terms
from tradeloop.payments.models import Payment
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
    context: BuyerContext = field(default_factory=BuyerContext)  # how the buyer buys from this seller (B2B terms)

    @property
    def terms(self) -> Terms | None:
        """The company's payment terms with this seller (None: a consumer's order, paid at checkout)."""
        return parse_terms(self.context.payment_terms) if self.context.mode == Order.Mode.B2B else None

    @property
    def on_credit(self) -> bool:
        return bool(self.terms and self.terms.on_credit)

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

    @property
    def pay_now(self) -> Money:
        """What the buyer pays at checkout: the parts not on credit terms (an order held for approval is paid, if
        prepaid, once approved)."""
        return sum((p.breakdown.total for p in self.parts if not p.on_credit), Money(Decimal(0), self.currency))

    @property
    def on_terms(self) -> list[SellerPart]:
        return [p for p in self.parts if p.on_credit]

    @property
    def contexts(self) -> list[BuyerContext]:
        return [p.context for p in self.parts]


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
        context = buyer_context(buyer, basket.seller)
        parts.append(SellerPart(basket.seller, seller_items, seller_methods, method, context=context))
    priced = pricing.price_checkout(actor=buyer, baskets=baskets, codes=codes, now=now)
    for part, priced_basket in zip(parts, priced.baskets, strict=True):
        part.priced = priced_basket
    return Quote(parts=parts, currency=currency, total=priced.total, errors=priced.errors)


def company_addresses(buyer: User, quote: Quote | None) -> list[address_book.CompanyDeliveryAddress]:
    """The delivery addresses of the company the buyer buys for, read from the quote's buyer contexts (no queries);
    without a quote (the cart cannot be priced) asked once."""
    return address_book.company_addresses(quote.contexts if quote else [buyer_context(buyer)])


def parse_codes(coupon_codes) -> list[str]:
    if isinstance(coupon_codes, str):
        coupon_codes = coupon_codes.replace(",", " ").split()
    codes = [str(c).strip() for c in coupon_codes or () if str(c).strip()]
    if len(codes) > MAX_CODES:
        raise ValidationFailed(gettext("At most %(n)s coupon codes.") % {"n": MAX_CODES}, field="coupon_codes")
    return codes


# ---------- placing ----------


def payment_timeout() -> timedelta:
    """How long a B2C checkout holds its stock for the payment: the B2C orders' policy."""
    return policy_for(Order.Mode.B2C).payment_timeout()


def _order_in(part: SellerPart, *, buyer: User, checkout: Checkout, address: dict) -> orders.OrderIn:
    """One seller's part of the cart as orders' placing service takes it: lines at the quoted prices and the
    breakdown (shipping, every discount) as adjustments."""
    b = part.breakdown
    adjustments = [
        orders.AdjustmentIn(
            Adjustment.Kind.DISCOUNT, a.label, a.amount.amount, a.line_index, a.code or "", a.promotion_id
        )
        for a in b.adjustments
    ]
    if b.shipping_total.amount:
        adjustments.insert(
            0, orders.AdjustmentIn(Adjustment.Kind.SHIPPING, part.shipping_label, b.shipping_total.amount)
        )
    b2b = part.context.mode == Order.Mode.B2B
    return orders.OrderIn(
        buyer=buyer,
        seller=part.seller,
        mode=Order.Mode.B2B if b2b else Order.Mode.B2C,
        buyer_org=part.context.buyer_org if b2b else None,
        payment_terms=part.context.payment_terms if b2b else "",
        currency=b.total.currency,
        lines=[
            orders.LineIn(
                variant=item.variant,
                quantity=item.quantity,
                unit_price=priced.unit_price.amount,
                discount=priced.discount.amount,
                title=item.variant.product.display_title,
                variant_name=item.variant.display_name,
            )
            for item, priced in part.lines
        ],
        adjustments=adjustments,
        shipping_address=address,
        shipping_method=part.shipping_label,
        checkout_ref=checkout.ref,
        # A consumer pays within the checkout's time; a company's prepay order waits the B2B policy's days (it may
        # be paid later from the order page: `pay_placed_orders`).
        payment_due_at=None if b2b else checkout.expires_at,
    )


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
            "placed": [
                {"number": o.number, "state": o.state, "payment_terms": o.payment_terms, "total": str(o.total)}
                for o in self.orders
            ],
            "payment_url": self.payment_url,
            "expires_at": self.checkout.expires_at.isoformat(),
        }


@one_transaction()
def _place(
    *,
    buyer: User,
    address_id,
    company_address_id,
    shipping_choices: dict,
    coupon_codes: list[str],
    return_url: str | None,
) -> Placed:
    now = clock.now()
    quote = quote_checkout(buyer=buyer, shipping_choices=shipping_choices, coupon_codes=coupon_codes, now=now)
    if quote.errors:
        raise ValidationFailed(" ".join(quote.errors), field="coupon_codes", code="coupon_not_applied")
    address = address_book.delivery_address(
        buyer, quote.contexts, address_id=address_id, company_address_id=company_address_id
    )
    due = now + payment_timeout()
    checkout = Checkout.objects.create(
        buyer=buyer, total=quote.total.amount, currency=quote.currency, created_at=now, expires_at=due
    )
    placed = orders.place_orders(
        [_order_in(part, buyer=buyer, checkout=checkout, address=address) for part in quote.parts],
        actor=buyer,
        now=now,
    )
    _redeem(quote.parts, placed, buyer)
    states.record(checkout, new=checkout.state, actor=buyer, reason=f"{len(placed)} order(s)")
    done = return_url or f"/checkout/{checkout.pk}/done/"
    to_pay = [o for o in placed if o.state == Order.State.PENDING_PAYMENT]
    later = [o for o in placed if o.state != Order.State.PENDING_PAYMENT]  # on credit terms, or held for approval
    if later:  # placed for good: their lines leave the cart now
        leave_cart(buyer, later)
        checkout.total = sum((o.total for o in to_pay), Decimal(0))
        Checkout.objects.filter(pk=checkout.pk).update(total=checkout.total)
    if not to_pay:
        states.transition(checkout, Checkout.State.PLACED, actor=buyer, reason=gettext("nothing to pay now"))
        url = done
    elif checkout.total > 0:
        url = start_payment(checkout, to_pay, buyer, done)
    else:  # everything free: nothing to pay
        checkout_paid(checkout, buyer)
        url = done
    return Placed(checkout, placed, url)


def place(
    *,
    buyer: User,
    address_id: int | None,
    shipping_choices: dict,
    coupon_codes: list[str],
    key: str | None,
    return_url: str | None = None,
    company_address_id: int | None = None,
) -> Placed:
    """Turn the buyer's cart into one order per seller and start one payment for them all.

    The orders go to one of the buyer's own addresses (`address_id`) or — for a company member — one of the
    company's delivery addresses (`company_address_id`): exactly one of them.

    With an Idempotency-Key, a repeat (a double click, a retried request) answers with the same checkout:
    never two sets of orders, never two charges. Raises OutOfStock (409) if a line cannot be reserved.
    """
    require_signed_in(buyer)
    request_data = {
        "address_id": address_id,
        "shipping_choices": {str(k): str(v) for k, v in (shipping_choices or {}).items()},
        "coupon_codes": parse_codes(coupon_codes),
    }
    if company_address_id not in (None, ""):
        request_data["company_address_id"] = company_address_id

    fresh: list[Placed] = []  # placed by this request (not a replay): no need to read it back

    def run() -> tuple[int, dict]:
        placed = _place(
            buyer=buyer,
            address_id=address_id,
            company_address_id=company_address_id,
            shipping_choices=shipping_choices or {},
            coupon_codes=coupon_codes or [],
            return_url=return_url,
        )
        fresh.append(placed)
        return 201, placed.as_dict()

    _status, body = replay_or_run(user=buyer, scope="checkout", key=key, request_data=request_data, run=run)
    if fresh:
        return fresh[0]
    checkout = Checkout.objects.select_related("payment").get(pk=body["checkout_id"], buyer=buyer)
    placed_orders = list(Order.objects.filter(checkout_ref=checkout.ref).order_by("id"))
    return Placed(checkout, placed_orders, body["payment_url"])


# ---------- paying orders placed earlier ----------


LIVE_PAYMENT = (Payment.State.CREATED, Payment.State.PENDING, Payment.State.AUTHORIZED)


def _payable(locked: list[Order], actor: User, now) -> str:
    if not locked:
        raise NotFound(gettext("Order not found."), field="orders")
    for order in locked:
        if order.buyer_id != actor.pk:
            raise NotFound(gettext("Order not found."), field="orders")
        if order.state != Order.State.PENDING_PAYMENT or (order.payment_due_at and order.payment_due_at <= now):
            raise Conflict(
                gettext("Order %(number)s cannot be paid now.") % {"number": order.number},
                code=Code.NOT_PAYABLE,
                field="orders",
            )
        live = order.payment
        if live is not None and live.state in LIVE_PAYMENT and (live.expires_at is None or live.expires_at > now):
            raise Conflict(
                gettext("A payment for order %(number)s is in progress; finish it or try again later.")
                % {"number": order.number},
                code=Code.PAYMENT_IN_PROGRESS,
                field="orders",
            )
    currencies = {order.currency for order in locked}
    if len(currencies) > 1:
        raise ValidationFailed(
            gettext("One payment pays in one currency; pay these orders separately."),
            field="orders",
            code=Code.MIXED_CURRENCY,
        )
    return currencies.pop()


@transaction.atomic
def _pay_placed(*, order_ids: list[int], actor: User, return_url: str | None) -> Placed:
    now = clock.now()
    locked = list(
        Order.objects.select_for_update(of=("self",)).filter(pk__in=order_ids).select_related("payment").order_by("id")
    )
    currency = _payable(locked, actor, now)
    total = sum((o.total for o in locked), Decimal(0))
    due = min((o.payment_due_at for o in locked if o.payment_due_at), default=now + payment_timeout())
    checkout = Checkout.objects.create(
        buyer=actor, total=total, currency=currency, created_at=now, expires_at=min(due, now + payment_timeout())
    )
    Order.objects.filter(pk__in=[o.pk for o in locked]).update(checkout_ref=checkout.ref)
    for order in locked:
        order.checkout_ref = checkout.ref
    states.record(checkout, new=checkout.state, actor=actor, reason=f"paying {len(locked)} placed order(s)")
    done = return_url or f"/checkout/{checkout.pk}/done/"
    if total > 0:
        url = start_payment(checkout, locked, actor, done)
    else:
        checkout_paid(checkout, actor)
        url = done
    return Placed(checkout, locked, url)


def pay_placed_orders(
    orders: list[Order], actor: User, *, key: str | None = None, return_url: str | None = None
) -> Placed:
    """One payment for orders placed earlier that wait for it (PENDING_PAYMENT) and are the actor's: a quote's
    prepay order, a company order approved after it was held. The payment's outcome works as at checkout
    (`checkout.reactions`): captured → every order paid; failed → pay again from the confirmation page.

    Refused: another buyer's order (404), an order that is not waiting for payment or is past its payment date
    (409 not_payable), a payment for one of them still in progress (409 payment_in_progress), several currencies.
    The payment window is the checkout's (minutes); the orders keep their own payment date. With an
    Idempotency-Key, a repeat answers with the same payment."""
    require_signed_in(actor)
    order_ids = sorted({o.pk for o in orders})

    def run() -> tuple[int, dict]:
        return 201, _pay_placed(order_ids=order_ids, actor=actor, return_url=return_url).as_dict()

    _status, body = replay_or_run(user=actor, scope="pay_orders", key=key, request_data={"orders": order_ids}, run=run)
    checkout = Checkout.objects.select_related("payment").get(pk=body["checkout_id"], buyer=actor)
    return Placed(checkout, list(Order.objects.filter(pk__in=order_ids).order_by("id")), body["payment_url"])
