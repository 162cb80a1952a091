"""Consumer requests: "the business you look for is looking for you". A consumer posts a local need; nearby
merchants of its category answer with offers on the one negotiation engine (kind REQUEST, one negotiation per
answering merchant); the consumer chooses one, which becomes an O2O order paid into escrow.

    post_request    a signed-in consumer: category (one that local places serve), title, details, when, where
                    (position, city, district), radius 1–20 km, optional budget; open TRADELOOP_O2O_REQUEST_DAYS;
                    the matching businesses are e-mailed after commit (o2o.local_request_mail)
    answer          a member (orders.fulfil) of a business with an active place within the radius serving the
                    category: one of its published services at a price, a message, a proposed time, at that place;
                    one answer per business and request (`request_answered`); version 1 is the seller's
    counter         either side answers the current version (price, message; the merchant may move the time)
    accept          the side whose turn it is: `place_request_order` (on_accept) places the O2O order at the
                    agreed price, the request becomes chosen and every other open answer is declined — the first
                    accepted wins, also under concurrency (the request's row is locked first)
    decline/withdraw the engine's, on an answer
    cancel_request  the consumer: an open request closes (its open answers are declined); a chosen one whose work
                    is not done yet has its order cancelled (refunded if paid)
    mark_done       the merchant whose answer was chosen: the paid order completes and escrow is released to it
                    (minus commission)
    sweep_expired_requests  open requests past `expires_at` expire, their open answers with them (idempotent)

The order line: the merchant answers with one of its own published services (a catalog product of kind
`service`): a real SKU of the seller, at the negotiated price, so the order reads like any other service order.
Lock order: the request, then negotiations (accept, counter, cancel and the sweep all take the request first).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Category, Product
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.core.money import MAX_AMOUNT, Money, check_currency
from tradeloop.ledger import services as ledger
from tradeloop.negotiation import policies
from tradeloop.negotiation import services as engine
from tradeloop.negotiation.models import Negotiation, Proposal, Side
from tradeloop.negotiation.selectors import SELL, signed_in
from tradeloop.notifications import negotiations as reminders
from tradeloop.o2o import local_request_selectors as selectors
from tradeloop.o2o.errors import Code
from tradeloop.o2o.models import ConsumerRequest, Place, RequestAnswer
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order

REQUEST = Negotiation.Kind.REQUEST
OPEN = ConsumerRequest.State.OPEN
NEG_OPEN = Negotiation.State.OPEN
MAX_RADIUS_KM = selectors.MAX_RADIUS_KM
OTHER_CHOSEN = "another answer was chosen"
PAY_WITHIN = timedelta(hours=24)  # a chosen answer's order waits a day for the consumer's payment
MAX_AHEAD = timedelta(days=365)


def open_days() -> timedelta:
    return timedelta(days=settings.TRADELOOP_O2O_REQUEST_DAYS)


# --- checks -------------------------------------------------------------------------------------------------------


def check_price(value, *, field: str = "price", required: bool = True) -> Decimal | None:
    if value in (None, "") and not required:
        return None
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed(gettext("Enter an amount."), field=field) from None
    if not amount.is_finite() or amount <= 0 or amount >= MAX_AMOUNT:
        raise ValidationFailed(gettext("Enter an amount above zero."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(gettext("Use at most two decimal places."), field=field)
    return amount


def _check_future(when: datetime | None, now: datetime, *, field: str) -> datetime:
    if not isinstance(when, datetime):
        raise ValidationFailed(gettext("Choose a date and time."), field=field)
    if timezone.is_naive(when):  # a time typed without a zone is the site's (Asia/Shanghai)
        when = timezone.make_aware(when)
    if when <= now:
        raise ValidationFailed(gettext("Choose a time in the future."), field=field)
    if when > now + MAX_AHEAD:
        raise ValidationFailed(gettext("Choose a time within a year."), field=field)
    return when


def _check_position(latitude, longitude) -> tuple[float, float]:
    try:
        lat, lng = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise ValidationFailed(gettext("Choose where on the map."), field="latitude") from None
    if not -90 <= lat <= 90:
        raise ValidationFailed(gettext("A latitude is between -90 and 90."), field="latitude")
    if not -180 <= lng <= 180:
        raise ValidationFailed(gettext("A longitude is between -180 and 180."), field="longitude")
    return lat, lng


def _check_radius(radius_km) -> int:
    if isinstance(radius_km, bool) or not isinstance(radius_km, int) or not 1 <= radius_km <= MAX_RADIUS_KM:
        raise ValidationFailed(
            gettext("Choose a radius from 1 to %(max)s km.") % {"max": MAX_RADIUS_KM}, field="radius_km"
        )
    return radius_km


def _check_category(category_id) -> Category:
    category = selectors.service_categories().filter(pk=category_id).first() if category_id else None
    if category is None:
        raise ValidationFailed(gettext("Choose a service category."), field="category")
    return category


def _text(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(gettext("This field is required."), field=field)
    if len(value) > max_length:
        raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": max_length}, field=field)
    return value


# --- posting ------------------------------------------------------------------------------------------------------


@transaction.atomic
def post_request(
    *,
    actor: User,
    category_id: int,
    title: str,
    wanted_at: datetime,
    latitude,
    longitude,
    city: str,
    district: str = "",
    radius_km: int = 5,
    details: str = "",
    budget=None,
    currency: str = "CNY",
    now: datetime | None = None,
) -> ConsumerRequest:
    """A consumer's local need, open for TRADELOOP_O2O_REQUEST_DAYS; the matching businesses hear of it."""
    now = now or clock.now()
    signed_in(actor)
    lat, lng = _check_position(latitude, longitude)
    request = ConsumerRequest.objects.create(
        consumer=actor,
        category=_check_category(category_id),
        title=_text(title, field="title", max_length=160, required=True),
        details=_text(details, field="details", max_length=4000),
        wanted_at=_check_future(wanted_at, now, field="wanted_at"),
        city=_text(city, field="city", max_length=80, required=True),
        district=_text(district, field="district", max_length=80),
        latitude=lat,
        longitude=lng,
        radius_km=_check_radius(radius_km),
        budget=check_price(budget, field="budget", required=False),
        currency=check_currency(currency),
        expires_at=now + open_days(),
        created_at=now,
    )
    states.record(request, new=request.state, actor=actor, reason="posted")
    from tradeloop.o2o import local_request_mail

    transaction.on_commit(lambda: local_request_mail.queue_new_request(request.pk), robust=True)
    return request


