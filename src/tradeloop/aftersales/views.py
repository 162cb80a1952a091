"""After-sales pages: the buyer's return request and returns list; the console's Returns desk (approve / reject)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.aftersales import selectors, services
from tradeloop.aftersales.forms import DecisionForm, ReturnRequestForm
from tradeloop.aftersales.models import ReturnRequest
from tradeloop.core.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied
from tradeloop.core.money import format_money
from tradeloop.orders import selectors as orders_selectors
from tradeloop.orders.models import Order

RETURNS = "aftersales:console_returns"
RETURNS_PER_PAGE = 25
STATE_TABS = [("", _("All")), *ReturnRequest.State.choices]


def buyer_order_url(order: Order) -> str:
    return reverse("orders:detail", args=[order.number])


def _buyer_order(request: HttpRequest, number: str) -> Order:
    try:
        return orders_selectors.order_for_buyer(request.user, number)
    except (NotFound, NotAuthenticated) as exc:
        raise Http404(exc.message) from exc


# ---------- buyer ----------


@login_required
def my_returns(request: HttpRequest) -> HttpResponse:
    page = selectors.buyer_returns(actor=request.user, cursor=request.GET.get("cursor") or None)
    return render(request, "aftersales/my_returns.html", {"page": page, "returns": page.items})


@login_required
def request_return(request: HttpRequest, number: str) -> HttpResponse:
    order = _buyer_order(request, number)
    rows = selectors.returnable_lines(order)
    returnable = [row for row in rows if row.units > 0]
    form = ReturnRequestForm(request.POST or None, line_ids=[row.line.pk for row in returnable])
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_return(
                actor=request.user,
                order=order,
                lines=form.quantities(),
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except forms.ValidationError as exc:
            form.add_error(None, exc)
        except DomainError as exc:
            form.add_error("reason" if exc.field == "reason" else None, exc.message)
        else:
            messages.success(
                request,
                gettext("Return requested. %(seller)s will answer soon; you will get an e-mail.")
                % {"seller": order.seller.name},
            )
            return redirect(buyer_order_url(created.order))
    context = {"order": order, "rows": rows, "returnable": returnable, "form": form, "back_url": buyer_order_url(order)}
    return render(request, "aftersales/request_return.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def withdraw(request: HttpRequest, return_id: int) -> HttpResponse:
    try:
        withdrawn = services.withdraw(actor=request.user, return_id=return_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("aftersales:my_returns")
    messages.success(request, gettext("Return request withdrawn."))
    return redirect(buyer_order_url(withdrawn.order))


# ---------- seller console ----------


@console_page("orders.view", section=RETURNS)
def console_returns(request: HttpRequest, console: Console) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in ReturnRequest.State.values:
        state = ""
    page = selectors.seller_returns(
        actor=request.user,
        seller=console.organization,
        state=state or None,
        cursor=request.GET.get("cursor") or None,
        limit=RETURNS_PER_PAGE,
    )
    context = {
        "page": page,
        "returns": page.items,
        "state": state,
        "tabs": STATE_TABS,
        "can_decide": any(console.can(c) for c in services.DECIDING_CAPABILITIES),
    }
    return console.render(request, "aftersales/console_returns.html", context)


def _back(request: HttpRequest, console: Console) -> str:
    wanted = request.POST.get("next", "")
    default = reverse(RETURNS, args=[console.organization.pk])
    if wanted.startswith(default) and url_has_allowed_host_and_scheme(wanted, {request.get_host()}):
        return wanted
    return default


def _decide(request: HttpRequest, console: Console, return_id: int, *, approve: bool) -> HttpResponse:
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        found = services.seller_return(actor=request.user, return_id=return_id)
        if found.order.seller_id != console.organization.pk:
            raise NotFound(gettext("Return not found."))
        if approve:
            done = services.approve(actor=request.user, return_id=return_id, note=note)
            messages.success(
                request,
                gettext("Return %(id)s approved: %(amount)s refunded.") % {"id": done.pk, "amount": _money(done)},
            )
        else:
            services.reject(actor=request.user, return_id=return_id, reason=note)
            messages.success(request, gettext("Return %(id)s rejected.") % {"id": return_id})
    except (NotFound, NotAuthenticated, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request, console))


def _money(request_: ReturnRequest) -> str:
    return format_money(request_.refund_amount, request_.currency, get_language() or "en")


@require_POST
@console_page("orders.view", section=RETURNS)
def console_approve(request: HttpRequest, console: Console, return_id: int) -> HttpResponse:
    return _decide(request, console, return_id, approve=True)


@require_POST
@console_page("orders.view", section=RETURNS)
def console_reject(request: HttpRequest, console: Console, return_id: int) -> HttpResponse:
    return _decide(request, console, return_id, approve=False)
