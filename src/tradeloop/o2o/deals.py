"""Group-buy deals: a local business sells vouchers for a visit ("Haircut and wash, ¥39 instead of ¥68").

    create_deal     a catalog product of kind `deal` (title and description in both languages, one SKU at the deal
                    price with the original price struck) and the Deal row beside it: places of the seller's own,
                    sale window, voucher validity, usage rules, stock cap, per-person limit, optional tipping point,
                    refund any time, refund or forfeit at expiry. Starts as a draft.
    update_deal     the seller edits it; once on sale the price and the tipping point stay as sold
    publish         draft → live (the product is published)
    withdraw        draft or live → withdrawn (unpublished); vouchers waiting for a tipping point are refunded
    buy             a buyer orders `quantity` vouchers: inside the sale window, at most the per-person limit (their
                    vouchers not refunded and their orders waiting for payment count), never above the stock cap
                    (a guarded UPDATE of `sold_count`), as an O2O order (`orders.place_order`) to pay through the
                    usual payment flow (`checkout.pay_placed_orders`)

Vouchers follow the order (`o2o.vouchers`); the timed rules (deals ending, tipping or not) are there too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.accounts.selectors import require
from tradeloop.catalog import services as catalog
from tradeloop.catalog.models import Product
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotAuthenticated, NotFound, ValidationFailed
from tradeloop.core.idempotency import replay_or_run
from tradeloop.core.money import MAX_AMOUNT
from tradeloop.o2o import search_source
from tradeloop.o2o.errors import Code
from tradeloop.o2o.models import AtExpiry, Deal, Place, Voucher
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order, OrderLine

State = Deal.State
SKU = "DEAL"
# Inventory holds the deal's units only so that an order's payment window works as for goods; the stock cap is
# Deal.sold_count's guarded UPDATE, so the SKU carries more units than any deal sells.
DEAL_STOCK = 10_000_000
TEXT_FIELDS = ("title", "title_zh", "description", "description_zh")
DEAL_FIELDS = (
    "sale_starts_at",
    "sale_ends_at",
    "voucher_valid_days",
    "usage_rules",
    "usage_rules_zh",
    "stock_cap",
    "per_person_limit",
    "tipping_point",
    "refundable_any_time",
    "at_expiry",
)
EDITABLE = (*TEXT_FIELDS, "price", "original_price", "place_ids", *DEAL_FIELDS)
FIXED_ONCE_LIVE = ("price", "tipping_point", "sale_starts_at")
OPEN = (State.DRAFT, State.LIVE)


def checkout_ref(deal: Deal | int) -> str:
    return f"deal:{getattr(deal, 'pk', deal)}"


def _signed_in(actor: User | None) -> User:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    return actor


# --- checks -------------------------------------------------------------------------------------------------------


def _amount(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (ArithmeticError, TypeError, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationFailed(gettext("Enter an amount."), field=field)
    if amount <= 0 or amount >= MAX_AMOUNT:
        raise ValidationFailed(gettext("Enter an amount above zero."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(gettext("Use at most two decimal places."), field=field)
    return amount


def _whole(value, *, field: str, minimum: int, optional: bool = False) -> int | None:
    if optional and value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or number < minimum or number > 1_000_000:
        raise ValidationFailed(gettext("Enter a whole number of at least %(n)s.") % {"n": minimum}, field=field)
    return number


def _text(value, *, field: str, max_length: int) -> str:
    value = str(value or "").strip()
    if "\x00" in value:
        raise ValidationFailed(gettext("This text contains characters that are not allowed."), field=field)
    if len(value) > max_length:
        raise ValidationFailed(gettext("At most %(max)s characters, please.") % {"max": max_length}, field=field)
    return value


def _as_html(text: str) -> str:
    """Plain text as paragraphs of escaped HTML (the catalog stores descriptions as HTML)."""
    from django.utils.html import escape

    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def _moment(value, *, field: str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if value else None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValidationFailed(gettext("Enter a date and time."), field=field)
    return value


def _own_places(seller_id: int, place_ids) -> list[Place]:
    ids = {int(pk) for pk in place_ids or () if str(pk).isdigit()}
    if not ids:
        raise ValidationFailed(gettext("Choose at least one place where the deal is valid."), field="place_ids")
    found = list(Place.objects.filter(pk__in=ids, seller_id=seller_id, is_active=True))
    if len(found) != len(ids):  # another business's place is "not one of yours", never "exists elsewhere"
        raise ValidationFailed(gettext("Choose among your own places."), field="place_ids")
    return found


def _clean_deal_fields(values: dict) -> dict:
    out: dict = {}
    for name in ("sale_starts_at", "sale_ends_at"):
        if name in values:
            out[name] = _moment(values[name], field=name)
    if "voucher_valid_days" in values:
        out["voucher_valid_days"] = _whole(values["voucher_valid_days"], field="voucher_valid_days", minimum=1)
    for name in ("usage_rules", "usage_rules_zh"):
        if name in values:
            out[name] = _text(values[name], field=name, max_length=5000)
    if "stock_cap" in values:
        out["stock_cap"] = _whole(values["stock_cap"], field="stock_cap", minimum=1, optional=True)
    if "per_person_limit" in values:
        out["per_person_limit"] = _whole(values["per_person_limit"], field="per_person_limit", minimum=1)
    if "tipping_point" in values:
        out["tipping_point"] = _whole(values["tipping_point"], field="tipping_point", minimum=2, optional=True)
    if "refundable_any_time" in values:
        out["refundable_any_time"] = bool(values["refundable_any_time"])
    if "at_expiry" in values:
        if values["at_expiry"] not in AtExpiry.values:
            raise ValidationFailed(gettext("Choose what happens to unused vouchers."), field="at_expiry")
        out["at_expiry"] = values["at_expiry"]
    return out


def _check_window(deal: Deal) -> None:
    if deal.sale_ends_at <= deal.sale_starts_at:
        raise ValidationFailed(gettext("The sale must end after it starts."), field="sale_ends_at")
    if deal.stock_cap is not None and deal.stock_cap < deal.sold_count:
        raise ValidationFailed(
            gettext("%(n)s vouchers are sold already: the cap cannot be lower.") % {"n": deal.sold_count},
            field="stock_cap",
        )
    if deal.stock_cap is not None and deal.tipping_point is not None and deal.tipping_point > deal.stock_cap:
        raise ValidationFailed(gettext("The tipping point cannot be above the stock cap."), field="tipping_point")


def _product_texts(values: dict) -> dict:
    out = {}
    for name in ("title", "title_zh"):
        if name in values:
            out[name] = _text(values[name], field=name, max_length=200)
    for name in ("description", "description_zh"):
        if name in values:
            out[name] = _as_html(_text(values[name], field=name, max_length=5000))
    return out


def _prices(price, original_price) -> tuple[Decimal, Decimal | None]:
    price = _amount(price, field="price")
    if original_price in (None, ""):
        return price, None
    original = _amount(original_price, field="original_price")
    if original < price:
        raise ValidationFailed(gettext("The original price cannot be below the deal price."), field="original_price")
    return price, original


# --- the seller's deal --------------------------------------------------------------------------------------------


@transaction.atomic
def create_deal(
    *,
    actor: User,
    organization_id: int,
    title: str = "",
    title_zh: str = "",
    description: str = "",
    description_zh: str = "",
    price,
    original_price=None,
    place_ids,
    sale_starts_at,
    sale_ends_at,
    **deal_fields,
) -> Deal:
    """A draft deal of the organization (capability catalog.manage), valid at some of its own places."""
    unknown = set(deal_fields) - set(DEAL_FIELDS)
    if unknown:
        raise ValidationFailed(gettext("unknown field %(field)s") % {"field": sorted(unknown)[0]}, field="body")
    seller = require(_signed_in(actor), organization_id, "catalog.manage").organization
    texts = _product_texts(
        {"title": title, "title_zh": title_zh, "description": description, "description_zh": description_zh}
    )
    if not texts["title"] and not texts["title_zh"]:
        raise ValidationFailed(gettext("Give the deal a title."), field="title")
    price, original = _prices(price, original_price)
    fields = _clean_deal_fields({"sale_starts_at": sale_starts_at, "sale_ends_at": sale_ends_at, **deal_fields})
    places = _own_places(seller.pk, place_ids)
    deal = Deal(**fields)
    _check_window(deal)
    product = catalog.create_product(
        actor=actor,
        seller=seller,
        kind=Product.Kind.DEAL,
        variants=[catalog.VariantInput(sku=SKU, price=price, compare_at_price=original, stock=DEAL_STOCK)],
        **texts,
    )
    deal.product = product
    deal.save()
    deal.places.set(places)
    states.record(deal, new=deal.state, actor=actor, reason="created")
    return deal


def _locked_own(actor: User, deal_id: int) -> Deal:
    """A deal of one of the actor's organizations where they manage the catalog, locked; others' answer 404."""
    _signed_in(actor)
    deal = Deal.objects.select_for_update(of=("self",)).select_related("product__seller").filter(pk=deal_id).first()
    if deal is None:
        raise NotFound(gettext("deal not found"), field="deal")
    require(actor, deal.product.seller_id, "catalog.manage")
    return deal


def variant_of(product: Product):
    return product.variants.order_by("position", "id").first()


@transaction.atomic
def update_deal(*, actor: User, deal_id: int, **changes) -> Deal:
    """Edit a draft or live deal; once on sale its price, tipping point and start are those it was bought at."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationFailed(gettext("unknown field %(field)s") % {"field": name}, field=name)
    deal = _locked_own(actor, deal_id)
    if deal.state not in OPEN:
        raise Conflict(gettext("An ended or withdrawn deal cannot be edited."), code=Code.DEAL_CLOSED)
    product = deal.product
    variant = variant_of(product)
    if deal.state == State.LIVE:
        for name in FIXED_ONCE_LIVE:
            if name in changes and _changed(deal, variant, name, changes[name]):
                raise ValidationFailed(gettext("This cannot change once the deal is on sale."), field=name)
            changes.pop(name, None)  # the same as sold: nothing to write
    texts = _product_texts(changes)
    fields = _clean_deal_fields(changes)
    places = _own_places(product.seller_id, changes["place_ids"]) if "place_ids" in changes else None
    for name, value in fields.items():
        setattr(deal, name, value)
    _check_window(deal)
    if texts:
        if not texts.get("title", product.title) and not texts.get("title_zh", product.title_zh):
            raise ValidationFailed(gettext("Give the deal a title."), field="title")
        catalog.update_product(actor=actor, product=product, **texts)
    if "price" in changes or "original_price" in changes:
        price, original = _prices(
            changes.get("price", variant.price), changes.get("original_price", variant.compare_at_price)
        )
        catalog.save_variant(
            actor=actor,
            product=product,
            variant_id=variant.pk,
            data=catalog.VariantInput(sku=SKU, price=price, compare_at_price=original, stock=None),
        )
    if fields:
        deal.save(update_fields=list(fields))
    before = set(place_ids_of(deal))
    if places is not None:
        deal.places.set(places)
    if deal.state == State.LIVE:
        refresh_place_prices(before | set(place_ids_of(deal)))
    return deal


