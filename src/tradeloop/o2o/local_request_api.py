"""Consumer-request endpoints: a consumer's requests and the answers to them, the answers' negotiation moves (either
party, like C2C offers), and a local business's desk (nearby open requests, its answers, the work marked done).

An answer is a negotiation of kind request: every counter is a new immutable version; accepting the current
version places the O2O order at its price (paid into escrow, released when the business marks the work done) and
declines every other answer. Another person's request or answer answers 404."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Header, Query, Router, Schema

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import require, selling_organization
from tradeloop.core.api_schemas import (
    MAX_INT,
    AmountIn,
    Currency,
    DecimalOut,
    Id,
    InputSchema,
    PageOut,
    PageQuery,
    Text,
    errors,
)
from tradeloop.core.money import quantize
from tradeloop.negotiation.selectors import VIEW
from tradeloop.o2o import local_request_selectors as selectors
from tradeloop.o2o import local_requests
from tradeloop.o2o.models import ConsumerRequest, RequestAnswer

router = Router(auth=SIGNED_IN, tags=["O2O"])
seller_router = Router(auth=SIGNED_IN, tags=["O2O"])
READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)
Version = Field(..., ge=1, le=MAX_INT, description="The version answered: it must be the current one")
RequestStates = Literal["open", "chosen", "closed", "expired"]
AnswerStates = Literal["open", "accepted", "declined", "withdrawn", "expired"]


# --- schemas ------------------------------------------------------------------------------------------------------


class ConsumerRequestIn(InputSchema):
    category: Id = Field(..., description="A service category local places offer (`categories`)")
    title: Text = Field(..., min_length=1, max_length=160, examples=["Deep clean of a 90 m² flat on Saturday"])
    details: Text = Field("", max_length=4000)
    wanted_at: datetime = Field(..., description="When (a time without a zone is the site's, Asia/Shanghai)")
    latitude: float = Field(..., ge=-90, le=90)
    longitude: float = Field(..., ge=-180, le=180)
    city: Text = Field(..., min_length=1, max_length=80)
    district: Text = Field("", max_length=80)
    radius_km: int = Field(5, ge=1, le=20, description="Businesses within this distance are asked")
    budget: AmountIn | None = Field(None, gt=0)
    currency: Currency = "CNY"


class RequestCancelIn(InputSchema):
    reason: Text = Field("", max_length=300)


class RequestAnswerIn(InputSchema):
    organization: Id = Field(..., description="Your local business")
    place: Id = Field(..., description="Your place that will serve it (within the request's radius)")
    service: Id = Field(..., description="Your published service (a product of kind `service`): the order's line")
    price: AmountIn = Field(..., gt=0)
    message: Text = Field("", max_length=1000)
    proposed_at: datetime = Field(..., description="When you propose to do it")


class RequestCounterIn(InputSchema):
    version: int = Version
    price: AmountIn = Field(..., gt=0)
    message: Text = Field("", max_length=1000)
    proposed_at: datetime | None = Field(None, description="Another time (default: the current version's)")


class RequestAcceptIn(InputSchema):
    version: int = Version


class RequestEndIn(InputSchema):
    version: int | None = Field(None, ge=1, le=MAX_INT, description="The current version (checked when given)")
    reason: Text = Field("", max_length=300)


class RequestDoneIn(InputSchema):
    organization: Id = Field(..., description="Your local business (its answer was chosen)")


class RequestCategoryOut(Schema):
    id: int
    name: str


class RequestPlaceOut(Schema):
    id: int
    name: str
    district: str
    rating_avg: DecimalOut
    rating_count: int
    distance_km: float | None = Field(..., description="From the request's position")


class RequestPartyOut(Schema):
    id: int
    name: str


class RequestServiceOut(Schema):
    id: int
    title: str


class RequestAnswerVersionOut(Schema):
    number: int
    author_side: Literal["buyer", "seller"]
    price: DecimalOut
    note: str
    proposed_at: datetime | None
    valid_until: datetime
    created_at: datetime


class RequestAnswerOut(Schema):
    id: int
    request_id: int
    state: AnswerStates
    seller: RequestPartyOut
    place: RequestPlaceOut | None
    service: RequestServiceOut | None
    currency: str
    price: DecimalOut = Field(..., description="The current version's price")
    message: str = Field(..., description="The current version's message")
    proposed_at: datetime | None = Field(..., description="The current version's time")
    current_version: int
    turn: Literal["buyer", "seller"] | None = Field(..., description="Who answers the current version (null: decided)")
    expires_at: datetime | None
    order_number: str | None = Field(None, description="The O2O order placed when it was accepted: pay it")
    created_at: datetime
    versions: list[RequestAnswerVersionOut]


class ConsumerRequestOut(Schema):
    id: int
    state: RequestStates
    category: RequestCategoryOut
    title: str
    details: str
    wanted_at: datetime
    city: str
    district: str
    latitude: float
    longitude: float
    radius_km: int
    budget: DecimalOut | None
    currency: str
    expires_at: datetime
    created_at: datetime
    closed_at: datetime | None
    chosen_answer_id: int | None
    answers: list[RequestAnswerOut]


class NearbyRequestOut(Schema):
    """What a business sees of a request: not the consumer's exact position, only its area and distance."""

    id: int
    category: RequestCategoryOut
    title: str
    details: str
    wanted_at: datetime
    city: str
    district: str
    budget: DecimalOut | None
    currency: str
    expires_at: datetime
    created_at: datetime
    place_id: int = Field(..., description="Your nearest place that serves it")
    distance_km: float = Field(..., description="From that place")
    answer_id: int | None = Field(..., description="Your answer to it, if you gave one")


