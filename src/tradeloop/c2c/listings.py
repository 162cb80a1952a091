"""Private listings: a person sells one second-hand item "in a minute".

    create_listing          a signed-in person's item: their personal seller organization (made on first use), a
                            catalog product of kind listing (one SKU, stock 1, a condition, photos), published, and
                            the Listing row beside it (city, delivery, fee, local pickup; expires in
                            TRADELOOP_C2C_LISTING_DAYS). A prohibited category (and its subtree) is refused
                            (`prohibited_category`) before anything is written.
    update_listing          the seller edits price and details; a price change sends `listing_price_changed`
    renew                   an expired (or withdrawn) listing, or an active one within RENEW_WINDOW of its expiry,
                            runs another TRADELOOP_C2C_LISTING_DAYS: active, republished, renewals + 1
    withdraw                the seller takes it off sale (unpublished)
    sweep_expired_listings  the timed rule: active listings past expires_at expire (unpublished); idempotent
    buy_now                 a buyer (not the seller) orders the item at its asking price: a C2C order (stock 1
                            reserved, the listing's shipping fee when it ships, the buyer's default address), then
                            pays it like any placed order (checkout.pay_placed_orders)

Texts go into the fields of the writer's language (title or title_zh); the other language falls back to it.
`listing_published` is sent on create and renew. Lock order: the listing row, then what follows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.accounts.services import personal_seller_profile
from tradeloop.c2c import signals
from tradeloop.c2c.errors import Code
from tradeloop.c2c.models import DeliverySpeed, Listing, ProhibitedCategory
from tradeloop.catalog import services as catalog
from tradeloop.catalog.models import Category, Product
from tradeloop.checkout.models import Address
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotAuthenticated, NotFound, ValidationFailed
from tradeloop.core.idempotency import replay_or_run
from tradeloop.core.money import MAX_AMOUNT
from tradeloop.orders import services as orders
from tradeloop.orders.models import Adjustment, Order, OrderLine

State = Listing.State
RENEW_WINDOW = timedelta(days=7)  # an active listing may be renewed this close to its expiry
MAX_PHOTOS = 9
SKU = "ITEM"
TEXT_FIELDS = ("title", "description")
LISTING_FIELDS = ("city", "district", "ships", "delivery_speed", "shipping_fee", "local_pickup")
EDITABLE = (*TEXT_FIELDS, "condition", "category", "price", *LISTING_FIELDS)


def listing_days() -> timedelta:
    return timedelta(days=settings.TRADELOOP_C2C_LISTING_DAYS)


def _signed_in(actor: User | None) -> User:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    return actor


# --- checks -------------------------------------------------------------------------------------------------------


def _amount(value, *, field: str, positive: bool) -> Decimal:
    try:
        amount = Decimal(str(value).strip()) if value not in (None, "") else None
    except (InvalidOperation, TypeError, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationFailed(gettext("Enter an amount."), field=field)
    if amount < 0 or (positive and amount == 0) or amount >= MAX_AMOUNT:
        raise ValidationFailed(
            gettext("Enter an amount above zero.") if positive else gettext("The amount cannot be negative."),
            field=field,
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(gettext("Use at most two decimal places."), field=field)
    return amount


def _text(value, *, field: str, max_length: int, required: bool = False) -> str:
    value = str(value or "").strip()
    if "\x00" in value:
        raise ValidationFailed(gettext("This text contains characters that are not allowed."), field=field)
    if required and not value:
        raise ValidationFailed(gettext("This field is required."), field=field)
    if len(value) > max_length:
        raise ValidationFailed(gettext("At most %(max)s characters, please.") % {"max": max_length}, field=field)
    return value


def category_of(value) -> Category | None:
    """A category by instance, id or slug; unknown ones are a ValidationFailed (`category`)."""
    if value in (None, ""):
        return None
    if isinstance(value, Category):
        return value
    lookup = {"pk": value} if str(value).isdigit() else {"slug": str(value)}
    found = Category.objects.filter(**lookup).first()
    if found is None:
        raise ValidationFailed(gettext("There is no such category."), field="category")
    return found


def prohibited_reason(category: Category | None) -> str | None:
    """Why `category` may not be listed in (it or a category above it is prohibited), or None when it may."""
    if category is None:
        return None
    ancestors = [category.path[: i + 1] for i, ch in enumerate(category.path) if ch == "/"]
    banned = (
        ProhibitedCategory.objects.filter(category__path__in=ancestors)
        .order_by("category__depth")
        .values_list("reason", "reason_zh")
        .first()
    )
    if banned is None:
        return None
    reason, reason_zh = banned
    return (reason_zh or reason) if (translation.get_language() or "").startswith("zh") else (reason or reason_zh)


def check_category(category: Category | None) -> None:
    reason = prohibited_reason(category)
    if reason is not None:
        raise ValidationFailed(
            gettext("Private sellers cannot list items in this category (%(reason)s).") % {"reason": reason},
            field="category",
            code=Code.PROHIBITED_CATEGORY,
        )


def _clean_listing(values: dict, current: Listing | None = None) -> dict:
    """Listing fields given in `values`, validated; together with `current`, the item must change hands."""
    out: dict = {}
    if "city" in values:
        out["city"] = _text(values["city"], field="city", max_length=80, required=True)
    if "district" in values:
        out["district"] = _text(values["district"], field="district", max_length=80)
    for name in ("ships", "local_pickup"):
        if name in values:
            out[name] = bool(values[name])
    if "delivery_speed" in values:
        if values["delivery_speed"] not in DeliverySpeed.values:
            raise ValidationFailed(gettext("Choose how the item travels."), field="delivery_speed")
        out["delivery_speed"] = values["delivery_speed"]
    if "shipping_fee" in values:
        out["shipping_fee"] = _amount(values["shipping_fee"] or 0, field="shipping_fee", positive=False)
    ships = out.get("ships", current.ships if current else True)
    pickup = out.get("local_pickup", current.local_pickup if current else False)
    if not ships and not pickup:
        raise ValidationFailed(gettext("Ship the item, offer local pickup, or both."), field="ships")
    if not ships:
        out["shipping_fee"] = Decimal(0)
    return out


def _language_fields(values: dict, language: str | None) -> dict:
    """title/description into the fields of the writer's language (title_zh, description_zh for Chinese)."""
    zh = (language or translation.get_language() or "").startswith("zh")
    out = {}
    if "title" in values:
        out["title_zh" if zh else "title"] = _text(values["title"], field="title", max_length=200, required=True)
    if "description" in values:
        text = _text(values["description"], field="description", max_length=5000)
        out["description_zh" if zh else "description"] = _as_html(text)
    return out


