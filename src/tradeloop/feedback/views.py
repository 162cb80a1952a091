"""Buyer feedback pages: a store's or a product's suggestions (list, post, vote), private feedback on a completed
order, and the seller console's suggestion desk, order feedback and unmet demand. Thin: forms parse, services
decide, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.shortcuts import render as render_page
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.accounts.models import Organization
from tradeloop.catalog.models import Product
from tradeloop.core.errors import DomainError
from tradeloop.feedback import selectors, services
from tradeloop.feedback.forms import OrderFeedbackForm, StatusForm, SuggestionForm
from tradeloop.feedback.models import Suggestion

PAGE = 20


def _page(read, request: HttpRequest, **kwargs):
    """A keyset page; a malformed cursor shows the first page."""
    try:
        return read(cursor=request.GET.get("cursor"), limit=PAGE, **kwargs)
    except DomainError:
        return read(limit=PAGE, **kwargs)


def _filters(request: HttpRequest) -> tuple[str, str]:
    sort = request.GET.get("sort") if request.GET.get("sort") in selectors.SORTS else "top"
    status = request.GET.get("status") if request.GET.get("status") in Suggestion.Status.values else ""
    return sort, status


def _suggestions(request: HttpRequest, *, store: Organization, product: Product | None) -> HttpResponse:
    form = SuggestionForm(request.POST if request.method == "POST" else None)
    here = request.path
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(here)
        if form.is_valid():
            try:
                services.suggest(
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    store_id=store.pk,
                    product_id=product.pk if product else None,
                )
            except DomainError as exc:
                form.add_error("text" if exc.field in (None, "text") else None, exc.message)
            else:
                messages.success(request, gettext("Thank you: your suggestion is posted."))
                return redirect(here + "?sort=new")
    sort, status = _filters(request)
    page = _page(
        lambda **kw: selectors.public_page(
            seller=store, product=product, sort=sort, status=status, viewer=request.user, **kw
        ),
        request,
    )
    context = {
        "store": store,
        "product": product,
        "page": page,
        "form": form,
        "sort": sort,
        "status": status,
        "statuses": Suggestion.Status.choices,
    }
    return render_page(request, "feedback/suggestions.html", context, status=400 if form.errors else 200)


def store_suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    store = get_object_or_404(Organization, slug=slug, is_active=True, kind__in=Organization.SELLING_KINDS)
    return _suggestions(request, store=store, product=None)


def product_suggestions(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.published().select_related("seller"), pk=product_id)
    return _suggestions(request, store=product.seller, product=product)


@require_POST
@login_required
def vote(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion.objects.select_related("seller"), pk=suggestion_id)
    try:
        services.toggle_vote(actor=request.user, suggestion_id=suggestion.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = (
            reverse("feedback:product", args=[suggestion.product_id])
            if suggestion.product_id
            else reverse("feedback:store", args=[suggestion.seller.slug])
        )
    return redirect(f"{back}#suggestion-{suggestion.pk}")


@require_POST
@login_required
def order_feedback(request: HttpRequest, number: str) -> HttpResponse:
    form = OrderFeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Write 2 to 500 characters."))
    else:
        try:
            services.order_feedback(actor=request.user, number=number, text=form.cleaned_data["text"])
        except DomainError as exc:
            if exc.status == 404:
                raise Http404(exc.message) from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("Thank you: your feedback went to the seller."))
    return redirect("orders:detail", number)


# --- the seller console ---------------------------------------------------------------------------------------------


@console_page("orders.view", section="feedback:console_suggestions")
def console_suggestions(request: HttpRequest, console: Console) -> HttpResponse:
    status = request.GET.get("status") if request.GET.get("status") in Suggestion.Status.values else ""
    page = _page(lambda **kw: selectors.seller_page(console.organization, status=status, **kw), request)
    context = {
        "page": page,
        "status": status,
        "statuses": Suggestion.Status.choices,
        "may_triage": services.may_triage(console.membership),
        "tab": "suggestions",
    }
    return console.render(request, "feedback/console_suggestions.html", context)


@require_POST
@console_page("orders.view", section="feedback:console_suggestions")
def console_status(request: HttpRequest, console: Console, suggestion_id: int) -> HttpResponse:
    if not Suggestion.objects.filter(pk=suggestion_id, seller=console.organization).exists():
        raise Http404("suggestion not found")  # another organization's, even one the member also belongs to
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose a status; the reply is at most 1000 characters."))
    else:
        try:
            services.set_status(
                actor=request.user,
                suggestion_id=suggestion_id,
                status=form.cleaned_data["status"],
                reply=form.cleaned_data["reply"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("The suggestion is updated; the reply shows under it for everyone."))
    back = reverse("feedback:console_suggestions", args=[console.organization.pk])
    status = request.POST.get("filter", "")
    return redirect(back + (f"?status={status}" if status in Suggestion.Status.values else ""))


@console_page("orders.view", section="feedback:console_suggestions")
def console_order_feedback(request: HttpRequest, console: Console) -> HttpResponse:
    page = _page(lambda **kw: selectors.seller_order_feedback(console.organization, **kw), request)
    return console.render(request, "feedback/console_order_feedback.html", {"page": page, "tab": "orders"})


@console_page("catalog.manage", section="feedback:console_demand")
def console_demand(request: HttpRequest, console: Console) -> HttpResponse:
    raw = request.GET.get("days") or "30"
    days = int(raw) if raw.isdigit() and int(raw) in selectors.PERIODS else 30
    rows = selectors.unmet_demand(console.organization, days=days)
    context = {"rows": rows, "days": days, "periods": selectors.PERIODS}
    return console.render(request, "feedback/console_demand.html", context)
