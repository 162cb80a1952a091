"""Deal bits for templates: a place's deals on sale (`{% place_deals place %}`) and a voucher code in groups."""

from __future__ import annotations

from django import template

from tradeloop.o2o import deal_selectors as selectors
from tradeloop.o2o import deals, vouchers
from tradeloop.o2o.models import Place

register = template.Library()


@register.inclusion_tag("o2o/_place_deals_list.html")
def place_deals(place: Place) -> dict:
    """The place's deals on sale with price, discount and progress (four queries, whatever their number)."""
    items = []
    for deal in selectors.place_deals(place):
        price, original = deals.prices_of(deal)
        items.append(
            {
                "deal": deal,
                "price": price,
                "original": original,
                "discount": deals.discount_percent(price, original),
                "progress": deals.progress(deal),
            }
        )
    return {"deals": items}


@register.filter
def grouped(code: str) -> str:
    return vouchers.grouped(code or "")


@register.filter
def first_name(user) -> str:
    """Only the buyer's first name is shown to the shop's staff."""
    from tradeloop.o2o.redemption import first_name as of

    return of(user) if user is not None else ""