def _changed(deal: Deal, variant, name: str, value) -> bool:
    if name == "price":
        return _amount(value, field="price") != variant.price
    if name == "tipping_point":
        return _whole(value, field=name, minimum=2, optional=True) != deal.tipping_point
    minute = {"second": 0, "microsecond": 0}  # forms send minutes
    return _moment(value, field=name).replace(**minute) != deal.sale_starts_at.replace(**minute)


@transaction.atomic
def publish(*, actor: User, deal_id: int) -> Deal:
    deal = _locked_own(actor, deal_id)
    if deal.state != State.DRAFT:
        raise Conflict(gettext("Only a draft deal can be published."), code=Code.DEAL_CLOSED)
    if deal.sale_ends_at <= clock.now():
        raise ValidationFailed(gettext("The sale window is over: move its end first."), field="sale_ends_at")
    if deal.product.status != Product.Status.PUBLISHED:
        catalog.publish(actor=actor, product=deal.product)
    states.transition(deal, State.LIVE, actor=actor, reason="published")
    refresh_place_prices(place_ids_of(deal))
    return deal


@transaction.atomic
def withdraw(*, actor: User, deal_id: int) -> Deal:
    """Off sale at once. Vouchers already valid stay valid; those waiting for the tipping point are refunded."""
    from tradeloop.o2o import vouchers

    deal = _locked_own(actor, deal_id)
    if deal.state not in OPEN:
        raise Conflict(gettext("This deal is not on sale."), code=Code.DEAL_CLOSED)
    states.transition(deal, State.WITHDRAWN, actor=actor, reason="withdrawn by the seller")
    if deal.product.status == Product.Status.PUBLISHED:
        states.transition(deal.product, Product.Status.UNPUBLISHED, actor=actor)
    refresh_place_prices(place_ids_of(deal))
    transaction.on_commit(lambda: vouchers.refund_untipped(deal.pk, reason=gettext("the deal was withdrawn")))
    return deal


