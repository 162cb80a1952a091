"""Template helpers of the RFQ and quote pages."""

from django import template

from tradeloop.core.errors import ValidationFailed
from tradeloop.orders.terms import parse_terms

register = template.Library()


@register.filter
def terms_label(code: str) -> str:
    """A payment terms code as people read it: "net30" → "Net 30 days" (in the reader's language)."""
    try:
        return parse_terms(code or "prepay").label
    except ValidationFailed:
        return code
