"""Benchmark: the one search box over 10k, 100k and 1M products, on the configured database.

    TRADELOOP_DATA_DIR=/tmp/h1bench .venv/bin/python bench/search.py                          # SQLite
    createdb -h 127.0.0.1 -U postgres h1bench
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/h1bench .venv/bin/python bench/search.py   # PostgreSQL

    [--sizes 10000,100000,1000000] [--repeat 15]

The database is migrated; the bench seller's products are replaced. Products are generated from a vocabulary of
about 120 English/Chinese goods words with a skewed (Zipf-like) spread, so common words ("tea", 苹果) match a few
per cent of everything, and bulk-inserted straight into the catalog table and the search index (the index rows normalised with
search.normalise as `tradeloop reindex` does, word by word with a cache) up to --base (10,000); the larger sizes
are reached by copying those rows in SQL (products and index rows, ids shifted, the FTS5 triggers and the GIN
index maintained as for any insert), doubling at most per step, so 1M products load in minutes. At each size a mixed set of queries (English, two
English words, Chinese, a typo, with facets and price/category filters, sorted by price, a category browse) runs
--repeat times through search.engine (parse → correct → match → rank → facets → first page), and p50/p95/p99 are
printed and written to bench/results/search-<vendor>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradeloop.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn  # noqa: E402
from rich.table import Table  # noqa: E402

from tradeloop.accounts import services as accounts  # noqa: E402
from tradeloop.accounts.models import Organization, User  # noqa: E402
from tradeloop.catalog.models import Category, Product  # noqa: E402
from tradeloop.core import clock  # noqa: E402
from tradeloop.search import engine, indexing  # noqa: E402
from tradeloop.search.models import SearchDocument, SearchTerm  # noqa: E402
from tradeloop.search.normalise import normalise  # noqa: E402

BENCH_EMAIL = "bench-search@example.com"
BATCH = 5_000
NOUNS = [
    ("tea", "茶"), ("apple", "苹果"), ("strawberry", "草莓"), ("chocolate", "巧克力"), ("coffee", "咖啡"),
    ("rice", "大米"), ("noodles", "面条"), ("milk", "牛奶"), ("honey", "蜂蜜"), ("walnut", "核桃"),
    ("mango", "芒果"), ("banana", "香蕉"), ("orange", "橙子"), ("grape", "葡萄"), ("peach", "桃子"),
    ("pear", "梨"), ("cherry", "樱桃"), ("lemon", "柠檬"), ("melon", "甜瓜"), ("pineapple", "菠萝"),
    ("headphones", "耳机"), ("charger", "充电器"), ("keyboard", "键盘"), ("mouse", "鼠标"), ("monitor", "显示器"),
    ("camera", "相机"), ("phone case", "手机壳"), ("speaker", "音箱"), ("watch", "手表"), ("tablet", "平板"),
    ("towel", "毛巾"), ("pillow", "枕头"), ("blanket", "毯子"), ("teapot", "茶壶"), ("mug", "杯子"),
    ("bowl", "碗"), ("chopsticks", "筷子"), ("wok", "炒锅"), ("kettle", "水壶"), ("lamp", "台灯"),
    ("jacket", "夹克"), ("shirt", "衬衫"), ("dress", "连衣裙"), ("shoes", "鞋子"), ("socks", "袜子"),
    ("backpack", "背包"), ("umbrella", "雨伞"), ("scarf", "围巾"), ("gloves", "手套"), ("hat", "帽子"),
    ("bicycle", "自行车"), ("helmet", "头盔"), ("tent", "帐篷"), ("football", "足球"), ("racket", "球拍"),
    ("notebook", "笔记本"), ("pen", "钢笔"), ("desk", "书桌"), ("chair", "椅子"), ("bookshelf", "书架"),
]  # fmt: skip
ADJECTIVES = [
    ("fresh", "新鲜"), ("organic", "有机"), ("green", "绿色"), ("red", "红色"), ("black", "黑色"),
    ("wireless", "无线"), ("portable", "便携"), ("classic", "经典"), ("premium", "优质"), ("handmade", "手工"),
    ("cotton", "纯棉"), ("wooden", "木质"), ("ceramic", "陶瓷"), ("steel", "不锈钢"), ("vintage", "复古"),
    ("sweet", "香甜"), ("spicy", "麻辣"), ("large", "大号"), ("small", "小号"), ("light", "轻便"),
]  # fmt: skip
EXTRA = ["gift box", "family pack", "2025 edition", "limited", "imported", "local", "best seller", "new arrival"]
CATEGORIES = ["food", "drinks", "fruit", "electronics", "home", "kitchen", "clothing", "sports", "office", "outdoor"]
KINDS = ["physical"] * 8 + ["listing", "deal"]
QUERIES = [
    ("english", {"q": "tea"}),
    ("two words", {"q": "green tea"}),
    ("chinese", {"q": "苹果"}),
    ("chinese two", {"q": "有机 草莓"}),
    ("typo", {"q": "strawbery"}),
    ("facets", {"q": "chocolate", "category": "food", "price_max": "200", "in_stock": "1"}),
    ("sorted", {"q": "headphones", "sort": "price_asc"}),
    ("browse", {"category": "electronics", "sort": "sales"}),
]


def bench_seller() -> Organization:
    owner = User.objects.filter(email=BENCH_EMAIL).first()
    if owner is None:
        owner = User.objects.create_user(email=BENCH_EMAIL, password="bench-pass-123")
    org = Organization.objects.filter(slug="bench-search").first()
    if org is None:
        org = accounts.create_organization(actor=owner, kind="merchant", name="Bench Search Market")
        Organization.objects.filter(pk=org.pk).update(slug="bench-search")
        org.refresh_from_db()
    return org


def categories() -> dict[str, Category]:
    found = {}
    for slug in CATEGORIES:
        found[slug] = Category.objects.filter(slug=slug).first() or Category.objects.create(
            slug=slug, name=slug.title(), name_zh=slug
        )
    return found


_cache: dict[str, str] = {}


def norm(text: str) -> str:
    if text not in _cache:
        _cache[text] = normalise(text)
    return _cache[text]


def zipf(rng: random.Random, n: int) -> int:
    return min(n - 1, int(rng.paretovariate(1.1)) - 1)


def generate(seller: Organization, cats: dict[str, Category], start: int, stop: int, progress, task) -> None:
    rng = random.Random(start)
    now = clock.now()
    has_sold = hasattr(Product, "sold_count")
    cat_list = list(cats.values())
    for first in range(start, stop, BATCH):
        last = min(stop, first + BATCH)
        products, parts = [], []
        for n in range(first, last):
            noun, noun_zh = NOUNS[zipf(rng, len(NOUNS))]
            adj, adj_zh = ADJECTIVES[rng.randrange(len(ADJECTIVES))]
            extra = EXTRA[rng.randrange(len(EXTRA))]
            cat = cat_list[zipf(rng, len(cat_list))]
            title, title_zh = f"{adj.title()} {noun} {extra}", f"{adj_zh}{noun_zh}"
            fields = dict(
                seller=seller,
                category=cat,
                kind=KINDS[rng.randrange(len(KINDS))],
                status=Product.Status.PUBLISHED,
                title=title,
                title_zh=title_zh,
                slug=f"b{n}",
                price_from=Decimal(rng.randrange(100, 200_000)) / 100,
                in_stock=rng.random() > 0.1,
                rating_avg=Decimal(rng.randrange(30, 50)) / 10,
                rating_count=rng.randrange(0, 200),
                created_at=now - timedelta(minutes=stop - n),
            )
            if has_sold:
                fields["sold_count"] = rng.randrange(0, 5000)
            products.append(Product(**fields))
            parts.append((adj, noun, extra, adj_zh, noun_zh, cat))
        with transaction.atomic():
            Product.objects.bulk_create(products, batch_size=1000)
            if products[0].pk is None:  # SQLite before RETURNING: read the ids back
                ids = list(
                    Product.objects.filter(seller=seller).order_by("-pk").values_list("pk", flat=True)[: len(products)]
                )
                for product, pk in zip(products, reversed(ids), strict=True):
                    product.pk = pk
            docs = []
            for p, (adj, noun, extra, adj_zh, noun_zh, cat) in zip(products, parts, strict=True):
                title_terms = " ".join([norm(adj), norm(noun), norm(extra), norm(adj_zh + noun_zh)])
                docs.append(
                    SearchDocument(
                        source="product",
                        object_id=p.pk,
                        kind=p.kind,
                        title=p.title,
                        title_zh=p.title_zh,
                        url=f"/p/{p.pk}/{p.slug}/",
                        body=f"{title_terms} {norm(cat.name)} {norm('Bench Search Market')}",
                        title_terms=title_terms,
                        category_id=cat.pk,
                        category_path=cat.path,
                        price=p.price_from,
                        seller_id=seller.pk,
                        seller_name=seller.name,
                        rating=p.rating_avg,
                        rating_count=p.rating_count,
                        sold_count=getattr(p, "sold_count", 0),
                        in_stock=p.in_stock,
                        city="Nanjing",
                        created_at=p.created_at,
                    )
                )
            SearchDocument.objects.bulk_create(docs, batch_size=1000)
        progress.advance(task, last - first)


def grow(seller: Organization, have: int, want: int, progress, task) -> int:
    """From `have` to `want` products by copying the generated ones in SQL (products with their index rows, ids
    shifted), doubling at most per step: a million rows in minutes instead of an hour of Python."""
    product_cols = [f.column for f in Product._meta.concrete_fields if f.column not in ("id", "slug")]
    doc_cols = [f.column for f in SearchDocument._meta.concrete_fields if f.column not in ("id", "object_id", "url")]
    while have < want:
        step = min(have, want - have)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT MAX(id) FROM catalog_product")
            shift = cursor.fetchone()[0]
            cursor.execute(
                f"INSERT INTO catalog_product (id, slug, {', '.join(product_cols)}) "
                f"SELECT id + %s, slug || %s, {', '.join(product_cols)} FROM catalog_product "
                "WHERE seller_id = %s ORDER BY id LIMIT %s",
                [shift, f"-{shift}", seller.pk, step],
            )
            cursor.execute(
                f"INSERT INTO search_searchdocument (object_id, url, {', '.join(doc_cols)}) "
                f"SELECT object_id + %s, url, {', '.join(doc_cols)} FROM search_searchdocument "
                "WHERE source = 'product' AND seller_id = %s ORDER BY id LIMIT %s",
                [shift, seller.pk, step],
            )
        have += step
        progress.advance(task, step)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('catalog_product', 'id'), (SELECT MAX(id) FROM catalog_product))"
            )
    return have


def vocabulary() -> None:
    texts = [a for a, _ in ADJECTIVES] + [n for n, _ in NOUNS] + EXTRA + CATEGORIES + ["bench", "search", "market"]
    indexing._add_words(indexing.vocabulary(texts))


def measure(repeat: int) -> dict:
    figures = {}
    every = []
    for name, params in QUERIES:
        query = engine.parse(params)
        engine.search(query)  # warm
        took = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = engine.search(engine.parse(params))
            took.append((time.perf_counter() - started) * 1000)
        every += took
        figures[name] = {
            "p50_ms": round(statistics.median(took), 2),
            "total": result.total,
            "capped": result.total_capped,
            "corrected": result.corrected,
        }
    every.sort()
    pct = lambda p: round(every[min(len(every) - 1, int(len(every) * p))], 2)  # noqa: E731
    return {"queries": figures, "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99), "samples": len(every)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--base", type=int, default=10_000, help="products generated in Python; the rest are copies")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    console = Console()
    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    seller = bench_seller()
    cats = categories()
    console.print(f"[bold]search bench on {vendor}[/]: replacing the bench seller's products")
    SearchDocument.objects.filter(seller_id=seller.pk).delete()
    Product.objects.filter(seller=seller).delete()
    SearchTerm.objects.all().delete()
    vocabulary()
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
    results: dict = {"vendor": vendor, "candidates": engine.CANDIDATES, "sizes": {}}
    have = 0
    for size in sizes:
        started = time.perf_counter()
        with Progress(
            TextColumn(f"products → {size:,}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("generate", total=size - have)
            if have < args.base:
                generate(seller, cats, have, min(size, args.base), progress, task)
                progress.update(task, completed=min(size, args.base) - have)
            if size > args.base:
                grow(seller, max(have, args.base), size, progress, task)
        load_s = time.perf_counter() - started
        have = size
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE search_searchdocument")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        figures = measure(args.repeat)
        figures["load_seconds"] = round(load_s, 1)
        results["sizes"][str(size)] = figures
        console.print(f"{size:,}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms")
        out = Path(__file__).parent / "results" / f"search-{vendor}.json"
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    table = Table(
        title=f"search on {vendor}: p50 ms per query (ranking and facets over the first {engine.CANDIDATES} matches)"
    )
    table.add_column("query")
    for size in results["sizes"]:
        table.add_column(f"{int(size):,}", justify="right")
    for name, _ in QUERIES:
        table.add_row(name, *(str(fig["queries"][name]["p50_ms"]) for fig in results["sizes"].values()))
    for col in ("p50", "p95", "p99"):
        table.add_row(f"all {col}", *(str(fig[f"{col}_ms"]) for fig in results["sizes"].values()))
    console.print(table)
    first, last = results["sizes"][str(sizes[0])], results["sizes"][str(sizes[-1])]
    console.print(f"p95 at {sizes[-1]:,} / p95 at {sizes[0]:,} = {last['p95_ms'] / max(first['p95_ms'], 0.01):.2f}×")


if __name__ == "__main__":
    main()