def _as_html(text: str) -> str:
    """Plain text as paragraphs of sanitised HTML (the catalog stores descriptions as HTML)."""
    from django.utils.html import escape

    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def _condition(value) -> str:
    if value not in Product.Condition.values:
        raise ValidationFailed(gettext("Choose the item's condition."), field="condition")
    return value


# --- create -------------------------------------------------------------------------------------------------------


@transaction.atomic
def create_listing(
    *,
    actor: User,
    title: str,
    price,
    city: str,
    condition: str = Product.Condition.GOOD,
    description: str = "",
    category=None,
    district: str = "",
    ships: bool = True,
    delivery_speed: str = DeliverySpeed.EXPRESS,
    shipping_fee=0,
    local_pickup: bool = False,
    photos=(),
    language: str | None = None,
) -> Listing:
    """List one item; refused before anything is written when a field is wrong or the category is prohibited."""
    _signed_in(actor)
    texts = _language_fields({"title": title, "description": description}, language)
    condition = _condition(condition)
    chosen = category_of(category)
    check_category(chosen)
    price = _amount(price, field="price", positive=True)
    fields = _clean_listing(
        {
            "city": city,
            "district": district,
            "ships": ships,
            "delivery_speed": delivery_speed,
            "shipping_fee": shipping_fee,
            "local_pickup": local_pickup,
        }
    )
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(gettext("At most %(n)s photos.") % {"n": MAX_PHOTOS}, field="photos")
    for photo in photos:
        _verified(photo)
    seller = personal_seller_profile(actor=actor)
    product = catalog.create_product(
        actor=actor,
        seller=seller,
        title=texts.pop("title", ""),
        kind=Product.Kind.LISTING,
        condition=condition,
        category=chosen,
        variants=[catalog.VariantInput(sku=SKU, price=price, stock=1)],
        **texts,
    )
    for photo in photos:
        add_photo_to(actor, product, photo)
    catalog.publish(actor=actor, product=product)
    now = clock.now()
    listing = Listing.objects.create(product=product, expires_at=now + listing_days(), created_at=now, **fields)
    states.record(listing, new=listing.state, actor=actor, reason="listed")
    signals.listing_published.send(sender=Listing, listing=listing)
    return listing


def _verified(photo) -> None:
    try:
        catalog.verified_image(photo)
        photo.seek(0)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="photos") from exc


