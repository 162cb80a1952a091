"""Reads of make-an-offer, scoped to the acting user: a buyer sees the offers they made, a seller the offers on their
listings; anyone else's offer does not exist for them (404). A fixed number of queries however many offers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.c2c.models import Listing
from tradeloop.catalog.models import Product
from tradeloop.core import clock
from tradeloop.core.errors import NotFound
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.negotiation import selectors as engine
from tradeloop.negotiation.models import Negotiation, Side

OFFER = Negotiation.Kind.OFFER
ORDER = ("-created_at", "-id")


def _offers(actor: User, side: str | None = None) -> QuerySet[Negotiation]:
    return engine.negotiations_of(actor, side=side, kind=OFFER).select_related("product__listing")


def offers_page(
    actor: User, *, side: str | None = None, state: str | None = None, cursor: str | None = None, limit: int = 20
) -> Page:
    """The actor's offers, newest first: made (`side="buyer"`), received (`side="seller"`) or both."""
    qs = _offers(actor, side)
    if state:
        qs = qs.filter(state=state)
    return keyset_page(qs, order=ORDER, cursor=cursor, limit=limit)


def listing_for(actor: User | None, listing_id: int) -> Listing:
    """A listing the actor may see: published, or their own."""
    listing = Listing.objects.select_related("product__seller").filter(pk=listing_id).first()
    if listing is None or (listing.product.status != Product.Status.PUBLISHED and not sells(actor, listing)):
        raise NotFound(gettext("listing not found"), field="listing")
    return listing


def sells(actor: User | None, listing: Listing) -> bool:
    """Whether the actor is a member of the listing's seller who may read its offers."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return listing.product.seller_id in engine.org_ids(actor, engine.SELL, engine.VIEW)


def listing_offers(
    actor: User, listing_id: int, *, state: str | None = None, cursor: str | None = None, limit: int = 20
) -> tuple[Listing, Page]:
    """The offers on one listing: all of them for its seller, the buyer's own for a buyer."""
    engine.signed_in(actor)
    listing = listing_for(actor, listing_id)
    qs = _offers(actor, Side.SELLER if sells(actor, listing) else Side.BUYER).filter(product_id=listing.product_id)
    if state:
        qs = qs.filter(state=state)
    return listing, keyset_page(qs, order=ORDER, cursor=cursor, limit=limit)


def offer_thread(actor: User, offer_id: int) -> Negotiation:
    """One offer with its versions (`versions`, oldest first); 404 for a non-party and for other negotiations."""
    engine.signed_in(actor)
    found = _offers(actor).filter(pk=offer_id).first()
    if found is None:
        raise NotFound(gettext("offer not found"), field="offer")
    return found


def side_of(actor: User, offer: Negotiation) -> str:
    return Side.BUYER if offer.buyer_id == actor.pk else Side.SELLER


def amount_of(version) -> Decimal:
    """An offer version's amount: its one line's unit price (from the prefetched lines)."""
    lines = list(version.lines.all())
    return lines[0].unit_price if lines else Decimal(0)


def turn(offer: Negotiation) -> str | None:
    """Whose turn it is to answer: the side that did not write the current version (None once it is decided)."""
    if offer.state != Negotiation.State.OPEN or not offer.versions:
        return None
    if offer.expires_at is not None and offer.expires_at <= clock.now():
        return None
    return Side.SELLER if offer.versions[-1].author_side == Side.BUYER else Side.BUYER


@dataclass
class Box:
    """What the offer box on a listing page shows the viewer."""

    listing: Listing | None
    asking: Decimal | None = None
    currency: str = ""
    signed_in: bool = False
    own: bool = False
    on_sale: bool = False
    made: int = 0
    allowed: int = 0
    current: Negotiation | None = None  # the viewer's latest offer on it
    received_open: int = 0  # the seller: open offers waiting

    @property
    def left(self) -> int:
        return max(self.allowed - self.made, 0)

    @property
    def can_offer(self) -> bool:
        open_one = self.current is not None and self.current.state == Negotiation.State.OPEN
        return self.on_sale and not self.own and self.left > 0 and not open_one


def box(actor: User | None, product: Product) -> Box:
    """The offer box of a listing page (2–3 queries for a signed-in buyer, none for a guest beyond the listing)."""
    listing = Listing.objects.filter(product_id=product.pk).first()
    if listing is None:
        return Box(listing=None)
    variants = list(product.variants.all())
    variant = variants[0] if variants else None
    out = Box(
        listing=listing,
        asking=variant.price if variant else None,
        currency=variant.currency if variant else "",
        signed_in=bool(getattr(actor, "is_authenticated", False)),
        on_sale=listing.state == Listing.State.ACTIVE and product.status == Product.Status.PUBLISHED and bool(variant),
        allowed=settings.TRADELOOP_C2C_MAX_OFFERS,
    )
    if not out.signed_in:
        return out
    listing.product = product
    out.own = product.seller_id in engine.org_ids(actor)
    if out.own:
        out.received_open = Negotiation.objects.filter(
            kind=OFFER, product_id=product.pk, state=Negotiation.State.OPEN
        ).count()
        return out
    mine = list(
        Negotiation.objects.filter(kind=OFFER, product_id=product.pk, buyer=actor)
        .order_by("-created_at", "-id")
        .prefetch_related("proposals__lines")
    )
    out.made = len(mine)
    if mine:
        current = mine[0]
        current.versions = list(current.proposals.all())
        out.current = current
    return out
