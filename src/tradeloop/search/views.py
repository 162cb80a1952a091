"""The search results page: /search/?q= — one list of products, listings, deals, services and places with facets,
sorting and a cursor. What the header's search box opens."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from tradeloop.core.errors import ValidationFailed
from tradeloop.search import engine, selectors, slots

FILTER_NAMES = ("q", "kind", "category", "price_min", "price_max", "rating_min", "in_stock", "seller_level", "near",
                "radius_km", "sort")  # fmt: skip


def _link(request: HttpRequest, facet: engine.FacetValue) -> str:
    """The page with this facet value picked (or, when it is picked, without it); the cursor starts over."""
    params = request.GET.copy()
    params.pop("cursor", None)
    for name, value in facet.params.items():
        if facet.selected or value == "":
            params.pop(name, None)
        else:
            params[name] = value
        if name == "price_min" and not facet.selected and "price_max" not in facet.params:
            params.pop("price_max", None)
    return "?" + params.urlencode()


def results(request: HttpRequest) -> HttpResponse:
    problem = None
    result = None
    try:
        result = selectors.run(request.GET, request.user)
    except ValidationFailed as exc:
        problem = exc.message
    facets = []
    if result is not None:
        titles = {
            "category": gettext("Category"),
            "kind": gettext("Type"),
            "price": gettext("Price"),
            "rating": gettext("Rating"),
            "seller_level": gettext("Seller"),
            "in_stock": gettext("Availability"),
            "distance": gettext("Distance"),
        }
        for name, values in result.facets.items():
            if values:
                facets.append(
                    {
                        "name": name,
                        "title": titles[name],
                        "values": [{"facet": v, "href": _link(request, v)} for v in values],
                    }
                )
    hidden = [(name, request.GET.get(name)) for name in FILTER_NAMES if name != "sort" and request.GET.get(name)]
    filtered = any(request.GET.get(name) for name in FILTER_NAMES if name not in ("q", "sort"))
    context = {
        "q": request.GET.get("q", "").strip(),
        "problem": problem,
        "result": result,
        "cards": selectors.cards(result.hits) if result else [],
        "slot_blocks": slots.fill(result.query, result, request) if result and result.hits else [],
        "facets": facets,
        "sorts": [
            (key, str(label))
            for key, label in engine.SORT_LABELS.items()
            if key != "distance" or (result and result.query.near)
        ],  # fmt: skip
        "sort": result.query.sort if result else "relevance",
        "hidden": hidden,
        "filtered": filtered,
        "page": {"next_cursor": result.next_cursor if result else None},
    }
    return render(request, "search/results.html", context, status=400 if problem else 200)