def _locked_request(request_id: int) -> ConsumerRequest:
    found = (
        ConsumerRequest.objects.select_for_update(of=("self",)).select_related("category").filter(pk=request_id).first()
    )
    if found is None:
        raise NotFound(gettext("request not found"), field="request")
    return found


def _require_open(request: ConsumerRequest, now: datetime) -> None:
    if request.state != OPEN or request.expires_at <= now:
        raise Conflict(
            gettext("This request is no longer open (%(state)s).")
            % {"state": request.get_state_display() if request.state != OPEN else gettext("expired")},
            code=Code.REQUEST_CLOSED,
        )


# --- answering ----------------------------------------------------------------------------------------------------


def _serving_place(request: ConsumerRequest, seller: Organization, place_id: int | None) -> Place:
    place = (
        Place.objects.filter(pk=place_id, seller=seller, is_active=True).prefetch_related("categories").first()
        if place_id
        else None
    )
    if place is None:
        raise ValidationFailed(gettext("Choose one of your active places."), field="place")
    if not selectors.serves(place, request.category) or selectors.km_between(request, place) > request.radius_km:
        raise ValidationFailed(
            gettext("This place is not within the request's area or does not offer its category."),
            field="place",
            code=Code.REQUEST_NOT_NEARBY,
        )
    return place


def _own_service(seller: Organization, service_id: int | None) -> Product:
    product = selectors.seller_services(seller).filter(pk=service_id).first() if service_id else None
    variants = list(product.variants.all()) if product else []
    if not variants:
        raise ValidationFailed(
            gettext("Choose one of your published services."), field="service", code=Code.REQUEST_NOT_SERVICE
        )
    return product


def _draft(request: ConsumerRequest, product: Product, price: Decimal, note: str, proposed_at) -> engine.Draft:
    return engine.Draft(
        lines=[engine.LineDraft(1, price, variant=product.variants.all()[0], description=product.display_title[:300])],
        terms_text=proposed_at.isoformat() if proposed_at else "",
        valid_until=request.expires_at,
        note=_text(note, field="message", max_length=1000),
    )


