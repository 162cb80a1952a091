"""Watching and saved searches: buyers watch listings and save searches; price drops and new matching listings
become alerts (shown on the watching page, and e-mailed from a worker once the change is committed).

The listings feature sends `c2c.signals.listing_price_changed` and `listing_published`; `connect()` (called from
the app's ready()) hooks the two receivers here. Both are idempotent: an alert is written once per watcher and new
price, and once per saved search and listing (the database's unique constraints say so too).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.translation import gettext

from tradeloop.accounts.models import Membership, User
from tradeloop.c2c.errors import Code
from tradeloop.c2c.models import Alert, Listing, SavedSearch, Watch
from tradeloop.catalog.models import Category, Product
from tradeloop.core import clock
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed

MAX_SAVED_SEARCHES = 30  # per buyer
MAX_WORDS = 120


def _listing_product(product_id: int) -> Product:
    product = (
        Product.objects.filter(pk=product_id, kind=Product.Kind.LISTING, listing__isnull=False)
        .select_related("listing")
        .first()
    )
    if product is None:
        raise NotFound(gettext("listing not found"), field="listing")
    return product


def _sells(user: User, product: Product) -> bool:
    return Membership.objects.filter(user=user, organization_id=product.seller_id).exists()


# --- watching -----------------------------------------------------------------------------------------------------


@transaction.atomic
def watch(*, actor: User, product_id: int) -> tuple[Watch, bool]:
    """Watch a listing (again: nothing changes); (the watch, whether it is new). Only an active, published listing
    of someone else's."""
    product = _listing_product(product_id)
    existing = Watch.objects.filter(user=actor, product=product).first()
    if existing is not None:
        return existing, False
    if product.status != Product.Status.PUBLISHED or product.listing.state != Listing.State.ACTIVE:
        raise Conflict(gettext("This listing is no longer on sale."), field="listing", code=Code.LISTING_NOT_ACTIVE)
    if _sells(actor, product):
        raise Conflict(gettext("You cannot watch your own listing."), field="listing", code=Code.OWN_LISTING)
    return Watch.objects.get_or_create(
        user=actor, product=product, defaults={"price_seen": product.price_from or Decimal(0)}
    )


@transaction.atomic
def unwatch(*, actor: User, product_id: int) -> None:
    """Stop watching (not watching: nothing changes)."""
    _listing_product(product_id)
    Watch.objects.filter(user=actor, product_id=product_id).delete()


# --- saved searches -----------------------------------------------------------------------------------------------


def words_of(query: str) -> list[str]:
    return [w for w in re.split(r"\s+", query.casefold()) if w]


@transaction.atomic
def save_search(
    *,
    actor: User,
    query: str = "",
    category_id: int | None = None,
    city: str = "",
    max_price: Decimal | None = None,
) -> tuple[SavedSearch, bool]:
    """Save a listing search for the actor: (the search, whether it is new); the same search again returns the one
    saved."""
    query = " ".join(words_of(query)) if query else ""
    city = (city or "").strip()
    if len(query) > MAX_WORDS:
        raise ValidationFailed(gettext("Use at most %(n)s characters.") % {"n": MAX_WORDS}, field="query")
    if len(city) > 80:
        raise ValidationFailed(gettext("Use at most %(n)s characters.") % {"n": 80}, field="city")
    if max_price is not None and max_price < 0:
        raise ValidationFailed(gettext("The price cannot be negative."), field="max_price")
    category = None
    if category_id is not None:
        category = Category.objects.filter(pk=category_id).first()
        if category is None:
            raise ValidationFailed(gettext("No such category."), field="category")
    if not (query or category or city or max_price is not None):
        raise ValidationFailed(gettext("Give words, a category, a city or a price to look for."), field="query")
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one buyer's saves in turn: the cap holds
    mine = SavedSearch.objects.filter(user=actor)
    same = mine.filter(query=query, category=category, city__iexact=city, max_price=max_price).first()
    if same is not None:
        return same, False
    if mine.count() >= MAX_SAVED_SEARCHES:
        raise Conflict(
            gettext("You can keep at most %(n)s saved searches: delete one first.") % {"n": MAX_SAVED_SEARCHES},
            code=Code.TOO_MANY_SAVED_SEARCHES,
        )
    search = SavedSearch.objects.create(user=actor, query=query, category=category, city=city, max_price=max_price)
    return search, True


@transaction.atomic
def delete_search(*, actor: User, search_id: int) -> None:
    deleted, _ = SavedSearch.objects.filter(user=actor, pk=search_id).delete()
    if not deleted:
        raise NotFound(gettext("saved search not found"), field="saved_search")


# --- alerts -------------------------------------------------------------------------------------------------------


def mark_alerts_read(*, actor: User) -> int:
    """Mark all the actor's unread alerts read; returns how many were unread."""
    return Alert.objects.filter(user=actor, read_at__isnull=True).update(read_at=clock.now())


