"""`{% page_hole "name" arg %}`: a per-request part of a page that may be cached (see tradeloop.core.page_cache)."""

from django import template

from tradeloop.core import page_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def page_hole(context, name: str, arg="") -> str:
    return page_cache.hole(context.get("request"), name, arg)
