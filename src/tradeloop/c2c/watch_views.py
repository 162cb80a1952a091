"""Web pages for watching: the buyer's /watching/ page (watched listings, saved searches, alerts) and the
Watch / Unwatch button's POST (htmx swaps the button; without htmx, back to where it was pressed)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from tradeloop.c2c import watch_selectors
from tradeloop.c2c import watching as services
from tradeloop.c2c.templatetags.c2c_watching import button_context
from tradeloop.c2c.watch_forms import SavedSearchForm
from tradeloop.catalog.models import Product
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed

PER_PAGE = 24
TABS = ("watching", "searches", "alerts")


def _page(load, cursor: str | None):
    try:
        return load(cursor)
    except ValidationFailed:  # a damaged or stale cursor: the first page
        return load(None)


def _back(request: HttpRequest, tab: str = "watching"):
    wanted = request.POST.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return redirect(wanted)
    return redirect(f"{_watching_url()}?tab={tab}")


def _watching_url() -> str:
    from django.urls import reverse

    return reverse("c2c:watching")


@login_required
@require_GET
def watching_page(request: HttpRequest) -> HttpResponse:
    """/watching/: tabs Watching (the listings watched), Saved searches (with the save form), Alerts."""
    return _render(request, request.GET.get("tab") if request.GET.get("tab") in TABS else "watching")


def _render(request: HttpRequest, tab: str, form: SavedSearchForm | None = None, status: int = 200) -> HttpResponse:
    cursor = request.GET.get("cursor") or None
    context: dict = {"tab": tab, "unread": watch_selectors.unread_count(request.user)}
    if tab == "watching":
        context["page"] = _page(lambda c: watch_selectors.watched(actor=request.user, cursor=c, limit=PER_PAGE), cursor)
    elif tab == "searches":
        context["page"] = _page(
            lambda c: watch_selectors.saved_searches(actor=request.user, cursor=c, limit=PER_PAGE), cursor
        )
        context["form"] = form or SavedSearchForm()
        context["default_currency"] = settings.TRADELOOP_DEFAULT_CURRENCY
    else:
        context["unread_alerts"] = [] if cursor else watch_selectors.unread_alerts(actor=request.user)
        context["page"] = _page(
            lambda c: watch_selectors.read_alerts(actor=request.user, cursor=c, limit=PER_PAGE), cursor
        )
    return render(request, "c2c/watch_page.html", context, status=status)


@login_required
@require_POST
def toggle_watch(request: HttpRequest, product_id: int) -> HttpResponse:
    try:
        if request.POST.get("action") == "unwatch":
            services.unwatch(actor=request.user, product_id=product_id)
        else:
            services.watch(actor=request.user, product_id=product_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Conflict as exc:
        if not request.htmx:
            flash.error(request, exc.message)
            return _back(request)
    if request.htmx:
        product = Product.objects.select_related("listing").get(pk=product_id)
        context = button_context(request, product, request.POST.get("next") or "")
        return render(request, "c2c/_watch_button.html", context)
    if request.POST.get("action") == "unwatch":
        flash.success(request, gettext("You no longer watch this listing."))
    else:
        flash.success(request, gettext("Watching: you will be told when the price drops."))
    return _back(request)


@login_required
@require_POST
def save_search(request: HttpRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_search(
                actor=request.user,
                query=data["query"],
                category_id=data["category"].pk if data["category"] else None,
                city=data["city"],
                max_price=data["max_price"],
            )
        except (ValidationFailed, Conflict) as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            flash.success(request, gettext("Search saved: new listings that match it will show under Alerts."))
            return _back(request, "searches")
    return _render(request, "searches", form=form, status=400)


@login_required
@require_POST
def delete_search(request: HttpRequest, search_id: int) -> HttpResponse:
    try:
        services.delete_search(actor=request.user, search_id=search_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    flash.success(request, gettext("Saved search deleted."))
    return redirect(f"{_watching_url()}?tab=searches")


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    services.mark_alerts_read(actor=request.user)
    return redirect(f"{_watching_url()}?tab=alerts")
