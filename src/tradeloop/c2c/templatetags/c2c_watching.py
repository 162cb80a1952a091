"""Watching in templates: `{% watch_button product %}` (a listing page) and `{% c2c_unread_alerts as n %}`."""

from __future__ import annotations

from django import template

from tradeloop.c2c import watch_selectors
from tradeloop.c2c.models import Listing
from tradeloop.catalog.models import Product

register = template.Library()


def button_context(request, product: Product, next_url: str | None = None) -> dict:
    """What `c2c/_watch_button.html` shows: Watch / Unwatch for the signed-in buyer (1–2 queries), a sign-in link
    for guests, nothing for the seller's own listing, and no Watch button once the listing is off sale."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    watching = watch_selectors.is_watching(user, product) if signed_in else False
    listing = getattr(product, "listing", None)
    on_sale = (
        product.status == Product.Status.PUBLISHED and listing is not None and listing.state == Listing.State.ACTIVE
    )
    own = signed_in and not watching and watch_selectors.sells(user, product)
    if next_url is None:
        next_url = request.get_full_path() if request is not None else ""
    return {
        "request": request,
        "product": product,
        "signed_in": signed_in,
        "watching": watching,
        "show": watching or (on_sale and not own),
        "next": next_url,
    }


@register.inclusion_tag("c2c/_watch_button.html", takes_context=True)
def watch_button(context, product: Product) -> dict:
    """{% watch_button product %} on a listing page (the request's user)."""
    return {**button_context(context.get("request"), product), "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def c2c_unread_alerts(context) -> int:
    """The signed-in user's unread watching alerts (1 query; 0 for guests, no query)."""
    request = context.get("request")
    return watch_selectors.unread_count(getattr(request, "user", None))
