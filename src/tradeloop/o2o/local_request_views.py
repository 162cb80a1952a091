"""Consumer-request pages: a consumer's requests, posting one, one request with its answers side by side (counter,
decline, choose, then pay; after payment, the state), and the business's console (nearby open requests with an
answer form, its answers, "mark done"). Thin: forms parse, o2o.local_requests decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.core import clock
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.o2o import local_request_selectors as selectors
from tradeloop.o2o import local_requests
from tradeloop.o2o.local_request_forms import AnswerForm, CounterForm, RequestForm, attach
from tradeloop.o2o.models import ConsumerRequest
from tradeloop.orders.models import Order

PAGE_SIZE = 20
SECTION = "o2o:console_requests"


def _version(request: HttpRequest) -> int:
    value = str(request.POST.get("version", ""))
    return int(value) if value.isdigit() and len(value) < 10 else 0


# --- the consumer -------------------------------------------------------------------------------------------------


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    try:
        page = selectors.my_requests_page(request.user, cursor=request.GET.get("after"), limit=PAGE_SIZE)
    except ValidationFailed:
        page = selectors.my_requests_page(request.user, limit=PAGE_SIZE)
    rows = [(r, selectors.answer_views(r)) for r in page.items]
    return render(request, "o2o/request_list.html", {"page": page, "rows": rows})


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    categories = selectors.service_categories()
    form = RequestForm(request.POST or None, categories=categories, initial={"radius_km": 5})
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                made = local_requests.post_request(
                    actor=request.user, category_id=data.pop("category").pk, currency="CNY", **data
                )
            except DomainError as exc:
                attach(form, exc)
            else:
                messages.success(request, gettext("Your request is posted: nearby businesses will answer here."))
                return redirect("o2o:request", made.pk)
        return render(request, "o2o/request_new.html", {"form": form}, status=400)
    return render(request, "o2o/request_new.html", {"form": form})


def _detail(request: HttpRequest, found: ConsumerRequest, *, counter_form=None, countered=None, status: int = 200):
    answers = selectors.answer_views(found)
    chosen = next((a for a in answers if a.negotiation.pk == found.chosen_id), None)
    order = selectors.order_of(chosen.negotiation) if chosen else None
    context = {
        "req": found,
        "answers": answers,
        "chosen": chosen,
        "order": order,
        "held": local_requests.held_amount(order) if order and order.state == Order.State.PAID else None,
        "can_cancel": found.state == ConsumerRequest.State.OPEN
        or (order is not None and order.state in (Order.State.PENDING_PAYMENT, Order.State.PAID)),
        "counter_form": counter_form,
        "countered": countered,
        "now": clock.now(),
    }
    return render(request, "o2o/request_detail.html", context, status=status)


def _mine(request: HttpRequest, request_id: int) -> ConsumerRequest:
    try:
        return selectors.my_request(request.user, request_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail(request, _mine(request, request_id))


def _act(request: HttpRequest, answer_id: int, action: str, counter_form: CounterForm | None) -> str:
    """One negotiation move on an answer, by whichever party the user is; returns the success message."""
    version = _version(request)
    if action == "counter":
        local_requests.counter(
            actor=request.user,
            answer_id=answer_id,
            version=version,
            price=counter_form.cleaned_data["price"],
            message=counter_form.cleaned_data["message"],
        )
        return gettext("Your counter-offer is sent.")
    if action == "accept":
        done = local_requests.accept(
            actor=request.user, answer_id=answer_id, version=version, key=request.POST.get("idempotency_key") or None
        )
        return gettext("Chosen: order %(number)s is placed.") % {"number": done.result_ref}
    if action == "decline":
        local_requests.decline(actor=request.user, answer_id=answer_id, version=version or None)
        return gettext("Offer declined.")
    if action == "withdraw":
        local_requests.withdraw(actor=request.user, answer_id=answer_id, version=version or None)
        return gettext("Your offer is withdrawn.")
    raise Http404("no such action")


@login_required
@require_POST
def request_answer_action(request: HttpRequest, request_id: int, answer_id: int, action: str) -> HttpResponse:
    found = _mine(request, request_id)
    if answer_id not in {a.pk for a in found.all_answers}:
        raise Http404("answer not found")
    form = CounterForm(request.POST) if action == "counter" else None
    if form is not None and not form.is_valid():
        return _detail(request, found, counter_form=form, countered=answer_id, status=400)
    try:
        messages.success(request, _act(request, answer_id, action, form))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ValidationFailed as exc:
        if form is None:
            raise
        attach(form, exc)
        return _detail(request, _mine(request, request_id), counter_form=form, countered=answer_id, status=400)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("o2o:request", found.pk)


@login_required
@require_POST
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    found = _mine(request, request_id)
    try:
        local_requests.cancel_request(actor=request.user, request_id=found.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Your request is cancelled."))
    return redirect("o2o:request", found.pk)


# --- the business's console ---------------------------------------------------------------------------------------


def _answer_form(console: Console, nearby: selectors.NearbyRequest, places, services, data=None) -> AnswerForm:
    req = nearby.request
    first = services[0] if services else None
    initial = {
        "place": nearby.place.pk,
        "service": first.pk if first else None,
        "price": req.budget or (first.variants.all()[0].price if first and first.variants.all() else None),
        "proposed_at": timezone.localtime(req.wanted_at).strftime("%Y-%m-%dT%H:%M"),
    }
    serving = [p for p in places if p.pk == nearby.place.pk] + [p for p in places if p.pk != nearby.place.pk]
    return AnswerForm(data, prefix=f"r{req.pk}", places=serving, services=services, initial=initial)


def _console(request: HttpRequest, console: Console, *, bound: tuple[int, AnswerForm] | None = None, status=200):
    org = console.organization
    places = selectors.active_places(org)
    services = list(selectors.seller_services(org))
    nearby = selectors.open_requests_near(org, places=places)
    rows = []
    for n in nearby:
        form = bound[1] if bound and bound[0] == n.request.pk else _answer_form(console, n, places, services)
        rows.append((n, form))
    try:
        page = selectors.answers_of(org, cursor=request.GET.get("after"), limit=PAGE_SIZE)
    except ValidationFailed:
        page = selectors.answers_of(org, limit=PAGE_SIZE)
    orders = selectors.orders_of_answers(page.items)
    answered = [(selectors.answer_view(a.request, a), orders.get(a.negotiation.result_ref)) for a in page.items]
    context = {
        "rows": rows,
        "page": page,
        "answered": answered,
        "has_places": bool(places),
        "has_services": bool(services),
        "can_answer": console.can("orders.fulfil"),
        "counter_form": CounterForm(),
    }
    return console.render(request, "o2o/request_console.html", context, status=status)


@console_page("orders.view", section=SECTION)
def console_requests(request: HttpRequest, console: Console) -> HttpResponse:
    return _console(request, console)


@require_POST
@console_page("orders.fulfil", section=SECTION)
def console_request_answer(request: HttpRequest, console: Console, request_id: int) -> HttpResponse:
    org = console.organization
    nearby = selectors.nearby_request(org, request_id)
    places = selectors.active_places(org)
    form = _answer_form(console, nearby, places, list(selectors.seller_services(org)), data=request.POST)
    if form.is_valid():
        try:
            local_requests.answer(
                actor=request.user,
                request_id=request_id,
                seller=org,
                place_id=form.cleaned_data["place"],
                service_id=form.cleaned_data["service"],
                price=form.cleaned_data["price"],
                message=form.cleaned_data["message"],
                proposed_at=form.cleaned_data["proposed_at"],
            )
        except ValidationFailed as exc:
            attach(form, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(SECTION, org.pk)
        else:
            messages.success(request, gettext("Your offer is sent to the customer."))
            return redirect(SECTION, org.pk)
    return _console(request, console, bound=(request_id, form), status=400)


@require_POST
@console_page("orders.fulfil", section=SECTION)
def console_answer_action(request: HttpRequest, console: Console, answer_id: int, action: str) -> HttpResponse:
    answer = selectors.answer_for(request.user, answer_id)
    if answer.seller_id != console.organization.pk:
        raise Http404("answer not found")
    form = CounterForm(request.POST) if action == "counter" else None
    try:
        if form is not None and not form.is_valid():
            raise ValidationFailed(" ".join(str(e) for errors in form.errors.values() for e in errors))
        messages.success(request, _act(request, answer_id, action, form))
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(SECTION, console.organization.pk)


@require_POST
@console_page("orders.fulfil", section=SECTION)
def console_request_done(request: HttpRequest, console: Console, request_id: int) -> HttpResponse:
    try:
        order = local_requests.mark_done(actor=request.user, request_id=request_id, seller=console.organization)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext("Marked done: order %(number)s is complete and paid out to you.") % {"number": order.number},
        )
    return redirect(SECTION, console.organization.pk)
