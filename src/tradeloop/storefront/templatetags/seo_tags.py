"""`{% seo_head as seo %}`: the page's SEO head (canonical, hreflang, Open Graph, JSON-LD), built by storefront.seo."""

from django import template

from tradeloop.storefront import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_head(context) -> seo.Head:
    return seo.head_for(context)
