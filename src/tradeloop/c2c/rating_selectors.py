"""Reads of ratings and profiles. A rating is public from its `visible_from`; before that only its own side (the
rater's side of the order) sees it. Query counts stay flat."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import Membership, Organization, User
from tradeloop.c2c import ratings
from tradeloop.c2c.models import Rating, SellerStanding
from tradeloop.catalog.models import Product
from tradeloop.core import clock
from tradeloop.core.errors import NotFound
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.orders.models import Order

ORDER = ("-created_at", "-id")
RECENT = 5
LISTINGS = 6


@dataclass
class OrderRatings:
    order: Order
    side: str  # the actor's: buyer or seller
    mine: Rating | None
    theirs: Rating | None  # None while hidden (double-blind) or not given
    theirs_hidden: bool  # the other side rated, but it is not visible yet
    can_rate: bool
    not_rateable: str | None  # why not, when the actor has not rated and cannot
    closes_at: datetime | None
    mine_hidden: bool = False  # the actor's own rating is not shown to the other side yet

    @property
    def items(self) -> list[Rating]:
        return [r for r in (self.mine, self.theirs) if r is not None]


def for_order(actor: User | None, order_id: int) -> OrderRatings:
    """The ratings of a C2C order the actor may see, and whether they may rate (2–3 queries); else 404."""
    order, side = ratings.party_order(actor, order_id)
    now = clock.now()
    mine = theirs = None
    hidden = False
    for r in Rating.objects.filter(order=order).select_related("rater"):
        if r.side == side:
            mine = r
        elif r.visible_from <= now:
            theirs = r
        else:
            hidden = True
    reason = None if mine is not None else ratings.why_not_rateable(order, now)
    return OrderRatings(
        order=order,
        side=side,
        mine=mine,
        theirs=theirs,
        theirs_hidden=hidden,
        can_rate=mine is None and reason is None,
        not_rateable=reason,
        closes_at=ratings.closes_at(order),
        mine_hidden=mine is not None and mine.visible_from > now,
    )


def visible(now: datetime | None = None) -> QuerySet[Rating]:
    return Rating.objects.filter(visible_from__lte=now or clock.now())


def of_seller(seller_id: int, now: datetime | None = None) -> QuerySet[Rating]:
    """Visible ratings the seller received from its buyers."""
    return visible(now).filter(ratee_org_id=seller_id, side=Rating.Side.BUYER)


def of_buyer(user_id: int | None, now: datetime | None = None) -> QuerySet[Rating]:
    """Visible ratings the person received as a buyer."""
    if user_id is None:
        return Rating.objects.none()
    return visible(now).filter(ratee_user_id=user_id, side=Rating.Side.SELLER)


def _public_seller(org_id: int) -> Organization:
    org = Organization.objects.filter(pk=org_id, kind=Organization.Kind.PERSONAL, is_active=True).first()
    if org is None:
        raise NotFound(gettext("Seller not found."))
    return org


def owner_id(org: Organization) -> int | None:
    """The person behind a personal organization (its owner)."""
    return (
        Membership.objects.filter(organization=org, role__code="owner")
        .order_by("created_at", "id")
        .values_list("user_id", flat=True)
        .first()
    )


@dataclass
class Averages:
    count: int = 0
    stars: float | None = None
    as_described: float | None = None
    communication: float | None = None
    shipping: float | None = None
    histogram: dict[int, int] = field(default_factory=dict)  # stars → count, 5 … 1


@dataclass
class Profile:
    seller: Organization
    standing: SellerStanding | None
    as_seller: Averages
    as_buyer: Averages
    recent_as_seller: list[Rating]
    recent_as_buyer: list[Rating]
    completed_sales: int
    member_since: datetime
    listings: list[Product]


def _averages(qs: QuerySet[Rating], *, subs: bool) -> Averages:
    named = {f"n{n}": Count("id", filter=Q(stars=n)) for n in range(1, 6)}
    extra = {f"avg_{name}": Avg(name) for name in ratings.SUB_SCORES} if subs else {}
    got = qs.aggregate(n_all=Count("id"), avg_stars=Avg("stars"), **extra, **named)
    return Averages(
        count=got["n_all"],
        stars=got["avg_stars"],
        as_described=got.get("avg_as_described"),
        communication=got.get("avg_communication"),
        shipping=got.get("avg_shipping"),
        histogram={n: got[f"n{n}"] for n in range(5, 0, -1)},
    )


def profile(org_id: int) -> Profile:
    """A private seller's public profile (a fixed 8 queries, whatever its record); unknown or not personal: 404."""
    seller = _public_seller(org_id)
    now = clock.now()
    person = owner_id(seller)
    standing = SellerStanding.objects.filter(seller=seller).first()
    as_seller = of_seller(seller.pk, now)
    as_buyer = of_buyer(person, now)
    recent_seller = list(as_seller.select_related("rater").order_by(*ORDER)[:RECENT])
    recent_buyer = list(as_buyer.select_related("order__seller").order_by(*ORDER)[:RECENT]) if person else []
    sales = (
        standing.completed_sales
        if standing is not None
        else Order.objects.filter(seller=seller, mode=Order.Mode.C2C, state=Order.State.COMPLETED).count()
    )
    products = list(
        Product.objects.published()
        .filter(seller=seller, kind=Product.Kind.LISTING)
        .select_related("seller")
        .order_by("-created_at", "-id")[:LISTINGS]
    )
    return Profile(
        seller=seller,
        standing=standing,
        as_seller=_averages(as_seller, subs=True),
        as_buyer=_averages(as_buyer, subs=False) if person else Averages(),
        recent_as_seller=recent_seller,
        recent_as_buyer=recent_buyer,
        completed_sales=sales,
        member_since=seller.created_at,
        listings=products,
    )


def seller_header(org_id: int) -> tuple[Organization, SellerStanding | None]:
    """A private seller and its standing (1 query); else 404."""
    seller = Organization.objects.filter(pk=org_id, kind=Organization.Kind.PERSONAL, is_active=True)
    found = seller.select_related("c2c_standing").first()
    if found is None:
        raise NotFound(gettext("Seller not found."))
    return found, getattr(found, "c2c_standing", None)  # RelatedObjectDoesNotExist is an AttributeError


def seller_ratings_page(
    org: int | Organization, *, as_buyer: bool = False, cursor: str | None = None, limit: int = 20
) -> Page:
    """The visible ratings of a private seller (as seller, or what sellers said of its owner as a buyer), newest
    first, keyset-paginated (2–3 queries)."""
    seller = org if isinstance(org, Organization) else _public_seller(org)
    qs = of_buyer(owner_id(seller)) if as_buyer else of_seller(seller.pk)
    return keyset_page(qs.select_related("rater", "order__seller"), order=ORDER, cursor=cursor, limit=limit)
