"""A plain SVG bar chart of the page benchmark: requests/s per page (log scale, so the bare-Django floor and the
pages fit one axis), one bar per catalog size, the floor on top."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

COLOURS = ["#2563eb", "#f59e0b", "#dc2626", "#16a34a", "#7c3aed"]
BAR, GAP, LEFT, WIDTH = 13, 12, 150, 900


def write_chart(results: list[dict], path: Path) -> None:
    """`results`: the pages-<db>-<size>.json contents, smallest size first."""
    pages = ["floor", *results[0]["pages"].keys()]

    def rps(result: dict, page: str) -> float:
        return result["floor"]["rps"] if page == "floor" else result["pages"].get(page, {}).get("rps", 0.0)

    top = max(rps(r, p) for r in results for p in pages) or 1.0
    plot = WIDTH - LEFT - 170
    group = len(results) * BAR + GAP
    height = 70 + len(pages) * group + 40
    db = results[0]["database"]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        'font-family="system-ui, sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
        f'<text x="{LEFT}" y="22" font-size="15" font-weight="600">Requests per second by page and catalog size, '
        f"{escape(db)}</text>",
        f'<text x="{LEFT}" y="40" fill="#555">{results[0]["workers"]} gunicorn workers, {escape(results[0]["tool"])}, '
        f"{results[0]['connections']} connections; log scale. By each bar: req/s, p95 ms, share of the bare-Django "
        "floor.</text>",
    ]
    for n, result in enumerate(results):
        x = LEFT + n * 120
        out.append(f'<rect x="{x}" y="50" width="12" height="12" fill="{COLOURS[n % len(COLOURS)]}"/>')
        out.append(f'<text x="{x + 16}" y="60">{result["products"]:,} products</text>')
    y = 75
    for page in pages:
        out.append(f'<text x="{LEFT - 8}" y="{y + group / 2}" text-anchor="end">{escape(page)}</text>')
        for n, result in enumerate(results):
            value = rps(result, page)
            figures = result["floor"] if page == "floor" else result["pages"].get(page, {})
            length = max(1.0, plot * math.log10(1 + value) / math.log10(1 + top))
            colour = COLOURS[n % len(COLOURS)]
            out.append(f'<rect x="{LEFT}" y="{y}" width="{length:.1f}" height="{BAR - 2}" fill="{colour}"/>')
            ratio = "" if page == "floor" else f" · {figures.get('ratio_to_floor', 0):.3f}× floor"
            label = f"{value:.1f}/s · p95 {figures.get('p95_ms', 0):.0f} ms{ratio}"
            out.append(f'<text x="{LEFT + length + 4:.1f}" y="{y + BAR - 3}" font-size="10">{label}</text>')
            y += BAR
        y += GAP
    loads = ", ".join(f"{r['load_average_before'][0]:.1f}" for r in results)
    out.append(
        f'<text x="{LEFT}" y="{height - 12}" fill="#555">Shared {results[0]["cpus"]}-core machine; load average '
        f"at the start of each size: {loads}. {escape(results[-1]['at'])}.</text>"
    )
    out.append("</svg>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n")
