"""Benchmark: import a 10,000-row catalog CSV into the configured database, then import it again (updates).

    TRADELOOP_DATA_DIR=/tmp/bench .venv/bin/python bench/import_catalog.py                 # SQLite
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tradeloop_bench \\
        .venv/bin/python bench/import_catalog.py                                           # PostgreSQL

The database is migrated first; the bench seller's products are deleted before the first run so every
run starts from the same state. Results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradeloop.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from tradeloop.accounts import services as accounts  # noqa: E402
from tradeloop.accounts.models import Organization, User  # noqa: E402
from tradeloop.catalog.imports import import_catalog  # noqa: E402
from tradeloop.catalog.models import Category  # noqa: E402

SIZES = ("500 g", "1 kg", "5 kg box", "10 kg crate")
BENCH_EMAIL = "bench-importer@example.com"


def write_catalog(path: Path, rows: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = ["handle", "title", "sku", "price", "compare_at_price", "stock", "weight_grams", "category"]
    columns += ["kind", "options", "attributes", "description"]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for n in range(rows):
            product, size = divmod(n, len(SIZES))
            writer.writerow(
                {
                    "handle": f"bench-{product}",
                    "title": f"Bench product {product}" if size == 0 else "",
                    "sku": f"B{product}-{size}",
                    "price": f"{5 + product % 90 + size * 7}.90",
                    "compare_at_price": f"{15 + product % 90 + size * 7}.00" if product % 5 == 0 else "",
                    "stock": str((product * 7 + size) % 120),
                    "weight_grams": str(500 * (size + 1)),
                    "category": "bench-fruit" if product % 3 else "",
                    "kind": "physical",
                    "options": f"Size={SIZES[size]}",
                    "attributes": f"Origin=Orchard {product % 40}; Grade={'A' if product % 2 else 'B'}"
                    if size == 0
                    else "",
                    "description": f"<p>Bench product number {product}.</p>" if size == 0 else "",
                }
            )


def bench_seller() -> Organization:
    owner = User.objects.filter(email=BENCH_EMAIL).first()
    if owner is None:
        owner = accounts.sign_up(email=BENCH_EMAIL, password="bench-password-42", name="Bench")
    seller = Organization.objects.filter(memberships__user=owner, kind=Organization.Kind.MERCHANT).first()
    if seller is None:
        seller = accounts.create_organization(actor=owner, kind=Organization.Kind.MERCHANT, name="Bench Fruit")
    seller.owner = owner
    Category.objects.get_or_create(slug="bench-fruit", defaults={"name": "Bench fruit"})
    return seller


def timed_import(seller: Organization, path: Path, console: Console):
    started, cpu_started = time.perf_counter(), time.process_time()
    result = import_catalog(actor=seller.owner, seller=seller, source=path, publish=True)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if result.errors:
        console.print(f"[red]{len(result.errors)} row errors[/red], first: {result.errors[0]}")
    return result, seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    console = Console()
    database = settings.DATABASES["default"]
    console.print(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    path = Path(__file__).resolve().parent / "data" / f"catalog-{args.rows}.csv"
    write_catalog(path, args.rows)
    seller = bench_seller()
    seller.products.all().delete()

    table = Table(title=f"Catalog import, {args.rows:,} rows")
    for column in ("run", "seconds", "rows/s", "CPU s", "products", "variants"):
        table.add_column(column, justify="right" if column != "run" else "left")
    for label in ("first import (creates)", "same file again (updates)"):
        result, seconds, cpu = timed_import(seller, path, console)
        products = result.products_created + result.products_updated
        variants = result.variants_created + result.variants_updated
        table.add_row(
            label, f"{seconds:.2f}", f"{result.rows / seconds:,.0f}", f"{cpu:.2f}", f"{products:,}", f"{variants:,}"
        )
    console.print(table)


if __name__ == "__main__":
    main()
