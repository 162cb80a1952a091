from django import template

from tradeloop.invoicing.selectors import buying_org_ids

register = template.Library()


@register.filter
def sees_invoices(user) -> bool:
    """The account menu lists Invoices for members of a buying organization who see its invoices (one query)."""
    return bool(getattr(user, "is_authenticated", False) and buying_org_ids(user))
