"""The local pages at their clean addresses, /local/deals/<id>/<name>/, /local/places/<id>/<name>/ and
/local/services/<id>/<name>/: the o2o page itself, after one look-up of the name; a wrong or old name moves
permanently (301) to the right one. The id-only addresses stay as they are (their canonical link names these).
Signed-out visitors get the deal and place pages from the page cache, like the product pages (a deal's sale window
is one of the cache's deadlines; a place's page lives until the place next opens or closes or the day ends); not
the service pages, whose free slots change with every booking and with the clock."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from tradeloop.o2o import booking_views, deal_views, place_views
from tradeloop.o2o.models import Deal, Place, Service
from tradeloop.storefront import page_cache, seo


def _moved(request: HttpRequest, path: str) -> HttpResponsePermanentRedirect:
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(path + (f"?{query}" if query else ""))


@page_cache.cached_page
def deal(request: HttpRequest, deal_id: int, slug: str) -> HttpResponse:
    found = Deal.objects.filter(pk=deal_id).exclude(state=Deal.State.DRAFT).values_list("product__slug", flat=True)
    expected = found.first()
    if expected is None:
        raise Http404("deal not found")
    if slug != seo.clean_slug(expected):
        return _moved(request, seo.deal_path(deal_id, expected))
    return deal_views.deal_page(request, deal_id=deal_id)


def service(request: HttpRequest, service_id: int, slug: str) -> HttpResponse:
    expected = Service.objects.filter(pk=service_id).values_list("product__slug", flat=True).first()
    if expected is None:
        raise Http404("service not found")
    if slug != seo.clean_slug(expected):
        return _moved(request, seo.service_path(service_id, expected))
    return booking_views.service_page(request, service_id=service_id)


@page_cache.cached_page
def place(request: HttpRequest, place_id: int, slug: str) -> HttpResponse:
    names = Place.objects.filter(pk=place_id, is_active=True).values_list("name", "name_zh").first()
    if names is None:
        raise Http404("place not found")
    if slug != seo.place_slug(*names):
        return _moved(request, seo.place_path(place_id, *names))
    return place_views.place_page(request, place_id=place_id)
