"""Benchmark: import a 10,000-row catalog CSV into the configured database, then import it again (updates),
then time the naive per-row ORM save loop on the first rows of the same file (the baseline the importer must beat
ten times over: the same rows one at a time through the console's services) and report the process's peak memory.

    TRADELOOP_DATA_DIR=/tmp/bench .venv/bin/python bench/import_catalog.py                 # SQLite
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tradeloop_bench \\
        .venv/bin/python bench/import_catalog.py                                           # PostgreSQL
    .venv/bin/python bench/import_catalog.py --rows 1000000                         # a million rows

The database is migrated first; the bench seller's products are deleted before the first run so every
run starts from the same state. Results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
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
from tradeloop.catalog import services as catalog  # noqa: E402
from tradeloop.catalog.imports import import_catalog  # noqa: E402
from tradeloop.catalog.models import Category, Product  # noqa: E402

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


def row_by_row(seller: Organization, path: Path, rows: int) -> float:
    """The baseline: the same rows saved one at a time through the console's services (create the product,
    save each variant with its stock, publish), each its own transaction, as a per-row loop would (rows/s)."""
    products: dict[str, Product] = {}
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as source:
        for n, row in enumerate(csv.DictReader(source)):
            if n == rows:
                break
            product = products.get(row["handle"])
            if product is None:
                product = catalog.create_product(
                    actor=seller.owner, seller=seller, title=f"Row by row {row['handle']}", category=row["category"]
                )
                products[row["handle"]] = product
            size = row["options"].partition("=")[2]
            variant = catalog.VariantInput(sku=row["sku"], price=row["price"], stock=int(row["stock"]), name=size)
            catalog.save_variant(actor=seller.owner, product=product, data=variant)
            if product.status != Product.Status.PUBLISHED:
                catalog.publish(actor=seller.owner, product=product)
    return rows / (time.perf_counter() - started)


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--baseline-rows", type=int, default=2_000, help="rows of the per-row ORM save loop")
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
    figures = {"database": database["ENGINE"].rsplit(".", 1)[-1], "rows": args.rows, "runs": []}
    for label in ("first import (creates)", "same file again (updates)"):
        result, seconds, cpu = timed_import(seller, path, console)
        products = result.products_created + result.products_updated
        variants = result.variants_created + result.variants_updated
        rate = result.rows / seconds
        table.add_row(label, f"{seconds:.2f}", f"{rate:,.0f}", f"{cpu:.2f}", f"{products:,}", f"{variants:,}")
        figures["runs"].append({"run": label, "seconds": round(seconds, 2), "rows_per_s": round(rate), "cpu": cpu})
    figures["peak_memory_mb"] = round(peak_memory_mb())
    naive = row_by_row(seller, path, min(args.baseline_rows, args.rows))
    figures["row_by_row_rows_per_s"] = round(naive)
    figures["speedup_over_row_by_row"] = round(figures["runs"][0]["rows_per_s"] / naive, 1)
    console.print(table)
    console.print(
        f"Per-row ORM save loop: {naive:,.0f} rows/s, so the importer creates "
        f"{figures['speedup_over_row_by_row']}× faster. Peak memory of this process: {figures['peak_memory_mb']} MB."
    )
    out = Path(__file__).resolve().parent / "results" / f"import-{figures['database']}-{args.rows}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    console.print(f"Wrote {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


if __name__ == "__main__":
    main()
