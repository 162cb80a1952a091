"""{% order_returns order %}: the returns of an order and the "Return or refund" button, on the buyer's order page."""

from __future__ import annotations

from django import template

from tradeloop.aftersales import selectors
from tradeloop.orders.models import Order

register = template.Library()


@register.inclusion_tag("aftersales/_order_returns.html", name="order_returns")
def order_returns(order: Order) -> dict:
    rows = selectors.returnable_lines(order)
    return {
        "order": order,
        "returns": selectors.returns_of(order),
        "can_return": any(row.units for row in rows),
        "window_days": max((row.line.return_window_days for row in rows), default=7),
    }
