"""Server-side bar charts: the geometry of an inline SVG, so the dashboard needs no JavaScript."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import Truncator


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: int
    y: int
    width: float
    text_y: int
    value_x: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width


def horizontal_bars(
    rows: list[tuple[str, int]],
    *,
    width: int = 360,
    label_width: int = 120,
    bar_height: int = 16,
    gap: int = 8,
    label_chars: int = 18,
) -> BarChart:
    """One bar per (label, value); the longest bar spans the plot, leaving room for its value."""
    top = max((value for _, value in rows), default=0) or 1
    room_for_value = 32
    plot = width - label_width - room_for_value
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * (bar_height + gap)
        bar_width = round(plot * max(value, 0) / top, 1)
        bars.append(
            Bar(
                label=label,
                short_label=Truncator(label).chars(label_chars),
                value=value,
                y=y,
                width=bar_width,
                text_y=y + bar_height // 2 + 4,
                value_x=label_width + bar_width + 6,
            )
        )
    height = max(len(rows) * (bar_height + gap) - gap, bar_height)
    return BarChart(bars=bars, width=width, height=height, label_width=label_width, bar_height=bar_height)
