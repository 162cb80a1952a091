"""Two-way ratings after a completed C2C order.

    who      the order's buyer rates the seller (stars, text, and item-as-described, communication, shipping);
             a member of the selling organization rates the buyer (stars, text). One rating per side per order.
    when     only once the order is completed (escrow released or split: a full refund cancels the order, and a
             cancelled order cannot be rated), within TRADELOOP_C2C_RATING_DAYS (30) of completion.
    blind    a rating is hidden from everyone but its own side until `visible_from`: completion +
             TRADELOOP_C2C_RATING_BLIND_DAYS (7), or at once for both when the second side rates.

Every rating written refreshes the seller's standing (c2c.standing).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.c2c import standing
from tradeloop.c2c.disputes import seller_org_ids
from tradeloop.c2c.errors import Code
from tradeloop.c2c.models import Rating
from tradeloop.core import clock
from tradeloop.core.errors import Conflict, NotAuthenticated, NotFound, ValidationFailed
from tradeloop.orders.models import Order

Side = Rating.Side
MAX_TEXT = 1000
SUB_SCORES = ("as_described", "communication", "shipping")


def blind_for() -> timedelta:
    return timedelta(days=getattr(settings, "TRADELOOP_C2C_RATING_BLIND_DAYS", 7))


def window() -> timedelta:
    """How long after completion both sides may rate."""
    return timedelta(days=getattr(settings, "TRADELOOP_C2C_RATING_DAYS", 30))


def side_of(actor: User | None, order: Order) -> str | None:
    """The actor's side of a C2C order (buyer or seller), or None: not a party to it."""
    if not getattr(actor, "is_authenticated", False):
        return None
    if order.buyer_id == actor.pk:
        return Side.BUYER
    if order.seller_id in seller_org_ids(actor):
        return Side.SELLER
    return None


def party_order(actor: User | None, order_id: int, *, lock: bool = False) -> tuple[Order, str]:
    """A C2C order the actor is a party to, and their side; anyone else: 404."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("Sign in to rate."))
    qs = Order.objects.filter(pk=order_id, mode=Order.Mode.C2C)
    order = (qs.select_for_update() if lock else qs.select_related("seller", "buyer")).first()
    side = side_of(actor, order) if order is not None else None
    if order is None or side is None:
        raise NotFound(gettext("Order not found."))
    return order, side


def closes_at(order: Order) -> datetime | None:
    return order.completed_at + window() if order.completed_at else None


def why_not_rateable(order: Order, now: datetime | None = None) -> str | None:
    """None if the order may be rated now, else the reason (to show)."""
    now = now or clock.now()
    if order.state == Order.State.CANCELLED:
        return gettext("A cancelled or fully refunded order cannot be rated.")
    if order.state != Order.State.COMPLETED or order.completed_at is None:
        return gettext("You can rate once the order is completed.")
    if now > closes_at(order):
        return gettext("The time to rate this order has passed.")
    return None


def _clean(value, field: str, *, required: bool) -> int | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(gettext("Choose 1 to 5 stars."), field=field)
        return None
    if isinstance(value, bool):
        raise ValidationFailed(gettext("Choose 1 to 5 stars."), field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(gettext("Choose 1 to 5 stars."), field=field) from None
    if number != value and str(number) != str(value).strip():
        raise ValidationFailed(gettext("Choose 1 to 5 stars."), field=field)
    if not 1 <= number <= 5:
        raise ValidationFailed(gettext("Choose 1 to 5 stars."), field=field)
    return number


@transaction.atomic
def rate(
    *,
    actor: User,
    order_id: int,
    stars: int,
    text: str = "",
    as_described: int | None = None,
    communication: int | None = None,
    shipping: int | None = None,
) -> Rating:
    """The actor rates the other side of a completed C2C order (see the module docstring)."""
    order, side = party_order(actor, order_id, lock=True)
    now = clock.now()
    reason = why_not_rateable(order, now)
    if reason is not None:
        raise Conflict(reason, code=Code.NOT_RATEABLE)
    stars = _clean(stars, "stars", required=True)
    text = (text or "").replace("\x00", "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationFailed(gettext("At most %(max)s characters, please.") % {"max": MAX_TEXT}, field="text")
    given = {"as_described": as_described, "communication": communication, "shipping": shipping}
    if side == Side.BUYER:
        subs = {name: _clean(value, name, required=False) for name, value in given.items()}
    else:
        for name, value in given.items():
            if value not in (None, ""):
                raise ValidationFailed(gettext("Only the buyer rates the item and the shipping."), field=name)
        subs = dict.fromkeys(given)
    ratings = list(Rating.objects.select_for_update().filter(order=order))
    if any(r.side == side for r in ratings):
        raise Conflict(gettext("You have rated this order already."), code=Code.ALREADY_RATED)
    visible_from = order.completed_at + blind_for()
    if ratings:  # the other side rated already: both are shown now
        visible_from = min(visible_from, now)
        Rating.objects.filter(order=order, visible_from__gt=now).update(visible_from=now)
    fields = {"ratee_org_id": order.seller_id} if side == Side.BUYER else {"ratee_user_id": order.buyer_id}
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                order=order,
                side=side,
                rater=actor,
                stars=stars,
                text=text,
                created_at=now,
                visible_from=visible_from,
                **subs,
                **fields,
            )
    except IntegrityError:
        raise Conflict(gettext("You have rated this order already."), code=Code.ALREADY_RATED) from None
    standing.refresh(order.seller)
    return rating