def _queue_emails(alert_ids: list[int]) -> None:
    if not alert_ids:
        return
    from tradeloop.c2c.watch_mail import send_alert_emails

    transaction.on_commit(lambda: send_alert_emails.delay(alert_ids), robust=True)


def _created(product: Product, kind: str, at, user_ids) -> list[int]:
    return list(
        Alert.objects.filter(product=product, kind=kind, created_at=at, user_id__in=user_ids).values_list(
            "pk", flat=True
        )
    )


@transaction.atomic
def price_dropped(*, listing: Listing, old: Decimal, new: Decimal) -> int:
    """Tell each watcher who last saw a higher price (one alert per new price); returns how many were told."""
    if old is None or new is None or new >= old:
        return 0
    product = listing.product
    watches = list(
        Watch.objects.select_for_update().filter(product=product, price_seen__gt=new).values_list("pk", "user_id")
    )
    if not watches:
        return 0
    now = clock.now()
    user_ids = [user_id for _pk, user_id in watches]
    Alert.objects.bulk_create(
        [
            Alert(
                user_id=user_id,
                kind=Alert.Kind.PRICE_DROP,
                product=product,
                old_price=old,
                new_price=new,
                created_at=now,
            )
            for user_id in user_ids
        ],
        ignore_conflicts=True,
    )
    Watch.objects.filter(pk__in=[pk for pk, _user in watches]).update(price_seen=new)
    created = _created(product, Alert.Kind.PRICE_DROP, now, user_ids)
    _queue_emails(created)
    return len(created)


def _ancestor_paths(category: Category | None) -> list[str]:
    if category is None:
        return []
    parts = category.path.strip("/").split("/")
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _text_of(product: Product) -> str:
    return " ".join(
        [product.title, product.title_zh, strip_tags(product.description), strip_tags(product.description_zh)]
    ).casefold()


def matching_searches(listing: Listing) -> list[SavedSearch]:
    """The saved searches a listing matches, one per buyer, never the seller's own (1 query; words in Python)."""
    product = listing.product
    price = product.price_from
    in_category = Q(category__isnull=True)
    paths = _ancestor_paths(product.category)
    if paths:
        in_category |= Q(category__path__in=paths)
    under_price = Q(max_price__isnull=True)
    if price is not None:
        under_price |= Q(max_price__gte=price)
    candidates = (
        SavedSearch.objects.filter(in_category, under_price, Q(city="") | Q(city__iexact=listing.city))
        .exclude(user_id__in=Membership.objects.filter(organization_id=product.seller_id).values("user_id"))
        .exclude(
            user_id__in=Alert.objects.filter(product=product, kind=Alert.Kind.NEW_MATCH).values("user_id")
        )  # already told about this listing
        .filter(user__is_active=True)
        .only("pk", "user_id", "query")
        .order_by("user_id", "created_at", "pk")
    )
    text = _text_of(product)
    chosen: dict[int, SavedSearch] = {}
    for search in candidates:
        if search.user_id in chosen:
            continue
        if all(word in text for word in words_of(search.query)):
            chosen[search.user_id] = search
    return list(chosen.values())


@transaction.atomic
def listing_published(*, listing: Listing) -> int:
    """Tell the buyers whose saved search the new listing matches (once per search and listing)."""
    product = Product.objects.select_related("category").get(pk=listing.product_id)
    listing.product = product
    if product.status != Product.Status.PUBLISHED or listing.state != Listing.State.ACTIVE:
        return 0
    searches = matching_searches(listing)
    if not searches:
        return 0
    now = clock.now()
    Alert.objects.bulk_create(
        [
            Alert(
                user_id=s.user_id,
                kind=Alert.Kind.NEW_MATCH,
                product=product,
                saved_search=s,
                new_price=product.price_from,
                created_at=now,
            )
            for s in searches
        ],
        ignore_conflicts=True,
    )
    created = _created(product, Alert.Kind.NEW_MATCH, now, [s.user_id for s in searches])
    _queue_emails(created)
    return len(created)


# --- receivers ----------------------------------------------------------------------------------------------------


def _amount(value) -> Decimal | None:
    """The signal's prices: Decimals (or Money, or strings); None when not given."""
    if value is None:
        return None
    return Decimal(str(getattr(value, "amount", value)))


def on_price_changed(sender, *, listing: Listing, old, new, **kwargs) -> None:
    price_dropped(listing=listing, old=_amount(old), new=_amount(new))


def on_published(sender, *, listing: Listing, **kwargs) -> None:
    listing_published(listing=listing)


def connect() -> None:
    from tradeloop.c2c import signals

    signals.listing_price_changed.connect(on_price_changed, dispatch_uid="c2c.watching.price_changed")
    signals.listing_published.connect(on_published, dispatch_uid="c2c.watching.published")