def add_photo_to(actor: User, product: Product, photo) -> None:
    try:
        catalog.add_image(actor=actor, product=product, upload=photo)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="photos") from exc


# --- the seller's listing -----------------------------------------------------------------------------------------


def _locked_own(actor: User, listing_id: int) -> Listing:
    """The actor's listing, locked; another person's answers 404."""
    _signed_in(actor)
    listing = (
        Listing.objects.select_for_update(of=("self",))
        .select_related("product__seller")
        .filter(pk=listing_id, product__seller__memberships__user=actor)
        .first()
    )
    if listing is None:
        raise NotFound(gettext("listing not found"), field="listing")
    return listing


def _variant(product: Product):
    return product.variants.order_by("position", "id").first()


@transaction.atomic
def add_photos(*, actor: User, listing_id: int, photos) -> Listing:
    listing = _locked_own(actor, listing_id)
    photos = list(photos or ())
    if not photos:
        raise ValidationFailed(gettext("Choose at least one photo."), field="photos")
    if listing.product.images.count() + len(photos) > MAX_PHOTOS:
        raise ValidationFailed(gettext("At most %(n)s photos.") % {"n": MAX_PHOTOS}, field="photos")
    for photo in photos:
        add_photo_to(actor, listing.product, photo)
    return listing


@transaction.atomic
def update_listing(*, actor: User, listing_id: int, language: str | None = None, **changes) -> Listing:
    """Edit price and details of an active or expired listing; a new price sends `listing_price_changed`."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationFailed(gettext("unknown field %(field)s") % {"field": repr(name)}, field=name)
    listing = _locked_own(actor, listing_id)
    if listing.state not in (State.ACTIVE, State.EXPIRED):
        raise Conflict(gettext("A sold or withdrawn listing cannot be edited."), code=Code.LISTING_NOT_ACTIVE)
    product = listing.product
    product_changes = _language_fields(changes, language)
    if "condition" in changes:
        product_changes["condition"] = _condition(changes["condition"])
    if "category" in changes:
        chosen = category_of(changes["category"])
        check_category(chosen)
        product_changes["category"] = chosen
    fields = _clean_listing({k: v for k, v in changes.items() if k in LISTING_FIELDS}, listing)
    new_price = _amount(changes["price"], field="price", positive=True) if "price" in changes else None
    if product_changes:
        catalog.update_product(actor=actor, product=product, **product_changes)
    for name, value in fields.items():
        setattr(listing, name, value)
    if fields:
        listing.save(update_fields=list(fields))
    variant = _variant(product)
    if new_price is not None and variant is not None and new_price != variant.price:
        old = variant.price
        catalog.save_variant(
            actor=actor,
            product=product,
            variant_id=variant.pk,
            data=catalog.VariantInput(sku=variant.sku, price=new_price, stock=None),
        )
        signals.listing_price_changed.send(sender=Listing, listing=listing, old=old, new=new_price)
    return listing


def _republish(product: Product, actor: User) -> None:
    if product.status != Product.Status.PUBLISHED:
        catalog.publish(actor=actor, product=product)


def _unpublish(product: Product, actor: User | None) -> None:
    if product.status == Product.Status.PUBLISHED:
        states.transition(product, Product.Status.UNPUBLISHED, actor=actor)


def renewable(listing: Listing, now: datetime | None = None) -> bool:
    now = now or clock.now()
    if listing.state in (State.EXPIRED, State.WITHDRAWN):
        return True
    return listing.state == State.ACTIVE and listing.expires_at - now <= RENEW_WINDOW


@transaction.atomic
def renew(*, actor: User, listing_id: int) -> Listing:
    """Another TRADELOOP_C2C_LISTING_DAYS: expired or withdrawn listings, or active ones close to expiry."""
    listing = _locked_own(actor, listing_id)
    now = clock.now()
    if not renewable(listing, now):
        if listing.state == State.SOLD:
            raise Conflict(gettext("This item is sold."), code=Code.LISTING_NOT_ACTIVE)
        raise Conflict(
            gettext("A listing can be renewed in the last %(days)s days before it expires.")
            % {"days": RENEW_WINDOW.days},
            code=Code.NOT_RENEWABLE,
        )
    listing.expires_at = now + listing_days()
    listing.renewals += 1
    if listing.state == State.ACTIVE:
        listing.save(update_fields=["expires_at", "renewals"])
        states.record(listing, old=listing.state, new=listing.state, actor=actor, reason="renewed")
    else:
        listing.save(update_fields=["renewals"])
        states.transition(listing, State.ACTIVE, actor=actor, reason="renewed")
    _republish(listing.product, actor)
    signals.listing_published.send(sender=Listing, listing=listing)
    return listing


@transaction.atomic
def withdraw(*, actor: User, listing_id: int) -> Listing:
    listing = _locked_own(actor, listing_id)
    if listing.state not in (State.ACTIVE, State.EXPIRED):
        raise Conflict(gettext("Only a listing on sale or expired can be withdrawn."), code=Code.LISTING_NOT_ACTIVE)
    states.transition(listing, State.WITHDRAWN, actor=actor, reason="withdrawn by the seller")
    _unpublish(listing.product, actor)
    return listing


def _awaiting_payment() -> Exists:
    """An order of the listing's item waits for its payment (Buy now, an accepted offer): it expires after that."""
    return Exists(
        OrderLine.objects.filter(variant__product_id=OuterRef("product_id"), order__state=Order.State.PENDING_PAYMENT)
    )