class MyRequestsQuery(PageQuery):
    state: RequestStates | None = None


class SellerRequestsQuery(Schema):
    organization: Id = Field(..., description="Your local business")


class SellerAnswersQuery(PageQuery):
    organization: Id = Field(..., description="Your local business")


# --- shaping ------------------------------------------------------------------------------------------------------


def _money(amount, currency: str):
    return None if amount is None else quantize(amount, currency)


def _category_out(category) -> dict:
    return {"id": category.pk, "name": category.label}


def answer_out(request: ConsumerRequest, answer: RequestAnswer) -> dict:
    view = selectors.answer_view(request, answer)
    place = answer.place
    negotiation = view.negotiation
    return {
        "id": answer.pk,
        "request_id": request.pk,
        "state": negotiation.state,
        "seller": {"id": answer.seller.pk, "name": answer.seller.name},
        "place": None
        if place is None
        else {
            "id": place.pk,
            "name": place.display_name,
            "district": place.localized("district"),
            "rating_avg": place.rating_avg,
            "rating_count": place.rating_count,
            "distance_km": round(view.km, 2) if view.km is not None else None,
        },
        "service": {"id": view.service.pk, "title": view.service.display_title} if view.service else None,
        "currency": negotiation.currency,
        "price": _money(view.price, negotiation.currency),
        "message": view.note,
        "proposed_at": view.proposed_at,
        "current_version": negotiation.current_version,
        "turn": view.turn,
        "expires_at": negotiation.expires_at,
        "order_number": negotiation.result_ref or None,
        "created_at": answer.created_at,
        "versions": [
            {
                "number": v.number,
                "author_side": v.author_side,
                "price": _money(selectors.price_of(v), negotiation.currency),
                "note": v.note,
                "proposed_at": selectors.proposed_at_of(v),
                "valid_until": v.valid_until,
                "created_at": v.created_at,
            }
            for v in view.versions
        ],
    }


def request_out(request: ConsumerRequest) -> dict:
    answers = request.all_answers
    chosen = next((a.pk for a in answers if a.negotiation_id == request.chosen_id), None)
    return {
        "id": request.pk,
        "state": request.state,
        "category": _category_out(request.category),
        "title": request.title,
        "details": request.details,
        "wanted_at": request.wanted_at,
        "city": request.city,
        "district": request.district,
        "latitude": request.latitude,
        "longitude": request.longitude,
        "radius_km": request.radius_km,
        "budget": _money(request.budget, request.currency),
        "currency": request.currency,
        "expires_at": request.expires_at,
        "created_at": request.created_at,
        "closed_at": request.closed_at,
        "chosen_answer_id": chosen,
        "answers": [answer_out(request, a) for a in answers],
    }


