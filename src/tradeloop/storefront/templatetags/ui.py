"""Template helpers shared by every page: the header's console link, keyset-pagination links, media URLs, stars."""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.core.files.storage import default_storage
from django.utils.safestring import mark_safe

from tradeloop.accounts.console_nav import console_home_url
from tradeloop.accounts.selectors import request_memberships
from tradeloop.core import page_cache

register = template.Library()
PRODUCT_CARD = "components/product_card.html"


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


@register.simple_tag(takes_context=True)
def product_cards(context, products) -> str:
    """`<li>` + the product card of each product, from the fragment cache where it is fresh (a card looks the same
    to every visitor): a signed-in visitor's page renders only the cards nobody has seen since the last change."""
    card = context.template.engine.get_template(PRODUCT_CARD)

    def render(product) -> str:
        with context.push(product=product):
            return card.render(context)

    cards = page_cache.fragments(context.get("request"), "card", list(products), _card_key, render)
    return mark_safe("".join(f"<li>{html}</li>" for html in cards))


def _card_key(product) -> str:
    """What a card shows beyond the product's rows: the promotion running now, and a listing's town (each only where
    the page looked it up: `promo`, `c2c_listing`)."""
    promo = getattr(product, "promo", "-")
    shown = f"{promo.price}|{promo.label}" if promo not in ("-", None) else str(promo)
    digest = hashlib.blake2b(shown.encode(), digest_size=6).hexdigest()  # a label may hold any character
    return f"{product.pk}:{digest}:{int(hasattr(product, 'c2c_listing'))}"
