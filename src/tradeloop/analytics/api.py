"""analytics' part of the REST API: a seller's figures over a period (or, for staff, the platform's), with the
previous period, the daily series, top products and the per-mode blocks; the series as CSV. Thin: selectors read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import membership
from tradeloop.analytics import presenters, selectors
from tradeloop.analytics.errors import Code
from tradeloop.core.api_schemas import Amount, DecimalOut, Id, MoneyOut, errors
from tradeloop.core.errors import ValidationFailed

router = Router(tags=["Analytics"])
seller_router = Router(tags=["Analytics"], auth=SIGNED_IN)
READ_ERRORS = errors(400, 401, 403, 404, 422)


class AnalyticsQuery(Schema):
    org: Id | None = Field(None, description="Your organization (needs orders.view); omit with scope=platform")
    scope: Literal["seller", "platform"] = Field("seller", description="platform: every seller together (staff)")
    days: int | None = Field(None, description="The last 7, 30 or 90 days up to today (default 30)", examples=[30])
    from_: date | None = Field(None, alias="from", description="First day of a custom period (YYYY-MM-DD)")
    to: date | None = Field(None, description="Last day, included (default today); at most a year after `from`")
    compare: bool = Field(True, description="Also the previous period of the same length, and the change in %")
    format: Literal["json", "csv"] = Field("json", description="csv: the daily series as a CSV file")


class PeriodOut(Schema):
    start: date = Field(..., description="First day")
    end: date = Field(..., description="Last day, included")
    days: int


class TotalsOut(MoneyOut):
    orders: int = Field(..., description="Orders placed in the period once paid (or confirmed on payment terms)")
    gmv: Amount = Field(..., description="Their totals")
    aov: Amount | None = Field(..., description="Average order value: GMV / orders")
    conversion: DecimalOut | None = Field(..., description="Orders per 100 visitors")
    repeat_rate: DecimalOut | None = Field(..., description="% of orders from customers who had bought before")
    new_customers: int = Field(..., description="Orders that were the buyer's first from this seller")
    repeat_orders: int
    refunds: int = Field(..., description="Refunds made in the period (of any order)")
    refunded: Amount
    refund_rate: DecimalOut | None = Field(..., description="Refunded as % of GMV")
    visits: int = Field(..., description="Page views of the seller's store, product, listing and place pages")
    visitors: int = Field(..., description="Visitors per page and day, summed")
    units: int


class DayOut(MoneyOut):
    day: date
    orders: int
    gmv: Amount
    refunds: int
    refunded: Amount
    visits: int
    visitors: int
    units: int
    new_customers: int
    repeat_orders: int


class TopProductOut(MoneyOut):
    product_id: int
    title: str
    units: int
    revenue: Amount


class ModeOut(MoneyOut):
    mode: str = Field(..., description="b2c, b2b, c2c or o2o")
    orders: int
    gmv: Amount


class FigureOut(Schema):
    key: str
    label: str
    kind: str = Field(..., description="count, percent or money")
    value: str | None = Field(..., description="A count, a percentage, or an amount (see currency)")
    currency: str | None = None


class StepOut(Schema):
    key: str
    label: str
    value: int


class BlockOut(Schema):
    key: str = Field(..., description="b2b (inquiry funnel), c2c (offers and escrow), o2o (deals and redemption)")
    title: str
    figures: list[FigureOut]
    funnel: list[StepOut]


class AnalyticsOut(Schema):
    scope: str
    organization: int | None
    currency: str
    period: PeriodOut
    previous_period: PeriodOut | None
    totals: TotalsOut
    previous_totals: TotalsOut | None
    change: dict[str, DecimalOut | None] = Field(..., description="Change from the previous period in %, per figure")
    series: list[DayOut]
    top_products: list[TopProductOut]
    modes: list[ModeOut]
    blocks: list[BlockOut]
    generated_at: datetime


def _period_out(period: selectors.Period) -> dict:
    return {"start": period.start, "end": period.end, "days": period.days}


def _totals_out(totals: selectors.Totals) -> dict:
    return {
        "currency": totals.currency,
        **{name: getattr(totals, name) for name in ("orders", "gmv", "new_customers", "repeat_orders", "refunds")},
        **{name: getattr(totals, name) for name in ("refunded", "visits", "visitors", "units")},
        "aov": totals.aov,
        "conversion": totals.conversion,
        "repeat_rate": totals.repeat_rate,
        "refund_rate": totals.refund_rate,
    }


def _figure_out(figure) -> dict:
    value, currency = figure.value, None
    if figure.kind == "money" and value is not None:
        value, currency = format(value.rounded().amount, "f"), value.currency
    return {
        "key": figure.key,
        "label": str(figure.label),
        "kind": figure.kind,
        "value": None if value is None else str(value),
        "currency": currency,
    }


def _report(request: HttpRequest, query: AnalyticsQuery) -> selectors.Report:
    seller = None
    if query.scope == "seller":
        if query.org is None:
            raise ValidationFailed(gettext("Choose your organization (org), or scope=platform."), field="org")
        seller = membership(request.auth, query.org).organization
    if query.days is not None and (query.from_ or query.to):
        raise ValidationFailed(gettext("Give days or from/to, not both."), field="days", code=Code.BAD_PERIOD)
    period = selectors.parse_period(days=query.days, start=query.from_, end=query.to)
    return selectors.report(actor=request.auth, seller=seller, period=period, compare=query.compare)


def _csv(report: selectors.Report) -> HttpResponse:
    scope = f"org-{report.seller.pk}" if report.seller is not None else "platform"
    response = HttpResponse(presenters.series_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="analytics-{scope}-{report.period.start}-{report.period.end}.csv"'
    )
    return response


@seller_router.get(
    "analytics",
    response={200: AnalyticsOut, **READ_ERRORS},
    summary="Your figures over a period: totals, the change from the previous period, the daily series, top products, "
    "orders per mode and the blocks of your modes",
    description="Dates are days in the site's time zone (Asia/Shanghai). 400 `bad_period` for an end before the "
    "start, a period over a year, or days and from/to together; 422 for an unreadable date. `format=csv` answers "
    "the series as text/csv (as `analytics.csv` does). Staff pass `scope=platform` for every seller together.",
)
def seller_analytics(request: HttpRequest, query: Query[AnalyticsQuery]):
    report = _report(request, query)
    if query.format == "csv":
        return _csv(report)
    previous = report.period.previous if report.previous is not None else None
    return {
        "scope": "seller" if report.seller is not None else "platform",
        "organization": report.seller.pk if report.seller is not None else None,
        "currency": report.currency,
        "period": _period_out(report.period),
        "previous_period": _period_out(previous) if previous else None,
        "totals": _totals_out(report.totals),
        "previous_totals": _totals_out(report.previous) if report.previous is not None else None,
        "change": report.deltas,
        "series": [{"currency": report.currency, **vars(point)} for point in report.series],
        "top_products": [
            {
                "currency": t.revenue.currency,
                "product_id": t.product_id,
                "title": t.title,
                "units": t.units,
                "revenue": t.revenue.amount,
            }
            for t in report.top_products
        ],
        "modes": [
            {"currency": report.currency, "mode": mode, "orders": orders, "gmv": gmv}
            for mode, (orders, gmv) in sorted(report.totals.by_mode.items())
        ],
        "blocks": [
            {
                "key": b.key,
                "title": str(b.title),
                "figures": [_figure_out(f) for f in b.figures],
                "funnel": [{"key": s.key, "label": str(s.label), "value": s.value} for s in b.funnel],
            }
            for b in report.blocks
        ],
        "generated_at": report.generated_at,
    }


@seller_router.get(
    "analytics.csv",
    response={200: str, **READ_ERRORS},
    summary="The daily series of your figures over a period as CSV (same parameters as analytics)",
    openapi_extra={
        "responses": {200: {"description": "text/csv", "content": {"text/csv": {"schema": {"type": "string"}}}}}
    },
)
def seller_analytics_csv(request: HttpRequest, query: Query[AnalyticsQuery]):
    return _csv(_report(request, query))
