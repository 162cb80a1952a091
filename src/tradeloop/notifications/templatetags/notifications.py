from django import template

from tradeloop.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in person's unread notices (cached: at most one query per page; none for guests)."""
    request = context.get("request")
    return unread_count(getattr(request, "user", None))
