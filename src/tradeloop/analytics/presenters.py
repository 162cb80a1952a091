"""The report shaped for people: formatted tiles with their change, the charts' geometry, and the CSV of the series.
Shared by the console page, the operator's page and the CSV export (the API shapes its own JSON)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tradeloop.analytics import charts
from tradeloop.analytics.selectors import Report, Totals
from tradeloop.core.money import format_money


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    value: str
    previous: str
    delta: Decimal | None

    @property
    def trend(self) -> str:
        if self.delta is None or self.delta == 0:
            return "flat"
        return "up" if self.delta > 0 else "down"


TILES = (
    ("gmv", _("GMV"), "money"),
    ("orders", pgettext_lazy("figure", "Orders"), "count"),
    ("aov", _("Average order value"), "money"),
    ("conversion", _("Conversion"), "percent"),
    ("repeat_rate", _("Repeat customers"), "percent"),
    ("refunded", _("Refunds"), "money"),
    ("visitors", _("Visitors"), "count"),
    ("units", _("Units sold"), "count"),
)


def show(value, kind: str, currency: str) -> str:
    if value is None:
        return "—"
    if kind == "money":
        return format_money(value, currency, get_language() or "en")
    if kind == "percent":
        return f"{value}%"
    return f"{value:,}" if isinstance(value, int) else str(value)


def tiles(report: Report) -> list[Tile]:
    deltas = report.deltas
    out = []
    for key, label, kind in TILES:
        now = report.totals.value(key)
        before = report.previous.value(key) if report.previous else None
        out.append(
            Tile(
                key,
                str(label),
                show(now, kind, report.currency),
                show(before, kind, report.currency) if report.previous else "",
                deltas.get(key),
            )
        )
    return out


def day_label(day) -> str:
    return date_format(day, gettext("M j"))


def chart_set(report: Report) -> dict:
    labels = [day_label(p.day) for p in report.series]
    money = [format_money(p.gmv, report.currency, get_language() or "en") for p in report.series]
    previous_gmv = None
    if report.previous is not None:
        previous_gmv = [p.gmv for p in report.previous_series]
    totals: Totals = report.totals
    conversion_steps = [
        (gettext("Visitors"), totals.visitors),
        (pgettext("figure", "Orders"), totals.orders),
        (gettext("Repeat orders"), totals.repeat_orders),
    ]
    return {
        "gmv": charts.line_chart(labels, [p.gmv for p in report.series], shown=money, previous=previous_gmv),
        "orders": charts.column_chart(labels, [p.orders for p in report.series]),
        "visitors": charts.line_chart(labels, [p.visitors for p in report.series]),
        "funnel": charts.funnel(conversion_steps),
        "blocks": {
            b.key: charts.funnel([(str(s.label), s.value) for s in b.funnel]) for b in report.blocks if b.funnel
        },
    }


CSV_COLUMNS = (
    "day",
    "orders",
    "gmv",
    "refunds",
    "refunded",
    "visits",
    "visitors",
    "units",
    "new_customers",
    "repeat_orders",
    "currency",
)


def series_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for p in report.series:
        writer.writerow(
            [
                p.day.isoformat(),
                p.orders,
                f"{p.gmv:.2f}",
                p.refunds,
                f"{p.refunded:.2f}",
                p.visits,
                p.visitors,
                p.units,
                p.new_customers,
                p.repeat_orders,
                report.currency,
            ]
        )
    return out.getvalue()