@transaction.atomic
def answer(
    *,
    actor: User,
    request_id: int,
    seller: Organization,
    place_id: int,
    service_id: int,
    price,
    message: str = "",
    proposed_at: datetime | None = None,
    now: datetime | None = None,
) -> RequestAnswer:
    """A business's offer on a nearby request (version 1, written by the seller side)."""
    now = now or clock.now()
    require(actor, seller, SELL)
    request = _locked_request(request_id)
    if request.consumer_id == actor.pk:
        raise ValidationFailed(gettext("You cannot answer your own request."), code=Code.OWN_REQUEST)
    place = _serving_place(request, seller, place_id)
    _require_open(request, now)
    if RequestAnswer.objects.filter(request=request, seller=seller).exists():
        raise Conflict(gettext("Your business has answered this request already."), code=Code.REQUEST_ANSWERED)
    product = _own_service(seller, service_id)
    amount = check_price(price)
    when = _check_future(proposed_at, now, field="proposed_at")
    if product.variants.all()[0].currency != request.currency:
        raise ValidationFailed(gettext("This service is priced in another currency."), field="service")
    negotiation = engine.open_negotiation(
        actor=actor,
        kind=REQUEST,
        side=Side.SELLER,
        seller=seller,
        buyer=request.consumer,
        currency=request.currency,
        product=product,
        draft=_draft(request, product, amount, message, when),
        now=now,
    )
    try:
        with transaction.atomic():
            made = RequestAnswer.objects.create(
                request=request, negotiation=negotiation, seller=seller, place=place, created_at=now
            )
    except IntegrityError:
        raise Conflict(
            gettext("Your business has answered this request already."), code=Code.REQUEST_ANSWERED
        ) from None
    from tradeloop.o2o import local_request_mail

    transaction.on_commit(lambda: local_request_mail.queue_new_answer(made.pk), robust=True)
    return made


def _answer_of(actor: User, answer_id: int) -> RequestAnswer:
    return selectors.answer_for(actor, answer_id)


@transaction.atomic
def counter(
    *,
    actor: User,
    answer_id: int,
    version: int,
    price,
    message: str = "",
    proposed_at: datetime | None = None,
    now: datetime | None = None,
) -> Proposal:
    """Either party answers the current version with another price (the time stays unless a new one is given)."""
    now = now or clock.now()
    found = _answer_of(actor, answer_id)
    request = _locked_request(found.request_id)
    _require_open(request, now)
    current = found.negotiation.versions[-1]
    when = _check_future(proposed_at, now, field="proposed_at") if proposed_at else selectors.proposed_at_of(current)
    product = selectors.service_of(current)
    draft = _draft(request, product, check_price(price), message, when)
    return engine.counter(actor=actor, negotiation=found.negotiation_id, version=version, draft=draft, now=now)


@transaction.atomic
def accept(
    *, actor: User, answer_id: int, version: int, key: str | None = None, now: datetime | None = None
) -> Negotiation:
    """Accept the current version of an answer: the O2O order is placed and the request is chosen."""
    found = _answer_of(actor, answer_id)
    _locked_request(found.request_id)  # the request first: see the module's lock order
    return engine.accept(actor=actor, negotiation=found.negotiation_id, version=version, key=key, now=now)


def decline(
    *, actor: User, answer_id: int, version: int | None = None, reason: str = "", now: datetime | None = None
) -> Negotiation:
    found = _answer_of(actor, answer_id)
    return engine.decline(actor=actor, negotiation=found.negotiation_id, version=version, reason=reason, now=now)


def withdraw(
    *, actor: User, answer_id: int, version: int | None = None, reason: str = "", now: datetime | None = None
) -> Negotiation:
    found = _answer_of(actor, answer_id)
    return engine.withdraw(actor=actor, negotiation=found.negotiation_id, version=version, reason=reason, now=now)


# --- the policy ---------------------------------------------------------------------------------------------------


def _close_others(request: ConsumerRequest, keep: int | None, *, to: str, actor: User | None, reason: str) -> int:
    now = clock.now()
    others = Negotiation.objects.select_for_update().filter(
        pk__in=RequestAnswer.objects.filter(request=request).values("negotiation_id"), state=NEG_OPEN
    )
    if keep is not None:
        others = others.exclude(pk=keep)
    done = 0
    for other in others.order_by("pk"):
        other.decided_at = now
        states.transition(other, to, actor=actor, reason=reason)
        done += 1
    return done


def place_request_order(negotiation: Negotiation, proposal: Proposal, actor: User) -> str:
    """on_accept: the agreed price becomes the O2O order (escrow) of the answer's service; the request is chosen
    and every other open answer declined. Runs under the request's lock (taken by `accept`)."""
    link = RequestAnswer.objects.filter(negotiation=negotiation).first()
    if link is None:
        raise NotFound(gettext("answer not found"), field="answer")
    request = _locked_request(link.request_id)
    _require_open(request, clock.now())
    line = proposal.lines.select_related("variant__product").get()
    now = clock.now()
    order = orders.place_order(
        actor=actor,
        buyer=negotiation.buyer,
        seller=negotiation.seller,
        mode=Order.Mode.O2O,
        currency=negotiation.currency,
        lines=[orders.LineIn(line.variant, 1, line.unit_price, title=line.description or "")],
        checkout_ref=f"request:{request.pk}",
        payment_due_at=now + PAY_WITHIN,
        note=f"Request {request.pk}, answer {link.pk} v{proposal.number}",
    )
    request.chosen = negotiation
    request.save(update_fields=["chosen"])
    states.transition(request, ConsumerRequest.State.CHOSEN, actor=actor, reason=f"answer {link.pk} chosen")
    _close_others(request, negotiation.pk, to=Negotiation.State.DECLINED, actor=actor, reason=OTHER_CHOSEN)
    return order.number


