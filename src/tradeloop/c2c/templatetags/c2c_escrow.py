"""Escrow on the order pages: `{% load c2c_escrow %}{% buyer_escrow order %}` (the buyer's order page) and
`{% seller_escrow order %}` (the console's order page). Only for orders held in escrow (C2C)."""

from __future__ import annotations

from django import template

from tradeloop.c2c import dispute_selectors
from tradeloop.c2c.models import Escrow
from tradeloop.orders.models import Order

register = template.Library()


def _context(order: Order) -> dict:
    escrow = Escrow.objects.filter(order=order).first()
    return {"order": order, "escrow": escrow, "open_dispute": dispute_selectors.open_dispute_of(escrow)}


@register.inclusion_tag("c2c/_order_escrow.html", name="buyer_escrow")
def buyer_escrow(order: Order) -> dict:
    context = _context(order)
    escrow = context["escrow"]
    shipped = order.state in (Order.State.SHIPPED, Order.State.DELIVERED)
    held = escrow is not None and escrow.state == Escrow.State.HELD
    context.update(
        can_confirm=held and shipped,
        can_extend=held and escrow.confirm_by is not None and not escrow.extended,
        can_dispute=held and shipped,
    )
    return context


@register.inclusion_tag("c2c/_console_escrow.html", name="seller_escrow")
def seller_escrow(order: Order, console=None) -> dict:
    return {**_context(order), "console": console}
