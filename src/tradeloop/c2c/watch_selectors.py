"""Reads for watching: the buyer's watched listings, saved searches and alerts, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext

from tradeloop.accounts.models import Membership, User
from tradeloop.c2c.models import Alert, Listing, SavedSearch, Watch
from tradeloop.catalog.models import Product
from tradeloop.core.errors import NotFound
from tradeloop.core.pagination import Page, keyset_page

ORDER = ("-created_at", "-id")
UNREAD_SHOWN = 50


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def watched(*, actor: User, cursor: str | None = None, limit: int = 24) -> Page:
    """The actor's watched listings, newest watch first, with the listing's state, current price and the price
    before its first drop since watching (`was_price`, None without a drop); 1 query a page."""
    first_drop = Alert.objects.filter(
        user_id=OuterRef("user_id"), product_id=OuterRef("product_id"), kind=Alert.Kind.PRICE_DROP
    ).order_by("created_at", "id")
    qs = (
        Watch.objects.filter(user=actor)
        .select_related("product", "product__listing")
        .annotate(was_price=Subquery(first_drop.values("old_price")[:1]))
    )
    page = keyset_page(qs, order=ORDER, cursor=cursor, limit=limit)
    for w in page.items:
        price = w.product.price_from
        w.dropped = w.was_price is not None and price is not None and price < w.was_price
    return page


def product_of_listing(listing_id: int) -> int:
    """The catalogue product id of a listing (`Listing.id`, as the API names listings); 404 when there is none."""
    product_id = Listing.objects.filter(pk=listing_id).values_list("product_id", flat=True).first()
    if product_id is None:
        raise NotFound(gettext("listing not found"), field="listing")
    return product_id


def is_watching(user, product: Product) -> bool:
    return _signed_in(user) and Watch.objects.filter(user=user, product=product).exists()


def sells(user, product: Product) -> bool:
    return _signed_in(user) and Membership.objects.filter(user=user, organization_id=product.seller_id).exists()


def saved_searches(*, actor: User, cursor: str | None = None, limit: int = 24) -> Page:
    """The actor's saved searches, newest first (1 query a page)."""
    qs = SavedSearch.objects.filter(user=actor).select_related("category")
    return keyset_page(qs, order=ORDER, cursor=cursor, limit=limit)


def _alerts(actor: User):
    return Alert.objects.filter(user=actor).select_related("product", "product__listing", "saved_search")


def alerts(*, actor: User, unread_only: bool = False, cursor: str | None = None, limit: int = 24) -> Page:
    """The actor's alerts, newest first (1 query a page); `unread_only` keeps the unread ones."""
    qs = _alerts(actor)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return keyset_page(qs, order=ORDER, cursor=cursor, limit=limit)


def unread_alerts(*, actor: User) -> list[Alert]:
    """The newest unread alerts (at most 50; 1 query), shown before the page of read ones."""
    return list(_alerts(actor).filter(read_at__isnull=True).order_by(*ORDER)[:UNREAD_SHOWN])


def read_alerts(*, actor: User, cursor: str | None = None, limit: int = 24) -> Page:
    return keyset_page(_alerts(actor).filter(read_at__isnull=False), order=ORDER, cursor=cursor, limit=limit)


def unread_count(user) -> int:
    """How many unread alerts the user has (1 query on the alert_unread index; 0 for guests, no query)."""
    if not _signed_in(user):
        return 0
    return Alert.objects.filter(user=user, read_at__isnull=True).count()
