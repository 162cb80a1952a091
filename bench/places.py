"""Benchmark: nearby search over 100,000 places spread over China's cities, on the configured database.

    TRADELOOP_DATA_DIR=/tmp/bench .venv/bin/python bench/places.py                        # SQLite
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tradeloop_bench \\
        .venv/bin/python bench/places.py                                                  # PostgreSQL

The database is migrated first; the bench business's places are replaced by --places new ones (bulk_create),
scattered around 30 cities in proportion to their size (a normal spread of about 8 km, so city centres are dense).
Then --queries random positions near those cities are searched at 3 km and at 10 km (o2o.place_selectors.nearby,
sorted by distance, first page of 24), and a city is browsed without a position. It prints p50/p95/max and the rows
read (the candidates of the touched grid cells) against the places found, and writes bench/results/places-<vendor>.json.
Results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradeloop.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402
from rich.table import Table  # noqa: E402

from tradeloop.accounts import services as accounts  # noqa: E402
from tradeloop.accounts.models import Organization, User  # noqa: E402
from tradeloop.o2o import geo  # noqa: E402
from tradeloop.o2o import place_selectors as selectors  # noqa: E402
from tradeloop.o2o.models import Place  # noqa: E402

BENCH_EMAIL = "bench-places@example.com"
BATCH = 2_000
SPREAD_DEGREES = 0.075  # one standard deviation, about 8 km
# (English, Chinese, latitude, longitude, weight ≈ millions of people in the urban area)
CITIES = [
    ("Shanghai", "上海", 31.2304, 121.4737, 24),
    ("Beijing", "北京", 39.9042, 116.4074, 21),
    ("Chongqing", "重庆", 29.5630, 106.5516, 16),
    ("Guangzhou", "广州", 23.1291, 113.2644, 18),
    ("Shenzhen", "深圳", 22.5431, 114.0579, 17),
    ("Chengdu", "成都", 30.5728, 104.0668, 16),
    ("Tianjin", "天津", 39.3434, 117.3616, 13),
    ("Wuhan", "武汉", 30.5928, 114.3055, 12),
    ("Xi'an", "西安", 34.3416, 108.9398, 12),
    ("Hangzhou", "杭州", 30.2741, 120.1551, 12),
    ("Nanjing", "南京", 32.0603, 118.7969, 9),
    ("Suzhou", "苏州", 31.2990, 120.5853, 9),
    ("Zhengzhou", "郑州", 34.7466, 113.6254, 10),
    ("Changsha", "长沙", 28.2282, 112.9388, 8),
    ("Shenyang", "沈阳", 41.8057, 123.4315, 8),
    ("Qingdao", "青岛", 36.0671, 120.3826, 8),
    ("Harbin", "哈尔滨", 45.8038, 126.5350, 7),
    ("Kunming", "昆明", 25.0389, 102.7183, 6),
    ("Dalian", "大连", 38.9140, 121.6147, 6),
    ("Xiamen", "厦门", 24.4798, 118.0894, 5),
    ("Hefei", "合肥", 31.8206, 117.2272, 6),
    ("Fuzhou", "福州", 26.0745, 119.2965, 5),
    ("Jinan", "济南", 36.6512, 117.1201, 6),
    ("Nanning", "南宁", 22.8170, 108.3665, 5),
    ("Guiyang", "贵阳", 26.6470, 106.6302, 4),
    ("Lanzhou", "兰州", 36.0611, 103.8343, 4),
    ("Urumqi", "乌鲁木齐", 43.8256, 87.6168, 4),
    ("Lhasa", "拉萨", 29.6500, 91.1000, 1),
    ("Haikou", "海口", 20.0440, 110.1999, 3),
    ("Hohhot", "呼和浩特", 40.8424, 111.7490, 3),
]


def bench_business() -> Organization:
    owner = User.objects.filter(email=BENCH_EMAIL).first()
    if owner is None:
        owner = accounts.sign_up(email=BENCH_EMAIL, password="bench-password-42", name="Bench")
    org = Organization.objects.filter(memberships__user=owner, kind=Organization.Kind.LOCAL_BUSINESS).first()
    if org is None:
        org = accounts.create_organization(actor=owner, kind=Organization.Kind.LOCAL_BUSINESS, name="Bench Places")
    return org


def _row(rng: random.Random, seller: Organization, n: int) -> Place:
    city, city_zh, lat, lng, _ = rng.choices(CITIES, weights=[c[4] for c in CITIES])[0]
    lat, lng = rng.gauss(lat, SPREAD_DEGREES), rng.gauss(lng, SPREAD_DEGREES)
    count = rng.randint(0, 400)
    return Place(
        seller=seller,
        name=f"Bench place {n}",
        name_zh=f"测试门店 {n}",
        city=city,
        city_zh=city_zh,
        latitude=lat,
        longitude=lng,
        geo_cell=geo.cell_of(lat, lng),
        rating_avg=round(rng.uniform(3, 5), 2),
        rating_count=count,
        rating_score=round(rng.uniform(0, 0.95) if count else 0, 3),
        price_from=rng.randint(19, 399) if n % 3 else None,
        sold_count=rng.randint(0, 5000),
    )


def generate(seller: Organization, places: int, console: Console) -> float:
    Place.objects.filter(seller=seller).delete()
    rng = random.Random(42)
    started = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Creating places", total=places)
        for start in range(0, places, BATCH):
            size = min(BATCH, places - start)
            Place.objects.bulk_create([_row(rng, seller, start + i) for i in range(size)], batch_size=BATCH)
            progress.advance(task, size)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_nearby(rng: random.Random, radius: float, queries: int) -> dict:
    timings, read, found = [], [], []
    for _ in range(queries):
        _, _, lat, lng, _ = rng.choices(CITIES, weights=[c[4] for c in CITIES])[0]
        lat, lng = rng.gauss(lat, SPREAD_DEGREES), rng.gauss(lng, SPREAD_DEGREES)
        started = time.perf_counter()
        page = selectors.nearby(lat, lng, radius, limit=24)
        timings.append((time.perf_counter() - started) * 1000)
        read.append(selectors.candidates(selectors.Point(lat, lng), radius).count())
        found.append(len(page.items))
    return _summary(timings) | {
        "rows_read_mean": statistics.mean(read),
        "rows_read_max": max(read),
        "page_items_mean": statistics.mean(found),
    }


def time_browse(rng: random.Random, queries: int) -> dict:
    timings = []
    for _ in range(queries):
        city = rng.choice(CITIES)[0]
        started = time.perf_counter()
        selectors.browse(city=city, sort=rng.choice(("rating", "price")), limit=24)
        timings.append((time.perf_counter() - started) * 1000)
    return _summary(timings)


def _summary(timings: list[float]) -> dict:
    return {
        "queries": len(timings),
        "p50_ms": round(percentile(timings, 0.5), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--places", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    console = Console()
    vendor = connection.vendor
    console.print(f"Database: {vendor} {settings.DATABASES['default']['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    seller = bench_business()
    seconds = generate(seller, args.places, console)
    console.print(f"{args.places:,} places created in {seconds:.1f} s")
    rng = random.Random(7)
    for radius in (3.0, 10.0):  # warm up: the first queries pay for the page cache
        selectors.nearby(31.23, 121.47, radius)
    results = {
        "database": vendor,
        "places": args.places,
        "create_seconds": round(seconds, 1),
        "nearby_3km": time_nearby(rng, 3.0, args.queries),
        "nearby_10km": time_nearby(rng, 10.0, args.queries),
        "browse_city": time_browse(rng, args.queries),
    }
    table = Table(title=f"Nearby search, {args.places:,} places ({vendor})")
    for column in ("search", "queries", "p50 ms", "p95 ms", "max ms", "rows read (mean / max)", "on page"):
        table.add_column(column, justify="left" if column == "search" else "right")
    for label, key in (
        ("within 3 km", "nearby_3km"),
        ("within 10 km", "nearby_10km"),
        ("city, no position", "browse_city"),
    ):
        r = results[key]
        rows = f"{r['rows_read_mean']:,.0f} / {r['rows_read_max']:,}" if "rows_read_mean" in r else "—"
        page = f"{r['page_items_mean']:.1f}" if "page_items_mean" in r else "24"
        table.add_row(
            label, str(r["queries"]), f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}", f"{r['max_ms']:.1f}", rows, page
        )
    console.print(table)
    out = Path(__file__).resolve().parent / "results" / f"places-{vendor}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    console.print(f"Written to {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


if __name__ == "__main__":
    main()
