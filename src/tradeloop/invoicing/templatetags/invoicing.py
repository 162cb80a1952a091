from django import template

from tradeloop.accounts.selectors import request_memberships
from tradeloop.invoicing.selectors import BUYER_CAPABILITIES

register = template.Library()


@register.filter
def sees_invoices(request) -> bool:
    """The account menu lists Invoices for members of a buying organization who see its invoices (the request's
    memberships, read once for the whole page)."""
    return any(m.role.grants(c) for m in request_memberships(request) for c in BUYER_CAPABILITIES)
