"""Make-an-offer: a buyer's offer on a private listing, negotiated on the one negotiation engine (kind OFFER), and
the offer policy that turns an accepted offer into the C2C order at the agreed price.

    make_offer      a signed-in buyer (not the seller) offers at most the asking price (`offer_too_high` above it);
                    at most TRADELOOP_C2C_MAX_OFFERS offers per buyer and listing (`too_many_offers`), one open at a
                    time (`offer_open`); the engine's counter cap is the asking price, so no version exceeds it
    counter         either side answers the current version with a new amount (≤ the asking price)
    accept          the side that did not write the current version accepts it: `place_offer_order` (on_accept)
                    places the order (mode c2c, stock 1 reserved: the first accepted offer wins, a later one is
                    `out_of_stock`) and declines every other open offer on the listing ("another offer was accepted")
    decline         the side that did not write the current version refuses it
    withdraw        the author of the current version takes it back
    set_offer_rules the seller's standing orders: a buyer's offer or counter at or above `auto_accept_at` is accepted
                    at once (on the seller's behalf, "auto-accepted"), below `auto_decline_below` declined at once

Every version is valid TRADELOOP_C2C_OFFER_HOURS (48 h); the engine's `sweep_expired` (celery beat) expires it.
Lock order: the listing, then the negotiation — accepting locks the listing first, so two accepts on one listing
queue on it instead of deadlocking while each declines the other's offer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import Membership, User
from tradeloop.c2c.errors import Code
from tradeloop.c2c.models import Listing
from tradeloop.catalog.models import Product
from tradeloop.checkout.models import Address
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from tradeloop.core.money import MAX_AMOUNT
from tradeloop.negotiation import policies
from tradeloop.negotiation import services as engine
from tradeloop.negotiation.errors import Code as NegotiationCode
from tradeloop.negotiation.models import Negotiation, Proposal, Side
from tradeloop.negotiation.selectors import SELL, org_ids, signed_in
from tradeloop.notifications import negotiations as reminders
from tradeloop.orders import services as orders
from tradeloop.orders.models import Adjustment, Order

OFFER = Negotiation.Kind.OFFER
OPEN = Negotiation.State.OPEN
AUTO_ACCEPTED = "auto-accepted"
AUTO_DECLINED = "auto-declined"
OTHER_ACCEPTED = "another offer was accepted"
Draft = engine.Draft
LineDraft = engine.LineDraft


def validity() -> timedelta:
    """How long every version of an offer stands (read when used, so settings overrides apply)."""
    return timedelta(hours=settings.TRADELOOP_C2C_OFFER_HOURS)


def max_offers() -> int:
    return settings.TRADELOOP_C2C_MAX_OFFERS


def asking_price(listing: Listing) -> Decimal:
    return listing.product.variants.all()[0].price


def _variant(listing: Listing):
    return listing.product.variants.all()[0]


def seller_agent(listing: Listing) -> User:
    """Who acts for the seller when the auto rules decide: the seller organization's (first) owner."""
    owner = (
        Membership.objects.filter(organization_id=listing.product.seller_id, role__code="owner")
        .select_related("user")
        .order_by("id")
        .first()
    )
    if owner is None:
        raise Conflict(gettext("This listing's seller cannot be reached."), code=Code.LISTING_NOT_ACTIVE)
    return owner.user


# --- checks -------------------------------------------------------------------------------------------------------