def nearby_out(nearby: selectors.NearbyRequest) -> dict:
    request = nearby.request
    return {
        "id": request.pk,
        "category": _category_out(request.category),
        "title": request.title,
        "details": request.details,
        "wanted_at": request.wanted_at,
        "city": request.city,
        "district": request.district,
        "budget": _money(request.budget, request.currency),
        "currency": request.currency,
        "expires_at": request.expires_at,
        "created_at": request.created_at,
        "place_id": nearby.place.pk,
        "distance_km": round(nearby.km, 2),
        "answer_id": nearby.answer.pk if nearby.answer else None,
    }


def _answer_by_id(http: HttpRequest, answer_id: int) -> dict:
    answer = selectors.answer_for(http.auth, answer_id)
    return answer_out(answer.request, answer)


# --- the consumer -------------------------------------------------------------------------------------------------


@router.post(
    "requests",
    response={201: ConsumerRequestOut, **WRITE_ERRORS},
    summary="Post a local need: nearby businesses of its category are told and answer with offers",
    description="Open for TRADELOOP_O2O_REQUEST_DAYS (7) days. 400 `invalid` naming the field (e.g. `category`: not "
    "a category local places offer; `wanted_at`: not in the future).",
)
def post_request(request: HttpRequest, payload: ConsumerRequestIn):
    values = payload.model_dump()
    made = local_requests.post_request(actor=request.auth, category_id=values.pop("category"), **values)
    return 201, request_out(selectors.my_request(request.auth, made.pk))


@router.get(
    "requests",
    response={200: PageOut[ConsumerRequestOut], **READ_ERRORS},
    summary="My requests, newest first, each with its answers",
)
def my_requests(request: HttpRequest, query: Query[MyRequestsQuery]):
    page = selectors.my_requests_page(request.auth, state=query.state, cursor=query.cursor, limit=query.limit)
    return {"items": [request_out(r) for r in page.items], "next_cursor": page.next_cursor}


@router.get(
    "requests/{request_id}",
    response={200: ConsumerRequestOut, **READ_ERRORS},
    summary="One of my requests with every answer (price, place rating and distance, message, versions)",
)
def one_request(request: HttpRequest, request_id: Id):
    return request_out(selectors.my_request(request.auth, request_id))


@router.post(
    "requests/{request_id}/cancel",
    response={200: ConsumerRequestOut, **WRITE_ERRORS},
    summary="Cancel: an open request closes (its answers declined); a chosen one's order is cancelled and refunded",
    description="409 `request_closed` once the work is done or the request expired.",
)
def cancel_request(request: HttpRequest, request_id: Id, payload: RequestCancelIn):
    local_requests.cancel_request(actor=request.auth, request_id=request_id, reason=payload.reason)
    return request_out(selectors.my_request(request.auth, request_id))


# --- either party, on one answer -----------------------------------------------------------------------------------


@router.get(
    "request-answers/{answer_id}",
    response={200: RequestAnswerOut, **READ_ERRORS},
    summary="One answer with all its versions (the consumer, or the answering business)",
)
def one_answer(request: HttpRequest, answer_id: Id):
    return _answer_by_id(request, answer_id)


@router.post(
    "request-answers/{answer_id}/counter",
    response={201: RequestAnswerOut, **WRITE_ERRORS},
    summary="Answer the current version with another price (and, optionally, time): a new version",
)
def counter(request: HttpRequest, answer_id: Id, payload: RequestCounterIn):
    local_requests.counter(
        actor=request.auth,
        answer_id=answer_id,
        version=payload.version,
        price=payload.price,
        message=payload.message,
        proposed_at=payload.proposed_at,
    )
    return 201, _answer_by_id(request, answer_id)


