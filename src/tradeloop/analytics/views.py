"""Analytics pages: the seller console's Analytics section and the operator's platform-wide twin, each with a
period picker (7/30/90 days or from–to), the change from the previous period, charts and a CSV of the series."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.analytics import presenters, selectors
from tradeloop.core.errors import ValidationFailed

SECTION = "analytics:console_dashboard"


def _period(request: HttpRequest) -> selectors.Period:
    q = request.GET
    return selectors.parse_period(days=q.get("days"), start=q.get("from"), end=q.get("to"))


def _compare(request: HttpRequest) -> bool:
    return request.GET.get("compare", "1") != "0"


def _page(request: HttpRequest, *, actor, seller, render_page) -> HttpResponse:
    try:
        period = _period(request)
    except ValidationFailed as exc:
        fallback = selectors.parse_period()
        report = selectors.report(actor=actor, seller=seller, period=fallback, compare=_compare(request))
        return render_page(_context(request, report, error=exc), status=400)
    report = selectors.report(actor=actor, seller=seller, period=period, compare=_compare(request))
    return render_page(_context(request, report))


def _context(request: HttpRequest, report: selectors.Report, error: ValidationFailed | None = None) -> dict:
    query = request.GET.copy()
    query.pop("format", None)
    return {
        "report": report,
        "tiles": presenters.tiles(report),
        "charts": presenters.chart_set(report),
        "presets": selectors.PRESETS,
        "error": error,
        "wanted": request.GET,
        "compare": _compare(request),
        "csv_query": query.urlencode(),
        "mode_labels": MODE_LABELS,
    }


MODE_LABELS = {"b2c": "B2C", "b2b": "B2B", "c2c": "C2C", "o2o": "O2O"}


def _csv(report: selectors.Report, name: str) -> HttpResponse:
    response = HttpResponse(presenters.series_csv(report), content_type="text/csv; charset=utf-8")
    filename = f"{name}-{report.period.start}-{report.period.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@console_page(selectors.VIEW, section=SECTION)
def console_dashboard(request: HttpRequest, console: Console) -> HttpResponse:
    return _page(
        request,
        actor=request.user,
        seller=console.organization,
        render_page=lambda ctx, status=200: console.render(request, "analytics/console_dashboard.html", ctx, status),
    )


@console_page(selectors.VIEW, section=SECTION)
def console_csv(request: HttpRequest, console: Console) -> HttpResponse:
    try:
        period = _period(request)
    except ValidationFailed as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    report = selectors.report(actor=request.user, seller=console.organization, period=period, compare=False)
    return _csv(report, f"analytics-{console.organization.slug}")


@staff_member_required
def platform_dashboard(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        actor=request.user,
        seller=None,
        render_page=lambda ctx, status=200: render(request, "analytics/platform_dashboard.html", ctx, status=status),
    )


@staff_member_required
def platform_csv(request: HttpRequest) -> HttpResponse:
    try:
        period = _period(request)
    except ValidationFailed as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    report = selectors.report(actor=request.user, seller=None, period=period, compare=False)
    return _csv(report, "analytics-platform")
