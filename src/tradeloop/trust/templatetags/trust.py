"""`{% load trust %}{% verified_badge org %}`: the verified seller's badge (nothing for others).

Takes an Organization or its id; `compact=True` for cards (the check mark and a short word). Reads the cached map of
verified sellers once per request, so a list of any length costs no query."""

from __future__ import annotations

from django import template

from tradeloop.trust import selectors
from tradeloop.trust.models import IdentityLevel

register = template.Library()


def _verified(context) -> dict[int, str]:
    request = context.get("request")
    found = getattr(request, "_trust_verified", None) if request is not None else None
    if found is None:
        found = selectors.verified_map()
        if request is not None:
            request._trust_verified = found
    return found


@register.inclusion_tag("trust/badge.html", takes_context=True)
def verified_badge(context, org, compact: bool = False):
    org_id = getattr(org, "pk", org)
    verified = _verified(context)
    level = verified.get(org_id) if org_id else None
    return {
        "verified": org_id in verified if org_id else False,
        "level_label": IdentityLevel(level).label if level else "",
        "compact": compact,
    }


@register.simple_tag(takes_context=True)
def is_verified(context, org) -> bool:
    """`{% is_verified org as verified %}` for templates that lay the mark out themselves."""
    org_id = getattr(org, "pk", org)
    return bool(org_id) and org_id in _verified(context)