@router.post(
    "request-answers/{answer_id}/accept",
    response={200: RequestAnswerOut, **WRITE_ERRORS},
    summary="Choose this answer: the O2O order at its price, paid into escrow (honours Idempotency-Key)",
    description="The request becomes chosen and every other answer is declined; the first accepted wins. 409 "
    "`already_accepted`, `expired`, `superseded`, `not_your_turn`, `closed`, `request_closed`. Pay the order "
    "(`order_number`) with `checkout/pay-orders`.",
)
def accept(
    request: HttpRequest,
    answer_id: Id,
    payload: RequestAcceptIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    local_requests.accept(actor=request.auth, answer_id=answer_id, version=payload.version, key=idempotency_key)
    return _answer_by_id(request, answer_id)


@router.post(
    "request-answers/{answer_id}/decline",
    response={200: RequestAnswerOut, **WRITE_ERRORS},
    summary="Decline the current version (the side that did not write it); the answer ends",
)
def decline(request: HttpRequest, answer_id: Id, payload: RequestEndIn):
    local_requests.decline(actor=request.auth, answer_id=answer_id, version=payload.version, reason=payload.reason)
    return _answer_by_id(request, answer_id)


@router.post(
    "request-answers/{answer_id}/withdraw",
    response={200: RequestAnswerOut, **WRITE_ERRORS},
    summary="Withdraw the current version you wrote, before it is answered; the answer ends",
)
def withdraw(request: HttpRequest, answer_id: Id, payload: RequestEndIn):
    local_requests.withdraw(actor=request.auth, answer_id=answer_id, version=payload.version, reason=payload.reason)
    return _answer_by_id(request, answer_id)


# --- the business -------------------------------------------------------------------------------------------------


def _business(request: HttpRequest, organization_id: int):
    organization = selling_organization(request.auth, organization_id)
    require(request.auth, organization, VIEW)
    return organization


@seller_router.get(
    "requests",
    response={200: PageOut[NearbyRequestOut], **READ_ERRORS},
    summary="Open requests near your active places in their categories, newest first (at most 50)",
)
def nearby_requests(request: HttpRequest, query: Query[SellerRequestsQuery]):
    found = selectors.open_requests_near(_business(request, query.organization))
    return {"items": [nearby_out(n) for n in found], "next_cursor": None}


@seller_router.post(
    "requests/{request_id}/answer",
    response={201: RequestAnswerOut, **WRITE_ERRORS},
    summary="Answer a nearby request with an offer: one of your services at a price, a message and a time",
    description="One answer per business and request (409 `request_answered`); 400 `request_not_nearby` (the "
    "place is outside the request's radius or does not offer its category), `request_not_service`, `own_request`; "
    "409 `request_closed`.",
)
def answer_request(request: HttpRequest, request_id: Id, payload: RequestAnswerIn):
    made = local_requests.answer(
        actor=request.auth,
        request_id=request_id,
        seller=selling_organization(request.auth, payload.organization),
        place_id=payload.place,
        service_id=payload.service,
        price=payload.price,
        message=payload.message,
        proposed_at=payload.proposed_at,
    )
    return 201, _answer_by_id(request, made.pk)


@seller_router.get(
    "request-answers",
    response={200: PageOut[RequestAnswerOut], **READ_ERRORS},
    summary="Your business's answers, newest first, with their state and order",
)
def my_answers(request: HttpRequest, query: Query[SellerAnswersQuery]):
    page = selectors.answers_of(_business(request, query.organization), cursor=query.cursor, limit=query.limit)
    return {"items": [answer_out(a.request, a) for a in page.items], "next_cursor": page.next_cursor}


@seller_router.post(
    "requests/{request_id}/done",
    response={200: RequestAnswerOut, **WRITE_ERRORS},
    summary="Mark the work done: the paid order completes and its escrow is released to you (minus commission)",
    description="Only the business whose answer was chosen (else 409 `request_closed`); 409 `request_not_paid` "
    "while the order is not paid.",
)
def mark_done(request: HttpRequest, request_id: Id, payload: RequestDoneIn):
    seller = selling_organization(request.auth, payload.organization)
    local_requests.mark_done(actor=request.auth, request_id=request_id, seller=seller)
    answer = RequestAnswer.objects.get(request_id=request_id, seller=seller)
    return _answer_by_id(request, answer.pk)
