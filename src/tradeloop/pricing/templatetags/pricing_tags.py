"""The product page's price table: `{% variant_prices variant as prices %}` (a `selectors.VariantPricing`) for the
signed-in visitor or a guest. Three queries at most."""

from django import template

from tradeloop.core import clock
from tradeloop.pricing import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def variant_prices(context, variant):
    if variant is None:
        return None
    request = context.get("request")
    user = getattr(request, "user", None)
    return selectors.variant_pricing(actor=user, variants=[variant], now=clock.now())[variant.pk]


@register.simple_tag
def order_rule(variant):
    """`{% order_rule variant as rule %}`: the variant's minimum order and multiple (None: any quantity from 1)."""
    return selectors.order_rule_of(variant) if variant is not None else None