# --- the places' denormalised price and sales (lists sort by them) ------------------------------------------------


def refresh_place_prices(place_ids) -> None:
    """Each place's `price_from`: the cheapest deal on sale or active service there (None: neither)."""
    from django.db.models import Min

    from tradeloop.o2o.models import Service

    ids = list(place_ids)
    if not ids:
        return
    live = Deal.objects.filter(state=State.LIVE, product__status=Product.Status.PUBLISHED, places__in=ids)
    deal_prices = dict(live.values("places").annotate(low=Min("product__price_from")).values_list("places", "low"))
    active = Service.objects.filter(is_active=True, product__status=Product.Status.PUBLISHED, places__in=ids)
    service_prices = dict(active.values("places").annotate(low=Min("product__price_from")).values_list("places", "low"))
    for place_id in ids:
        prices = [p for p in (deal_prices.get(place_id), service_prices.get(place_id)) if p is not None]
        Place.objects.filter(pk=place_id).update(price_from=min(prices) if prices else None)
    search_source.place_changed(ids)  # the search index carries the places' lowest prices


def place_ids_of(deal: Deal) -> list[int]:
    return list(deal.places.values_list("pk", flat=True))


def count_sold(deal: Deal, quantity: int) -> None:
    place_ids = place_ids_of(deal)
    Place.objects.filter(pk__in=place_ids).update(sold_count=F("sold_count") + quantity)
    search_source.place_changed(place_ids)


