"""Sponsored placement on the web: the click redirect, the category page's slot fragment, and the seller console
(campaigns, their statistics and the promotion wallet). Thin: forms parse, services decide, selectors read."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from tradeloop.catalog import selectors as catalog
from tradeloop.core import clock
from tradeloop.core.errors import NotFound
from tradeloop.sponsored import selectors, services

MAX_ORGANIC = 100


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


@never_cache
def click(request: HttpRequest, token: str) -> HttpResponse:
    """A shopper picked a sponsored item: count (and maybe charge) the click, then go to the item."""
    try:
        _click, target = services.record_click(
            token=token, user=request.user, address=_address(request), user_agent=request.headers.get("User-Agent", "")
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


@never_cache
def category_slot(request: HttpRequest, slug: str) -> HttpResponse:
    """The sponsored items of a category page (an htmx fragment: `<li>`s), never cached."""
    try:
        category = catalog.category_by_slug(slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    raw = request.GET.get("organic", "")
    organic = min(int(raw), MAX_ORGANIC) if raw.isdigit() else 0
    now = clock.now()
    slots = selectors.for_category(category, organic=organic, now=now)
    services.count_impressions([(s.campaign_id, s.keyword_id) for s in slots], now)
    return render(request, "sponsored/_slot.html", {"slots": slots})