def sweep_expired_listings(now: datetime) -> int:
    """Active listings past their expiry expire and leave the storefront — not while an order of the item waits for
    its payment (the next sweep after it is paid or lapses decides). Running it twice changes nothing."""
    done = 0
    due = (
        Listing.objects.filter(state=State.ACTIVE, expires_at__lte=now)
        .exclude(_awaiting_payment())
        .values_list("id", flat=True)
    )
    for listing_id in list(due):
        with transaction.atomic():
            listing = Listing.objects.select_for_update(of=("self",)).select_related("product").get(pk=listing_id)
            if listing.state == State.ACTIVE and listing.expires_at <= now:
                states.transition(listing, State.EXPIRED, reason="listing expired")
                _unpublish(listing.product, None)
                done += 1
    return done


# --- buy now ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bought:
    order: Order
    listing: Listing


def default_address(buyer: User) -> Address | None:
    return Address.objects.filter(user=buyer, is_default=True).first() or (
        Address.objects.filter(user=buyer).order_by("id").first()
    )


def _place(actor: User, listing_id: int) -> dict:
    listing = (
        Listing.objects.select_for_update(of=("self",)).select_related("product__seller").filter(pk=listing_id).first()
    )
    if listing is None:
        raise NotFound(gettext("listing not found"), field="listing")
    product = listing.product
    if listing.state != State.ACTIVE or product.status != Product.Status.PUBLISHED:
        raise Conflict(gettext("This listing is not on sale."), code=Code.LISTING_NOT_ACTIVE)
    if product.seller.memberships.filter(user=actor).exists():
        raise ValidationFailed(gettext("You cannot buy your own listing."), code=Code.OWN_LISTING)
    waiting = Order.objects.filter(
        buyer=actor, checkout_ref=f"listing:{listing.pk}", state=Order.State.PENDING_PAYMENT
    ).first()
    if waiting is not None:  # pressed twice: the order already waiting for its payment
        return {"order_id": waiting.pk, "number": waiting.number}
    address = default_address(actor)
    if address is None:
        raise ValidationFailed(
            gettext("Add a delivery address first."), field="shipping_address", code=Code.ADDRESS_NEEDED
        )
    variant = _variant(product)
    adjustments = []
    if listing.ships and listing.shipping_fee:
        adjustments.append(orders.AdjustmentIn(Adjustment.Kind.SHIPPING, gettext("Shipping"), listing.shipping_fee))
    order = orders.place_order(
        actor=actor,
        buyer=actor,
        seller=product.seller,
        mode=Order.Mode.C2C,
        currency=variant.currency,
        lines=[orders.LineIn(variant, 1, variant.price)],
        adjustments=adjustments,
        shipping_address=address.snapshot(),
        checkout_ref=f"listing:{listing.pk}",
        note=f"Buy now: listing {listing.pk}",
    )
    return {"order_id": order.pk, "number": order.number}


def buy_now(*, actor: User, listing_id: int, key: str | None = None) -> Order:
    """Order the item at its asking price (stock 1 reserved until the payment is due: a second buyer meanwhile
    gets `out_of_stock`). With an Idempotency-Key, a repeat answers with the same order."""
    _signed_in(actor)

    @transaction.atomic
    def run() -> tuple[int, dict]:
        return 201, _place(actor, listing_id)

    _status, body = replay_or_run(
        user=actor, scope="c2c_buy_now", key=key, request_data={"listing": listing_id}, run=run
    )
    return Order.objects.get(pk=body["order_id"])
