"""{% order_shipments order %} for the buyer's order page, {% ship_panel order console %} for the console's."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from tradeloop.fulfilment.selectors import order_shipments
from tradeloop.fulfilment.services import SHIPPABLE
from tradeloop.orders.models import Order, OrderLine

register = template.Library()

COMMON_CARRIERS = ("SF Express", "JD Logistics", "ZTO Express", "YTO Express", "STO Express", "China Post EMS")


@dataclass(frozen=True)
class LineToShip:
    line: OrderLine
    left: int


@register.inclusion_tag("fulfilment/_shipments.html", name="order_shipments")
def shipments_of(order: Order) -> dict:
    return {"shipments": order_shipments(order), "order": order}


@register.inclusion_tag("fulfilment/_ship_panel.html", takes_context=True)
def ship_panel(context, order: Order, console) -> dict:
    can_fulfil = console.can("orders.fulfil")
    to_ship = []
    if can_fulfil and order.state in SHIPPABLE:
        to_ship = [
            LineToShip(line, line.quantity - line.quantity_shipped)
            for line in order.lines.all()
            if line.quantity > line.quantity_shipped
        ]
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "order": order,
        "console": console,
        "can_fulfil": can_fulfil,
        "shipments": order_shipments(order),
        "to_ship": to_ship,
        "carriers": COMMON_CARRIERS,
    }
