from __future__ import annotations

from django import template

from tradeloop.feedback import selectors
from tradeloop.feedback.forms import OrderFeedbackForm

register = template.Library()

BADGES = {
    "open": "badge",
    "under_review": "badge badge-warning",
    "planned": "badge badge-warning",
    "done": "badge badge-success",
    "declined": "badge badge-muted",
}


@register.filter
def status_badge(status: str) -> str:
    return BADGES.get(status, "badge")


@register.simple_tag
def suggestion_count(store=None, product=None) -> int:
    """How many suggestions a store (about itself) or a product has: one query."""
    if product is not None:
        return selectors.block_count(product=product)
    return selectors.block_count(seller=store) if store is not None else 0


@register.inclusion_tag("feedback/_order_feedback.html", takes_context=True)
def order_feedback_box(context, order) -> dict:
    """On the buyer's order page once the order is completed: the private feedback form, or what was sent."""
    completed = order.state == "completed"
    return {
        "order": order,
        "completed": completed,
        "given": selectors.order_feedback_of(order) if completed else None,
        "form": OrderFeedbackForm(),
        "csrf_token": context.get("csrf_token"),
    }
