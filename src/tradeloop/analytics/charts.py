"""Server-side chart geometry for inline SVG (no JavaScript, no CDN): a line over days, columns over days and a
funnel. Templates draw them (analytics/_line_chart.html, _column_chart.html, _funnel.html) with a <title>, a
<desc> and a table of the same numbers beside them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str
    value: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    bottom: int
    points: str  # the polyline's "x,y x,y …"
    area: str  # the same closed along the baseline
    dots: list[Dot]
    ticks: list[Tick]
    top_label: str
    previous_points: str = ""

    @property
    def baseline(self) -> int:
        return self.height - self.bottom


def _scale(values: list[Decimal | int]) -> Decimal:
    top = max((Decimal(v) for v in values), default=Decimal(0))
    return top if top > 0 else Decimal(1)


def _ticks(labels: list[str], xs: list[float], most: int = 6) -> list[Tick]:
    if not labels:
        return []
    step = max(1, -(-len(labels) // most))
    return [Tick(xs[i], labels[i]) for i in range(0, len(labels), step)]


def line_chart(
    labels: list[str],
    values: list[Decimal | int],
    *,
    shown: list[str] | None = None,
    previous: list[Decimal | int] | None = None,
    width: int = 640,
    height: int = 200,
    left: int = 8,
    bottom: int = 22,
    top_label: str = "",
) -> LineChart:
    """One value per day; `previous` (the period before, same length) is drawn as a dashed line under it."""
    top = _scale(list(values) + list(previous or []))
    plot_w, plot_h = width - left - 8, height - bottom - 12
    n = max(len(values) - 1, 1)
    xs = [round(left + plot_w * i / n, 1) for i in range(len(values))]

    def y(value) -> float:
        return round(float(12 + plot_h - Decimal(plot_h) * Decimal(value) / top), 1)

    points = " ".join(f"{x},{y(v)}" for x, v in zip(xs, values, strict=True))
    base = height - bottom
    area = f"{xs[0]},{base} {points} {xs[-1]},{base}" if xs else ""
    shown = shown or [str(v) for v in values]
    dots = [Dot(x, y(v), label, text) for x, v, label, text in zip(xs, values, labels, shown, strict=True)]
    prev = ""
    if previous and len(previous) == len(values):
        prev = " ".join(f"{x},{y(v)}" for x, v in zip(xs, previous, strict=True))
    return LineChart(width, height, left, bottom, points, area, dots, _ticks(labels, xs), top_label, prev)


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    bottom: int
    columns: list[Column]
    ticks: list[Tick]

    @property
    def baseline(self) -> int:
        return self.height - self.bottom


def column_chart(
    labels: list[str], values: list[int], *, width: int = 640, height: int = 160, bottom: int = 22
) -> ColumnChart:
    top = _scale(values)
    plot_h = height - bottom - 8
    slot = (width - 8) / max(len(values), 1)
    bar_w = round(max(slot * 0.7, 1), 1)
    columns, xs = [], []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = round(float(Decimal(plot_h) * Decimal(value) / top), 1)
        x = round(4 + slot * i + (slot - bar_w) / 2, 1)
        xs.append(round(x + bar_w / 2, 1))
        columns.append(Column(x, round(height - bottom - h, 1), bar_w, h, label, str(value)))
    return ColumnChart(width, height, bottom, columns, _ticks(labels, xs))


@dataclass(frozen=True)
class FunnelStep:
    label: str
    value: int
    share: Decimal | None  # of the first step, in percent
    x: float
    y: int
    width: float
    text_y: int


@dataclass(frozen=True)
class Funnel:
    width: int
    height: int
    steps: list[FunnelStep]
    step_height: int


def funnel(steps: list[tuple[str, int]], *, width: int = 360, step_height: int = 26, gap: int = 6) -> Funnel:
    """Centred bars, each as wide as its share of the widest (the first step, usually)."""
    top = max((v for _, v in steps), default=0) or 1
    first = steps[0][1] if steps else 0
    out = []
    for i, (label, value) in enumerate(steps):
        w = round(max(width * value / top, 2), 1)
        y = i * (step_height + gap)
        share = (Decimal(value) * 100 / first).quantize(Decimal("0.1")) if first else None
        out.append(FunnelStep(label, value, share, round((width - w) / 2, 1), y, w, y + step_height // 2 + 4))
    height = max(len(steps) * (step_height + gap) - gap, step_height)
    return Funnel(width, height, out, step_height)