# --- buying -------------------------------------------------------------------------------------------------------


def on_sale(deal: Deal, now: datetime | None = None) -> bool:
    now = now or clock.now()
    return deal.state == State.LIVE and deal.sale_starts_at <= now < deal.sale_ends_at


def units_held(buyer: User, deal: Deal) -> int:
    """The buyer's vouchers of the deal not refunded, and the units of their orders of it waiting for payment."""
    vouchers = Voucher.objects.filter(deal=deal, buyer=buyer).exclude(state=Voucher.State.REFUNDED).count()
    waiting = OrderLine.objects.filter(
        order__buyer=buyer, variant__product_id=deal.product_id, order__state=Order.State.PENDING_PAYMENT
    ).aggregate(n=Sum("quantity"))["n"]
    return vouchers + (waiting or 0)


def _take_units(deal: Deal, quantity: int) -> None:
    """Guarded: concurrent buyers never take the deal past its stock cap."""
    room = Q(stock_cap__isnull=True) | Q(sold_count__lte=F("stock_cap") - quantity)
    if not Deal.objects.filter(room, pk=deal.pk, state=State.LIVE).update(sold_count=F("sold_count") + quantity):
        raise Conflict(gettext("Sold out: not enough vouchers are left."), code=Code.DEAL_SOLD_OUT, field="quantity")