POLICY = policies.Policy(validity=timedelta(days=7), max_rounds=10, on_accept=place_request_order)


def register() -> None:
    """Called from O2oConfig.ready()."""
    policies.register(REQUEST, POLICY)
    reminders.register_answer_pages(
        REQUEST,
        reminders.AnswerPages(
            buyer=("o2o:request", lambda n: (RequestAnswer.objects.get(negotiation=n).request_id,)),
            seller=("o2o:console_requests", lambda n: (n.seller_id,)),
        ),
    )


# --- after the choice ---------------------------------------------------------------------------------------------


def _chosen_order(request: ConsumerRequest) -> Order | None:
    if request.chosen_id is None:
        return None
    number = Negotiation.objects.filter(pk=request.chosen_id).values_list("result_ref", flat=True).first()
    return Order.objects.select_for_update().filter(number=number).first() if number else None


@transaction.atomic
def cancel_request(*, actor: User, request_id: int, reason: str = "", now: datetime | None = None) -> ConsumerRequest:
    """The consumer withdraws the need: an open request closes; a chosen one's order is cancelled (and refunded
    if paid) as long as the work is not done."""
    now = now or clock.now()
    signed_in(actor)
    request = _locked_request(request_id)
    if request.consumer_id != actor.pk:
        raise NotFound(gettext("request not found"), field="request")
    why = reason.strip()[:300] or gettext("cancelled by the consumer")
    if request.state == OPEN:
        _close_others(request, None, to=Negotiation.State.DECLINED, actor=actor, reason=why)
        request.closed_at = now
        states.transition(request, ConsumerRequest.State.CLOSED, actor=actor, reason=why)
        return request
    order = _chosen_order(request) if request.state == ConsumerRequest.State.CHOSEN else None
    if order is None or order.state not in (Order.State.PENDING_PAYMENT, Order.State.PAID):
        raise Conflict(gettext("This request can no longer be cancelled."), code=Code.REQUEST_CLOSED)
    orders.cancel(order=order, actor=actor, reason=why)
    return request


@transaction.atomic
def mark_done(*, actor: User, request_id: int, seller: Organization) -> Order:
    """The chosen business did the work: the paid order completes and its escrow is released to the business."""
    require(actor, seller, SELL)
    request = _locked_request(request_id)
    answer_of_seller = RequestAnswer.objects.filter(request=request, seller=seller).first()
    if answer_of_seller is None:
        raise NotFound(gettext("request not found"), field="request")
    order = _chosen_order(request)
    if request.chosen_id != answer_of_seller.negotiation_id or order is None:
        raise Conflict(gettext("Your answer was not chosen for this request."), code=Code.REQUEST_CLOSED)
    if order.state != Order.State.PAID:
        raise Conflict(
            gettext("The order is %(state)s: only a paid order can be marked done.")
            % {"state": order.get_state_display()},
            code=Code.REQUEST_NOT_PAID,
        )
    orders.advance(order=order, to=Order.State.COMPLETED, actor=actor, reason=gettext("work done"))
    ledger.settle(order=order)  # an escrow order: all it holds goes to the business, minus commission
    return order


def held_amount(order: Order) -> Money:
    return Money(ledger.order_money(order).in_escrow, order.currency)


# --- timed rules --------------------------------------------------------------------------------------------------


def sweep_expired_requests(now: datetime) -> int:
    """Open requests past their `expires_at` expire, and their open answers with them. Idempotent."""
    done = 0
    due = ConsumerRequest.objects.filter(state=OPEN, expires_at__lte=now).values_list("pk", flat=True)
    for pk in list(due[:500]):
        with transaction.atomic():
            request = _locked_request(pk)
            if request.state != OPEN or request.expires_at > now:  # re-checked under the lock
                continue
            _close_others(request, None, to=Negotiation.State.EXPIRED, actor=None, reason="request expired")
            request.closed_at = now
            states.transition(request, ConsumerRequest.State.EXPIRED, reason="open time over")
            done += 1
    return done