def check_amount(amount, cap: Decimal, *, field: str = "amount") -> Decimal:
    """A positive amount of money, at most `cap` (the asking price)."""
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed(gettext("Enter an amount."), field=field) from None
    if not amount.is_finite() or amount <= 0 or amount >= MAX_AMOUNT:
        raise ValidationFailed(gettext("Enter an amount above zero."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(gettext("Use at most two decimal places."), field=field)
    if amount > cap:
        raise ValidationFailed(
            gettext("An offer cannot be above the asking price (%(cap)s).") % {"cap": cap},
            field=field,
            code=Code.OFFER_TOO_HIGH,
        )
    return amount


def check_counter(negotiation: Negotiation, draft: Draft, side: str) -> None:
    """The engine's hook on every counter: one unit, at most the asking price (the counter cap)."""
    if len(draft.lines) != 1 or draft.lines[0].quantity != 1:
        raise ValidationFailed(gettext("An offer is for the one item."), field="lines")
    cap = negotiation.counter_cap if negotiation.counter_cap is not None else MAX_AMOUNT
    check_amount(draft.lines[0].unit_price, cap)


def _locked_listing(*, listing_id: int | None = None, product_id: int | None = None) -> Listing:
    qs = Listing.objects.select_for_update(of=("self",)).select_related("product__seller")
    found = qs.filter(pk=listing_id).first() if listing_id is not None else qs.filter(product_id=product_id).first()
    if found is None:
        raise NotFound(gettext("listing not found"), field="listing")
    return found


def _on_sale(listing: Listing) -> None:
    if listing.state != Listing.State.ACTIVE or listing.product.status != Product.Status.PUBLISHED:
        raise Conflict(gettext("This listing is not on sale."), code=Code.LISTING_NOT_ACTIVE)


def _own(actor: User, listing: Listing) -> bool:
    return listing.product.seller_id in org_ids(actor)


def _draft(listing: Listing, amount: Decimal, note: str, now: datetime) -> Draft:
    return Draft(
        lines=[LineDraft(1, amount, variant=_variant(listing), description=listing.product.display_title[:300])],
        valid_until=now + validity(),
        note=(note or "")[:1000],
    )


# --- the policy -----------------------------------------------------------------------------------------------------


def _shipping_address(buyer: User) -> dict:
    found = Address.objects.filter(user=buyer, is_default=True).first() or (
        Address.objects.filter(user=buyer).order_by("id").first()
    )
    return found.snapshot() if found is not None else {}


def place_offer_order(negotiation: Negotiation, proposal: Proposal, actor: User) -> str:
    """on_accept: the accepted amount becomes the C2C order (the listing's shipping fee if it ships, the buyer's
    default address); every other open offer on the listing is declined. Returns the order number."""
    listing = _locked_listing(product_id=negotiation.product_id)
    _on_sale(listing)
    line = proposal.lines.select_related("variant__product").get()
    adjustments = []
    if listing.ships and listing.shipping_fee:
        adjustments.append(orders.AdjustmentIn(Adjustment.Kind.SHIPPING, gettext("Shipping"), listing.shipping_fee))
    order = orders.place_order(
        actor=actor,
        buyer=negotiation.buyer,
        seller=negotiation.seller,
        mode=Order.Mode.C2C,
        currency=negotiation.currency,
        lines=[orders.LineIn(line.variant, 1, line.unit_price)],
        adjustments=adjustments,
        shipping_address=_shipping_address(negotiation.buyer),
        checkout_ref=f"offer:{negotiation.pk}",
        note=f"Offer {negotiation.pk} v{proposal.number}",
    )
    now = clock.now()
    others = Negotiation.objects.select_for_update().filter(kind=OFFER, product_id=negotiation.product_id, state=OPEN)
    for other in others.exclude(pk=negotiation.pk).order_by("pk"):
        other.decided_at = now
        states.transition(other, Negotiation.State.DECLINED, actor=actor, reason=OTHER_ACCEPTED)
    return order.number


POLICY = policies.Policy(validity=timedelta(hours=48), on_accept=place_offer_order, check_counter=check_counter)


def register() -> None:
    """Called from C2cConfig.ready()."""
    policies.register(OFFER, POLICY)
    thread = ("c2c:offer", lambda n: (n.pk,))  # both sides answer on the offer's thread
    reminders.register_answer_pages(OFFER, reminders.AnswerPages(buyer=thread, seller=thread))


# --- use cases ------------------------------------------------------------------------------------------------------


def _auto_rules(listing: Listing, negotiation: Negotiation, amount: Decimal, now: datetime) -> None:
    """A buyer's new version meets the seller's standing orders: accepted or declined at once, on the seller's
    behalf. An auto-accept that cannot place the order (the item is reserved by another accepted offer) leaves the
    offer open for the seller to answer."""
    accept_at, decline_below = listing.auto_accept_at, listing.auto_decline_below
    if accept_at is not None and amount >= accept_at:
        agent = seller_agent(listing)
        try:
            with transaction.atomic():
                engine.accept(actor=agent, negotiation=negotiation.pk, version=negotiation.current_version, now=now)
        except DomainError:
            return
        states.record(negotiation, old=OPEN, new=Negotiation.State.ACCEPTED, actor=agent, reason=AUTO_ACCEPTED)
    elif decline_below is not None and amount < decline_below:
        agent = seller_agent(listing)
        engine.decline(
            actor=agent, negotiation=negotiation.pk, version=negotiation.current_version, reason=AUTO_DECLINED, now=now
        )


@transaction.atomic
def make_offer(
    *, actor: User, listing_id: int | None = None, product_id: int | None = None, amount, note: str = "", now=None
) -> Negotiation:
    """A buyer's offer (version 1) on a listing; the seller's auto rules may decide it at once."""
    now = now or clock.now()
    signed_in(actor)
    listing = _locked_listing(listing_id=listing_id, product_id=product_id)
    if listing.product.status != Product.Status.PUBLISHED and not _own(actor, listing):
        raise NotFound(gettext("listing not found"), field="listing")
    _on_sale(listing)
    if _own(actor, listing):
        raise ValidationFailed(gettext("You cannot make an offer on your own listing."), code=Code.OWN_LISTING)
    asking = asking_price(listing)
    amount = check_amount(amount, asking)
    mine = Negotiation.objects.filter(kind=OFFER, product=listing.product, buyer=actor)
    if mine.filter(state=OPEN).exists():
        raise Conflict(
            gettext("You already have an open offer on this listing: answer or withdraw it first."),
            code=Code.OFFER_OPEN,
        )
    if mine.count() >= max_offers():
        raise Conflict(
            gettext("You have made %(n)s offers on this listing, the most allowed.") % {"n": max_offers()},
            code=Code.TOO_MANY_OFFERS,
        )
    negotiation = engine.open_negotiation(
        actor=actor,
        kind=OFFER,
        side=Side.BUYER,
        seller=listing.product.seller,
        currency=_variant(listing).currency,
        product=listing.product,
        counter_cap=asking,
        draft=_draft(listing, amount, note, now),
        now=now,
    )
    _auto_rules(listing, negotiation, amount, now)
    negotiation.refresh_from_db()
    return negotiation


def _offer(offer_id: int) -> Negotiation:
    """Only offers answer through the offer pages and endpoints; any other negotiation is not found."""
    found = Negotiation.objects.filter(pk=offer_id, kind=OFFER).only("pk", "product_id").first()
    if found is None or found.product_id is None:
        raise NotFound(gettext("offer not found"), field="offer")
    return found


@transaction.atomic
def counter(
    *, actor: User, offer_id: int, version: int, amount, note: str = "", now: datetime | None = None
) -> Negotiation:
    """Answer the current version with another amount (at most the asking price). A buyer's counter meets the
    seller's auto rules like an offer does."""
    now = now or clock.now()
    offer = _offer(offer_id)
    listing = _locked_listing(product_id=offer.product_id)
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed(gettext("Enter an amount."), field="amount") from None
    try:
        proposal = engine.counter(
            actor=actor, negotiation=offer.pk, version=version, draft=_draft(listing, amount, note, now), now=now
        )
    except ValidationFailed as exc:
        if exc.code != NegotiationCode.OVER_CAP:
            raise
        raise ValidationFailed(
            gettext("An offer cannot be above the asking price (%(cap)s).") % {"cap": asking_price(listing)},
            field="amount",
            code=Code.OFFER_TOO_HIGH,
        ) from None
    negotiation = Negotiation.objects.get(pk=offer.pk)
    if proposal.author_side == Side.BUYER:
        _auto_rules(listing, negotiation, amount, now)
        negotiation.refresh_from_db()
    return negotiation


@transaction.atomic
def accept(
    *, actor: User, offer_id: int, version: int, key: str | None = None, now: datetime | None = None
) -> Negotiation:
    """Accept the current version: the order is placed (the first accepted offer on a listing wins)."""
    offer = _offer(offer_id)
    signed_in(actor)
    _locked_listing(product_id=offer.product_id)  # the listing first: see the module's lock order
    return engine.accept(actor=actor, negotiation=offer.pk, version=version, key=key, now=now)


def decline(
    *, actor: User, offer_id: int, version: int | None = None, reason: str = "", now: datetime | None = None
) -> Negotiation:
    return engine.decline(actor=actor, negotiation=_offer(offer_id).pk, version=version, reason=reason, now=now)


def withdraw(
    *, actor: User, offer_id: int, version: int | None = None, reason: str = "", now: datetime | None = None
) -> Negotiation:
    return engine.withdraw(actor=actor, negotiation=_offer(offer_id).pk, version=version, reason=reason, now=now)


def _threshold(value, asking: Decimal, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed(gettext("Enter an amount."), field=field) from None
    if not value.is_finite() or value <= 0:
        raise ValidationFailed(gettext("Enter an amount above zero."), field=field)
    if value != value.quantize(Decimal("0.01")):
        raise ValidationFailed(gettext("Use at most two decimal places."), field=field)
    if value > asking:
        raise ValidationFailed(
            gettext("This cannot be above the asking price (%(cap)s).") % {"cap": asking}, field=field
        )
    return value


@transaction.atomic
def set_offer_rules(*, actor: User, listing_id: int, auto_accept_at=None, auto_decline_below=None) -> Listing:
    """The seller's standing orders for new offers and buyers' counters (None: no such rule)."""
    signed_in(actor)
    listing = _locked_listing(listing_id=listing_id)
    if listing.product.seller_id not in org_ids(actor, SELL):
        if listing.product.seller_id in org_ids(actor):
            raise PermissionDenied(gettext("your role does not allow you to answer offers for this organization"))
        raise NotFound(gettext("listing not found"), field="listing")
    asking = asking_price(listing)
    accept_at = _threshold(auto_accept_at, asking, "auto_accept_at")
    decline_below = _threshold(auto_decline_below, asking, "auto_decline_below")
    if accept_at is not None and decline_below is not None and decline_below > accept_at:
        raise ValidationFailed(gettext("Auto-decline must be at or below auto-accept."), field="auto_decline_below")
    listing.auto_accept_at, listing.auto_decline_below = accept_at, decline_below
    listing.save(update_fields=["auto_accept_at", "auto_decline_below"])
    listing.refresh_from_db(fields=["auto_accept_at", "auto_decline_below"])
    return listing
