"""What the search page and the API share: run a search from request parameters, tell unmet demand, and turn
results into cards (products as the storefront's product cards, places as the registered source's cards)."""

from __future__ import annotations

from django.db.models import Q

from tradeloop.catalog.models import Product
from tradeloop.catalog.selectors import _card_query
from tradeloop.core import clock
from tradeloop.feedback.services import note_search
from tradeloop.promotions import selectors as promotions
from tradeloop.search import engine, sources
from tradeloop.search.models import SearchDocument

FEW_RESULTS = 3  # fewer results than this: the search is noted as unmet demand


def region_of(query: engine.SearchQuery, user) -> str:
    """Where the searcher is: the city of the place nearest to `near`, else the signed-in user's default address
    city, else ""."""
    if query.near:
        south, north, west, east = engine._bounding_box(*query.near, query.radius_km)
        nearby = (
            SearchDocument.objects.filter(latitude__gte=south, latitude__lte=north)
            .filter(longitude__gte=west, longitude__lte=east)
            .exclude(city="")
            .values_list("latitude", "longitude", "city")[:200]
        )
        closest = min(nearby, key=lambda r: engine.distance_km(*query.near, r[0], r[1]), default=None)
        if closest:
            return closest[2]
    if getattr(user, "is_authenticated", False):
        address = user.addresses.order_by("-is_default", "id").values_list("city", flat=True).first()
        return address or ""
    return ""


def run(params, user) -> engine.SearchResult:
    """Parse (ValidationFailed on bad input) and search; a search with text and fewer than 3 results is noted as
    unmet demand (feedback), with the searcher's region."""
    query = engine.parse(params)
    result = engine.search(query)
    if query.q and result.total < FEW_RESULTS:
        note_search(text=query.q, region=region_of(query, user), results=result.total, category_id=result.category_id)
    return result


def cards(hits: list[engine.Hit]) -> list[tuple[engine.Hit, object]]:
    """Each hit with what its card shows: a Product (with its promotion) or a sources.Card; hits whose object is
    gone meanwhile are left out. 1 query for the products (+ promotions'), 1 per other source."""
    product_ids = [h.object_id for h in hits if h.source == SearchDocument.Source.PRODUCT]
    products = {}
    if product_ids:
        found = list(_card_query(Product.objects.published().filter(Q(pk__in=product_ids))))
        promotions.annotate_cards(found, now=clock.now())
        products = {p.pk: p for p in found}
    others: dict[str, dict[int, sources.Card]] = {}
    for name in {h.source for h in hits} - {SearchDocument.Source.PRODUCT}:
        source = sources.source(name)
        ids = [h.object_id for h in hits if h.source == name]
        others[name] = source.cards(ids) if source else {}
    shown = []
    for hit in hits:
        card = products.get(hit.object_id) if hit.source == "product" else others.get(hit.source, {}).get(hit.object_id)
        if card is not None:
            shown.append((hit, card))
    return shown