def give_back_units(deal_id: int, quantity: int) -> None:
    """Units of an order that was never paid, or of refunded vouchers, are for sale again."""
    Deal.objects.filter(pk=deal_id, sold_count__gte=quantity).update(sold_count=F("sold_count") - quantity)


def _place(actor: User, deal_id: int, quantity: int) -> dict:
    deal = Deal.objects.select_related("product__seller").filter(pk=deal_id).first()
    if deal is None or deal.state == State.DRAFT:
        raise NotFound(gettext("deal not found"), field="deal")
    if not on_sale(deal) or deal.product.status != Product.Status.PUBLISHED:
        raise Conflict(gettext("This deal is not on sale."), code=Code.DEAL_NOT_ON_SALE)
    if deal.product.seller.memberships.filter(user=actor).exists():
        raise ValidationFailed(gettext("You cannot buy your own deal."), code=Code.OWN_DEAL)
    User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True).first()  # one buy at a time
    held = units_held(actor, deal)
    if held + quantity > deal.per_person_limit:
        raise Conflict(
            gettext("At most %(limit)s per person (you have %(held)s).")
            % {"limit": deal.per_person_limit, "held": held},
            code=Code.OVER_PERSON_LIMIT,
            field="quantity",
        )
    _take_units(deal, quantity)
    variant = variant_of(deal.product)
    order = orders.place_order(
        actor=actor,
        buyer=actor,
        seller=deal.product.seller,
        mode=Order.Mode.O2O,
        currency=variant.currency,
        lines=[orders.LineIn(variant, quantity, variant.price)],
        checkout_ref=checkout_ref(deal),
        note=f"Deal {deal.pk}",
    )
    return {"order_id": order.pk}


def buy(*, actor: User, deal_id: int, quantity: int = 1, key: str | None = None) -> Order:
    """Order `quantity` vouchers of a deal on sale; pay the order like any placed order. With an Idempotency-Key,
    a repeat answers with the same order."""
    _signed_in(actor)
    quantity = _whole(quantity, field="quantity", minimum=1)

    @transaction.atomic
    def run() -> tuple[int, dict]:
        return 201, _place(actor, deal_id, quantity)

    _status, body = replay_or_run(
        user=actor, scope="o2o_deal_buy", key=key, request_data={"deal": deal_id, "quantity": quantity}, run=run
    )
    return Order.objects.get(pk=body["order_id"])


@dataclass(frozen=True)
class Progress:
    """How far a deal is: what the deal page and the console show."""

    sold: int
    buyers: int
    tipping_point: int | None
    tipped: bool

    @property
    def percent(self) -> int:
        if not self.tipping_point:
            return 100
        return min(100, self.buyers * 100 // self.tipping_point)

    @property
    def missing(self) -> int:
        return max(0, (self.tipping_point or 0) - self.buyers)


def prices_of(deal: Deal) -> tuple[Decimal | None, Decimal | None]:
    """The deal price and the original price, from the prefetched variants (no query with a selector's deal)."""
    variants = list(deal.product.variants.all())
    return (variants[0].price, variants[0].compare_at_price) if variants else (None, None)


def discount_percent(price, original) -> int | None:
    """How much off the original price, rounded down (none when there is no lower price)."""
    if not price or not original or original <= price:
        return None
    return int((original - price) * 100 // original)


def progress(deal: Deal) -> Progress:
    return Progress(deal.sold_count, deal.buyer_count, deal.tipping_point, deal.tips)
