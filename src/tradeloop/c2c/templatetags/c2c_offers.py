"""Make-an-offer in templates: `{% offer_box product %}` on a listing page (what `c2c/_offer_box.html` shows)."""

from __future__ import annotations

from django import template

from tradeloop.c2c import offer_selectors
from tradeloop.catalog.models import Product

register = template.Library()


@register.inclusion_tag("c2c/_offer_box_inner.html", takes_context=True)
def offer_box(context, product: Product) -> dict:
    """The viewer's offer box: the amount form with "N of 5 offers left" and their current offer's state for a
    buyer, a sign-in link for guests, the open offers and a link to manage them for the seller."""
    request = context.get("request")
    box = offer_selectors.box(getattr(request, "user", None), product)
    if box.current is not None and box.current.versions:
        box.current_amount = offer_selectors.amount_of(box.current.versions[-1])
    return {
        "request": request,
        "product": product,
        "box": box,
        "allowed": box.allowed,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }
