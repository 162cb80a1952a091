from decimal import Decimal

from django import template
from django.utils.translation import get_language

from tradeloop.core.money import format_money

register = template.Library()


@register.simple_tag
def price(amount: Decimal | None, currency: str) -> str:
    """{% price product.price_from product.currency %} → "¥1,280.00" / "US$12.00" for the active language."""
    if amount is None:
        return ""
    return format_money(amount, currency, get_language() or "en")
