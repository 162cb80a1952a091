"""One benchmark command: the storefront's pages and the API over HTTP at several catalog sizes.

    .venv/bin/python -m bench                                  # SQLite, 10k and 100k products (~10 minutes)
    .venv/bin/python -m bench --sizes 10k,100k,1m --seconds 10
    .venv/bin/python -m bench --db postgresql --sizes 10k      # a fresh database per size on the local server
    .venv/bin/python -m bench --redraw                          # only the table and the chart, from the results

For each size: a fresh data folder (SQLite) or database (PostgreSQL), migrated (a copy of one migrated template,
kept in bench/data/ while the migrations stay the same), filled by bench.generate, then bench.pages counts each
page's queries, times placing an order in process and serves the site like `tradeloop serve` (gunicorn, 2 workers,
DEBUG off) next to a bare-Django fixed page (bench/floor.py) under the same server settings, loads every page with
wrk (or a Python client) and reads the workers' RSS. Writes bench/results/pages-<db>-<size>.json and a chart
comparing the sizes, bench/results/pages-<db>.svg, and prints the table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.chart import write_chart

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
DATA = REPO / "bench" / "data"


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def label_of(products: int) -> str:
    if products % 1_000_000 == 0:
        return f"{products // 1_000_000}m"
    return f"{products // 1_000}k" if products % 1_000 == 0 else str(products)


def migrations_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted((REPO / "src" / "tradeloop").glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:10]


def tradeloop_bin() -> str:
    return str(Path(sys.executable).with_name("tradeloop"))


def psql(url: str, sql: str) -> None:
    subprocess.run(["psql", f"{url}/postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True)


def sqlite_database(label: str, console: Console) -> dict:
    template = DATA / f"pages-template-sqlite-{migrations_hash()}"
    if not (template / "tradeloop.sqlite3").exists():
        console.print(f"Migrating a template database ({template.name}) …")
        shutil.rmtree(template, ignore_errors=True)
        template.mkdir(parents=True)
        env = {**os.environ, "TRADELOOP_DATA_DIR": str(template)}
        env.pop("DATABASE_URL", None)
        subprocess.run([tradeloop_bin(), "migrate", "-v", "0"], env=env, check=True, cwd=REPO)
        with sqlite3.connect(template / "tradeloop.sqlite3") as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    folder = DATA / f"pages-sqlite-{label}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy(template / "tradeloop.sqlite3", folder / "tradeloop.sqlite3")
    env = {**os.environ, "TRADELOOP_DATA_DIR": str(folder)}
    env.pop("DATABASE_URL", None)
    return env


def postgresql_database(label: str, base_url: str, console: Console) -> dict:
    template = f"h8bench_tpl_{migrations_hash()}"
    exists = subprocess.run(
        ["psql", f"{base_url}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{template}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        console.print(f"Migrating a template database ({template}) …")
        psql(base_url, f"CREATE DATABASE {template}")
        env = {**os.environ, "DATABASE_URL": f"{base_url}/{template}"}
        subprocess.run([tradeloop_bin(), "migrate", "-v", "0"], env=env, check=True, cwd=REPO)
    name = f"h8bench_{label}"
    psql(base_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(base_url, f"CREATE DATABASE {name} TEMPLATE {template}")
    folder = DATA / f"pages-postgresql-{label}"  # the secret key and static folder of the run
    folder.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "DATABASE_URL": f"{base_url}/{name}", "TRADELOOP_DATA_DIR": str(folder)}


def results_for(db: str) -> list[dict]:
    found = [json.loads(p.read_text()) for p in RESULTS.glob(f"pages-{db}-*.json")]
    return sorted(found, key=lambda r: r["products"])


def print_table(results: list[dict], console: Console) -> None:
    for result in results:
        table = Table(
            title=f"{result['products']:,} products on {result['database']} — {result['tool']}, "
            f"{result['connections']} connections × {result['seconds']:.0f} s, {result['workers']} workers; "
            f"floor {result['floor']['rps']:.0f} req/s; load average {result['load_average_before'][0]:.1f}"
        )
        for column in ("page", "req/s", "p50 ms", "p95 ms", "p99 ms", "queries (1st)", "× floor", "errors"):
            table.add_column(column, justify="left" if column == "page" else "right")
        for name, page in result["pages"].items():
            table.add_row(
                name,
                f"{page['rps']:.1f}",
                f"{page['p50_ms']:.0f}",
                f"{page['p95_ms']:.0f}",
                f"{page['p99_ms']:.0f}",
                f"{page['queries']} ({page.get('queries_first', '?')})",
                f"{page['ratio_to_floor']:.3f}",
                str(page["errors"]),
            )
        placed = result["place_order_in_process"]
        table.add_row(
            "place order (in process)",
            f"{placed['serial_rps']:.1f}*",
            f"{placed['p50_ms']:.0f}",
            f"{placed['p95_ms']:.0f}",
            f"{placed['p99_ms']:.0f}",
            f"{placed['queries']:.0f}",
            "—",
            "0" if placed["statuses"] == [302] else str(placed["statuses"]),
        )
        console.print(table)
        rss = ", ".join(f"{mb:.0f}" for mb in result["worker_rss_mb_end"])
        console.print(
            f"  * serial, one request at a time through django.test.Client.  Worker RSS after the run: {rss} MB.  "
            f"Generated in {result['generate_seconds']:.0f} s."
        )


def markdown(results: list[dict]) -> str:
    """The results as one markdown table per size, for docs/benchmarks.md."""
    lines = []
    for result in results:
        lines += [
            f"**{result['products']:,} products, {result['database']}** — {result['tool']}, {result['connections']} "
            f"connections × {result['seconds']:.0f} s per page, {result['workers']} gunicorn workers × "
            f"{result['threads_per_worker']} threads; floor {result['floor']['rps']:.0f} req/s "
            f"(p95 {result['floor']['p95_ms']:.0f} ms); load average {result['load_average_before'][0]:.1f} → "
            f"{result['load_average_after'][0]:.1f} on {result['cpus']} cores; worker RSS after the run "
            f"{', '.join(f'{mb:.0f}' for mb in result['worker_rss_mb_end'])} MB; data generated in "
            f"{result['generate_seconds']:.0f} s ({result['at']})",
            "",
            "| page | req/s | p50 ms | p95 ms | p99 ms | queries (1st request) | × floor | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, page in result["pages"].items():
            lines.append(
                f"| {name} | {page['rps']:.1f} | {page['p50_ms']:.0f} | {page['p95_ms']:.0f} | {page['p99_ms']:.0f} "
                f"| {page['queries']:.0f} ({page.get('queries_first', page['queries']):.0f}) "
                f"| {page['ratio_to_floor']:.4f} | {page['errors']} |"
            )
        placed = result["place_order_in_process"]
        lines.append(
            f"| place order, in process (serial) | {placed['serial_rps']:.1f} | {placed['p50_ms']:.0f} "
            f"| {placed['p95_ms']:.0f} | {placed['p99_ms']:.0f} | {placed['queries']:.0f} | — | 0 |"
        )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10k,100k", help="catalog sizes, e.g. 10k,100k,1m (default 10k,100k)")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432"))
    parser.add_argument("--seconds", type=float, default=8, help="load per page (default 8)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as `tradeloop demo`)")
    parser.add_argument("--tool", choices=("wrk", "python"), help="load generator (default: wrk when installed)")
    parser.add_argument("--redraw", action="store_true", help="only print the table and draw the chart")
    parser.add_argument("--markdown", action="store_true", help="also print the tables as markdown")
    args = parser.parse_args()
    console = Console(width=max(120, Console().width))
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    if not args.redraw:
        for products in sizes:
            label = label_of(products)
            if args.db == "sqlite":
                env = sqlite_database(label, console)
            else:
                env = postgresql_database(label, args.pg_url.rstrip("/"), console)
            out = RESULTS / f"pages-{args.db}-{label}.json"
            argv = [sys.executable, "-m", "bench.pages", "--products", str(products), "--label", label]
            argv += ["--seconds", str(args.seconds), "--connections", str(args.connections)]
            argv += ["--workers", str(args.workers), "--out", str(out)]
            if args.tool:
                argv += ["--tool", args.tool]
            subprocess.run(argv, env=env, check=True, cwd=REPO)
    results = results_for(args.db)
    shown = [r for r in results if args.redraw or r["products"] in sizes]
    print_table(shown, console)
    if args.markdown:
        print(markdown(shown))
    if results:
        chart = RESULTS / f"pages-{args.db}.svg"
        write_chart(results, chart)
        console.print(f"Wrote {chart.relative_to(REPO)} and {len(shown)} JSON file(s) in bench/results/")


if __name__ == "__main__":
    main()
