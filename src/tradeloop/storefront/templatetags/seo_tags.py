"""`{% seo_head as seo %}`: the page's SEO head (canonical, hreflang, Open Graph, JSON-LD), built by storefront.seo."""

from django import template

from tradeloop.storefront import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_head(context) -> seo.Head:
    return seo.head_for(context)


@register.filter
def without_lang(request) -> str:
    """The request's path and query without ?lang= (where the language switcher sends the visitor back to)."""
    if not hasattr(request, "GET"):
        return ""
    query = request.GET.copy()
    query.pop(seo.LANG_PARAM, None)
    return request.path + (f"?{query.urlencode()}" if query else "")
