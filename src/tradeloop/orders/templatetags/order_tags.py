"""Order states for people: {{ order.state|state_label }}, {{ order.state|state_badge }} (a badge class)."""

from django import template

from tradeloop.orders.models import Order

register = template.Library()

BADGES = {
    Order.State.AWAITING_APPROVAL: "badge-warning",
    Order.State.CONFIRMED: "badge-success",
    Order.State.PENDING_PAYMENT: "badge-warning",
    Order.State.PAID: "badge-success",
    Order.State.PARTIALLY_SHIPPED: "badge-warning",
    Order.State.SHIPPED: "badge-success",
    Order.State.DELIVERED: "badge-success",
    Order.State.COMPLETED: "badge-muted",
    Order.State.CANCELLED: "badge-danger",
}


@register.filter
def state_label(value: str) -> str:
    try:
        return Order.State(value).label
    except ValueError:
        return value


@register.filter
def state_badge(value: str) -> str:
    return BADGES.get(value, "badge-muted")
