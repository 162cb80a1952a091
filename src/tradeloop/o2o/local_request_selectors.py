"""Reads of consumer requests, scoped to the actor: a consumer sees their own requests with every answer; a local
business sees the open requests near one of its active places in one of that place's categories (or a child), and
its own answers. Anyone else's request or answer does not exist for them (404). A fixed number of queries however
many requests, answers or places.

Matching is geometric: a merchant's place matches a request when the place lies within the request's radius and
the request's category is one of the place's categories or below one (`Category.path` prefixes). From a request
the places are found through the area grid (`geo.cells_within`, an indexed `geo_cell IN (...)`), then measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.catalog.models import Category, Product
from tradeloop.core import clock
from tradeloop.core.errors import NotFound
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.negotiation import selectors as engine
from tradeloop.negotiation.models import Negotiation, Proposal, ProposalLine, Side
from tradeloop.o2o import geo
from tradeloop.o2o.models import ConsumerRequest, Place, RequestAnswer
from tradeloop.orders.models import Order

MAX_RADIUS_KM = 20
ORDER = ("-created_at", "-id")
NEARBY_LIMIT = 50  # a console shows the newest this many open requests near the business


# --- geometry and categories -------------------------------------------------------------------------------------


def path_prefixes(category: Category) -> list[str]:
    """The paths of the category and every ancestor ("a/", "a/b/", "a/b/c/"): a place listing any of them serves it."""
    parts = category.path.strip("/").split("/")
    return ["/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def serves(place: Place, category: Category) -> bool:
    """The place lists the category or one above it (from the place's prefetched `categories`)."""
    return any(category.path.startswith(c.path) for c in place.categories.all())


def km_between(request: ConsumerRequest, place: Place) -> float:
    return geo.distance_km(request.latitude, request.longitude, place.latitude, place.longitude)


def places_near(request: ConsumerRequest) -> list[Place]:
    """The active places inside the request's circle that serve its category (one query), nearest first."""
    candidates = (
        Place.objects.filter(
            geo_cell__in=geo.cells_within(request.latitude, request.longitude, request.radius_km),
            is_active=True,
            categories__path__in=path_prefixes(request.category),
        )
        .select_related("seller")
        .distinct()
    )
    inside = [p for p in candidates if km_between(request, p) <= request.radius_km]
    return sorted(inside, key=lambda p: km_between(request, p))


def service_categories() -> QuerySet[Category]:
    """What a consumer may ask for: the categories local places list, and the ones below them (two queries)."""
    paths = set(Category.objects.filter(places__is_active=True).values_list("path", flat=True).distinct())
    if not paths:
        return Category.objects.none()
    wanted = Q()
    for path in paths:
        wanted |= Q(path__startswith=path)
    return Category.objects.filter(wanted).order_by("path")


# --- the consumer's side -----------------------------------------------------------------------------------------


def _versions() -> Prefetch:
    return Prefetch(
        "proposals",
        queryset=Proposal.objects.prefetch_related(
            Prefetch("lines", queryset=ProposalLine.objects.select_related("variant__product"))
        ),
        to_attr="versions",
    )


def _with_versions() -> Prefetch:
    return Prefetch("negotiation", queryset=Negotiation.objects.prefetch_related(_versions()))


def _answers() -> Prefetch:
    return Prefetch(
        "answers",
        queryset=RequestAnswer.objects.select_related("seller", "place").prefetch_related(_with_versions()),
        to_attr="all_answers",
    )


def my_requests_page(actor: User, *, state: str | None = None, cursor: str | None = None, limit: int = 20) -> Page:
    """The consumer's own requests, newest first, each with `all_answers`."""
    engine.signed_in(actor)
    qs = ConsumerRequest.objects.filter(consumer=actor).select_related("category").prefetch_related(_answers())
    if state:
        qs = qs.filter(state=state)
    return keyset_page(qs, order=ORDER, cursor=cursor, limit=limit)


def my_request(actor: User, request_id: int) -> ConsumerRequest:
    """One of the consumer's requests with `all_answers` (each with its negotiation's `versions`)."""
    engine.signed_in(actor)
    found = (
        ConsumerRequest.objects.filter(pk=request_id, consumer=actor)
        .select_related("category", "consumer")
        .prefetch_related(_answers())
        .first()
    )
    if found is None:
        raise NotFound(gettext("request not found"), field="request")
    return found


def order_of(negotiation: Negotiation | None) -> Order | None:
    """The order an accepted answer placed (its number is the negotiation's result)."""
    if negotiation is None or not negotiation.result_ref:
        return None
    return Order.objects.filter(number=negotiation.result_ref).first()


# --- what one version says ---------------------------------------------------------------------------------------


def price_of(version: Proposal) -> Decimal:
    lines = list(version.lines.all())
    return lines[0].unit_price if lines else Decimal(0)


def service_of(version: Proposal) -> Product | None:
    lines = list(version.lines.all())
    return lines[0].variant.product if lines and lines[0].variant_id else None


def proposed_at_of(version: Proposal) -> datetime | None:
    """A request answer's proposed time travels in the version's `terms_text` (ISO 8601): it is part of the
    terms, versioned and immutable with them."""
    try:
        return datetime.fromisoformat(version.terms_text) if version.terms_text else None
    except ValueError:
        return None


def turn(negotiation: Negotiation) -> str | None:
    """Who answers the current version (None once decided or expired)."""
    versions = getattr(negotiation, "versions", None)
    if negotiation.state != Negotiation.State.OPEN or not versions:
        return None
    if negotiation.expires_at is not None and negotiation.expires_at <= clock.now():
        return None
    return Side.SELLER if versions[-1].author_side == Side.BUYER else Side.BUYER


@dataclass
class AnswerView:
    """One answer as both sides see it: the current terms, the place's rating and distance, whose turn it is."""

    answer: RequestAnswer
    negotiation: Negotiation
    price: Decimal
    proposed_at: datetime | None
    note: str
    service: Product | None
    km: float | None
    turn: str | None
    versions: list
    by_buyer: bool = False  # the current version is the consumer's counter
    seller_note: str = ""  # the business's latest message

    @property
    def previous_price(self) -> Decimal | None:
        """The business's price the consumer's counter answers (None when the current version is the business's)."""
        return price_of(self.versions[-2]) if self.by_buyer and len(self.versions) > 1 else None


def answer_view(request: ConsumerRequest, answer: RequestAnswer) -> AnswerView:
    negotiation = answer.negotiation
    versions = getattr(negotiation, "versions", []) or []
    current = versions[-1] if versions else None
    return AnswerView(
        answer=answer,
        negotiation=negotiation,
        price=price_of(current) if current else Decimal(0),
        proposed_at=proposed_at_of(current) if current else None,
        note=current.note if current else "",
        service=service_of(current) if current else None,
        km=km_between(request, answer.place) if answer.place else None,
        turn=turn(negotiation),
        versions=versions,
        by_buyer=current is not None and current.author_side == Side.BUYER,
        seller_note=next((v.note for v in reversed(versions) if v.author_side == Side.SELLER), ""),
    )


def answer_views(request: ConsumerRequest) -> list[AnswerView]:
    """The answers side by side: open ones first, then by price."""
    views = [answer_view(request, a) for a in request.all_answers]
    return sorted(views, key=lambda v: (v.negotiation.state != Negotiation.State.OPEN, v.price, v.answer.pk))


# --- the merchant's side -----------------------------------------------------------------------------------------


@dataclass
class NearbyRequest:
    request: ConsumerRequest
    place: Place  # the business's nearest place that serves it
    km: float
    answer: RequestAnswer | None  # the business's answer, if it gave one


def _box(places: list[Place]) -> Q:
    """Requests whose position could be within MAX_RADIUS_KM of one of the places (a cheap SQL pre-filter)."""
    pad_lat = MAX_RADIUS_KM / geo.KM_PER_DEGREE_LATITUDE
    box = Q()
    for p in places:
        pad_lng = min(180.0, pad_lat / max(0.01, math.cos(math.radians(p.latitude))))
        box |= Q(latitude__range=(p.latitude - pad_lat, p.latitude + pad_lat)) & (
            Q(longitude__range=(p.longitude - pad_lng, p.longitude + pad_lng))
            | Q(longitude__lte=p.longitude + pad_lng - 360)
            | Q(longitude__gte=p.longitude - pad_lng + 360)
        )
    return box


def _nearest_serving(request: ConsumerRequest, places: list[Place]) -> tuple[Place, float] | None:
    found = [(p, km_between(request, p)) for p in places if serves(p, request.category)]
    found = [(p, km) for p, km in found if km <= request.radius_km]
    return min(found, key=lambda pair: pair[1]) if found else None


def active_places(seller: Organization) -> list[Place]:
    """The business's active places with their categories (two queries)."""
    return list(Place.objects.filter(seller=seller, is_active=True).prefetch_related("categories").order_by("id"))


def open_requests_near(
    seller: Organization, *, places: list[Place] | None = None, limit: int = NEARBY_LIMIT
) -> list[NearbyRequest]:
    """Open requests a local business may answer, newest first, with its nearest serving place and its answer
    (`places`: its active places, if already read)."""
    places = active_places(seller) if places is None else places
    if not places:
        return []
    qs = (
        ConsumerRequest.objects.filter(state=ConsumerRequest.State.OPEN, expires_at__gt=clock.now())
        .filter(_box(places))
        .exclude(consumer__memberships__organization=seller)
        .select_related("category")
        .order_by(*ORDER)
    )
    mine = {
        a.request_id: a
        for a in RequestAnswer.objects.filter(seller=seller, request__in=qs[:500]).select_related("negotiation")
    }
    out = []
    for request in qs[:500]:
        match = _nearest_serving(request, places)
        if match is not None:
            out.append(NearbyRequest(request, match[0], match[1], mine.get(request.pk)))
        if len(out) >= limit:
            break
    return out


def nearby_request(seller: Organization, request_id: int) -> NearbyRequest:
    """One open request the business may answer (else 404: it is not theirs to see)."""
    request = ConsumerRequest.objects.select_related("category").filter(pk=request_id).first()
    places = active_places(seller)
    match = _nearest_serving(request, places) if request is not None else None
    if request is None or match is None:
        raise NotFound(gettext("request not found"), field="request")
    answer = RequestAnswer.objects.filter(seller=seller, request=request).select_related("negotiation").first()
    return NearbyRequest(request, match[0], match[1], answer)


def answers_of(seller: Organization, *, cursor: str | None = None, limit: int = 20) -> Page:
    """The business's answers, newest first, with their requests and negotiations' `versions`."""
    qs = (
        RequestAnswer.objects.filter(seller=seller)
        .select_related("request__category", "request__consumer", "seller", "place")
        .prefetch_related(_with_versions())
    )
    return keyset_page(qs, order=ORDER, cursor=cursor, limit=limit)


def answer_for(actor: User, answer_id: int) -> RequestAnswer:
    """An answer the actor is a party to: the request's consumer, or a member of the answering business."""
    engine.signed_in(actor)
    found = (
        RequestAnswer.objects.filter(pk=answer_id)
        .filter(Q(request__consumer=actor) | Q(seller_id__in=engine.org_ids(actor)))
        .select_related("request__category", "request__consumer", "seller", "place")
        .prefetch_related(_with_versions())
        .first()
    )
    if found is None:
        raise NotFound(gettext("answer not found"), field="answer")
    return found


def orders_of_answers(answers: list[RequestAnswer]) -> dict[str, Order]:
    """The orders placed by accepted answers, by number (one query)."""
    numbers = [a.negotiation.result_ref for a in answers if a.negotiation.result_ref]
    return {o.number: o for o in Order.objects.filter(number__in=numbers)} if numbers else {}


def seller_services(seller: Organization) -> QuerySet[Product]:
    """The business's published services: what an answer sells (the order's line)."""
    return (
        Product.objects.filter(seller=seller, kind=Product.Kind.SERVICE, status=Product.Status.PUBLISHED)
        .prefetch_related("variants")
        .order_by("title", "id")
    )
