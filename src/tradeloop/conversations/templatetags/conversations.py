"""Template helpers for messages: the buyer's unread count (header) and short durations (response times)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from tradeloop.conversations.selectors import unread_for_buyer

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_messages(context) -> int:
    """Conversations with an unread store reply, for the signed-in user (1 query; 0 for guests without a query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_for_buyer(user) if user is not None else 0


@register.filter
def duration_short(seconds: int | None) -> str:
    if seconds is None:
        return ""
    if seconds < 3600:
        return _("%(minutes)s min") % {"minutes": max(1, round(seconds / 60))}
    if seconds < 86400:
        return _("%(hours)s h") % {"hours": round(seconds / 3600, 1)}
    return _("%(days)s d") % {"days": round(seconds / 86400, 1)}
