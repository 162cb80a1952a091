"""Trust in templates: `{% load c2c_trust %}{% seller_level org %}` (a private seller's level badge, linking to its
profile) and `{% order_rating order %}` (on an order page: "Rate the seller" / "Rate the buyer", or the ratings)."""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist

from tradeloop.c2c import rating_selectors, ratings
from tradeloop.c2c.models import Rating, SellerStanding
from tradeloop.orders.models import Order

register = template.Library()


def standing_of(org) -> SellerStanding | None:
    """The organization's standing: the one already loaded (select_related("c2c_standing")), else 1 query."""
    if org is None:
        return None
    if isinstance(org, SellerStanding):
        return org
    try:
        return org.c2c_standing
    except ObjectDoesNotExist:
        return None


@register.inclusion_tag("c2c/_seller_level.html")
def seller_level(org, link: bool = True) -> dict:
    """{% seller_level org %}: the badge ("New seller" without a standing yet), a link to the profile."""
    standing = standing_of(org)
    org_id = getattr(org, "seller_id", None) if isinstance(org, SellerStanding) else getattr(org, "pk", None)
    personal = isinstance(org, SellerStanding) or getattr(org, "kind", "") == "personal"
    return {"standing": standing, "profile_id": org_id if (link and personal) else None}


@register.inclusion_tag("c2c/_order_rating.html", takes_context=True)
def order_rating(context, order: Order) -> dict:
    """The rating box of a C2C order for whoever looks at it (its buyer, or a member of the seller); nothing for
    other orders (1–2 queries)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if order is None or order.mode != Order.Mode.C2C:
        return {"show": False}
    side = ratings.side_of(user, order)
    if side is None:
        return {"show": False}
    mine = Rating.objects.filter(order=order, side=side).values_list("stars", flat=True).first()
    reason = ratings.why_not_rateable(order) if mine is None else None
    return {
        "show": mine is not None or order.state == Order.State.COMPLETED,
        "blind_days": ratings.blind_for().days,
        "order": order,
        "side": side,
        "mine": mine,
        "can_rate": mine is None and reason is None,
        "closes_at": ratings.closes_at(order),
        "reason": reason,
    }


@register.simple_tag
def profile_of(org_id: int):
    """{% profile_of org_id as p %}: a private seller's profile (for a sidebar)."""
    return rating_selectors.profile(org_id)
