"""Template helpers shared by every page: the header's console link, keyset-pagination links, media URLs, stars."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.core.files.storage import default_storage

from tradeloop.accounts.console_nav import console_home_url
from tradeloop.accounts.selectors import request_memberships

register = template.Library()


@register.simple_tag(takes_context=True)
def seller_console_url(context) -> str:
    """The console link for the header, only for members of a selling organization (one query, once per request)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False):
        return ""
    sells = any(m.organization.sells for m in request_memberships(request))
    return console_home_url() if sells else ""


@register.simple_tag(takes_context=True)
def query_string(context, **changes) -> str:
    """The current query string with some parameters replaced; a None or "" value drops the parameter."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else {}
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode() if params else ""
    return f"?{encoded}" if encoded else "?"


@register.filter
def media_url(name: str) -> str:
    return default_storage.url(name) if name else ""


@register.filter
def stars(rating) -> str:
    """4.4 → "★★★★☆" (rounded to whole stars)."""
    try:
        full = int(Decimal(str(rating or 0)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except ArithmeticError:
        full = 0
    full = max(0, min(full, 5))
    return "★" * full + "☆" * (5 - full)


@register.filter
def initial(text: str) -> str:
    """First visible character, for avatars and image placeholders."""
    text = (text or "").strip()
    return text[:1].upper() if text else "?"


@register.filter
def described_widget(bound_field):
    """Render a form field's widget with aria-describedby pointing at its help text and its errors."""
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}_error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else None
    return bound_field.as_widget(attrs=attrs)
