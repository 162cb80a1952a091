"""Template helpers of the RFQ and quote pages."""

from babel.numbers import format_decimal
from django import template
from django.utils.translation import get_language

from tradeloop.core.errors import ValidationFailed
from tradeloop.core.money import BABEL_LOCALES
from tradeloop.orders.terms import parse_terms

register = template.Library()


@register.filter
def terms_label(code: str) -> str:
    """A payment terms code as people read it: "net30" → "Net 30 days" (in the reader's language)."""
    try:
        return parse_terms(code or "prepay").label
    except ValidationFailed:
        return code


@register.filter
def grouped(number) -> str:
    """A whole number with the reader's digit grouping (Babel): 1,200,000 in English and in Chinese."""
    if number is None or number == "":
        return ""
    return format_decimal(number, locale=BABEL_LOCALES.get(get_language() or "en", "en_US"))
