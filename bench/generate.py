"""Synthetic marketplace data, written straight into the tables with bulk_create (no services, no signals).

    generate(products=100_000)  # in a migrated, empty database (Django set up by the caller)

Per 1,000 products one merchant (Organization) with its default warehouse; a two-level category tree (8 × 6);
products in English and Chinese with slugs and their list-page summary (price_from, compare_at_from, in_stock,
rating_avg/count, sold_count, cover empty), 1–3 variants each with a stock row in the seller's default warehouse;
1 % second-hand listings (c2c: kind listing + Listing row) from private sellers; one place per 20 products
(o2o, the places bench's rows) and one live group-buy deal per 200 (kind deal + Deal row, valid at one of its
business's places), both from local businesses; 50 buyers and one paid order per 100 products. Ids are given explicitly (the
database is fresh), so nothing is read back; PostgreSQL's sequences are moved past them at the end.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction

from tradeloop.accounts.models import Organization, User
from tradeloop.c2c.models import Listing
from tradeloop.catalog.models import Category, Product, Variant
from tradeloop.core import clock
from tradeloop.inventory.models import Stock, Warehouse
from tradeloop.inventory.services import DEFAULT_WAREHOUSE_CODE
from tradeloop.o2o.models import Deal, Place
from tradeloop.orders.models import Order, OrderLine

BATCH = 2_000
PRODUCTS_PER_SELLER = 1_000
ROOTS = [
    ("tea", "Tea", "茶叶"),
    ("fruit", "Fruit", "水果"),
    ("electronics", "Electronics", "电子产品"),
    ("home", "Home", "家居"),
    ("clothing", "Clothing", "服装"),
    ("books", "Books", "图书"),
    ("beauty", "Beauty", "美妆"),
    ("sports", "Sports", "运动"),
]
LEAVES = [("a", "Classic", "经典"), ("b", "Premium", "精选"), ("c", "Gift", "礼盒"), ("d", "Daily", "日常"),
          ("e", "Travel", "旅行"), ("f", "Kids", "儿童")]  # fmt: skip
ADJECTIVES = ["Fresh", "Organic", "Smart", "Classic", "Handmade", "Premium", "Compact", "Golden", "Silk", "Wild"]
ADJECTIVES_ZH = ["新鲜", "有机", "智能", "经典", "手工", "优质", "小巧", "金色", "丝绸", "野生"]
NOUNS = ["Oolong", "Lychee", "Speaker", "Teapot", "Scarf", "Notebook", "Serum", "Racket", "Lamp", "Backpack"]
NOUNS_ZH = ["乌龙茶", "荔枝", "音箱", "茶壶", "围巾", "笔记本", "精华液", "球拍", "台灯", "背包"]
SIZES = [("Small", "小号"), ("Medium", "中号"), ("Large", "大号")]
CITIES = ["Shanghai", "Beijing", "Hangzhou", "Shenzhen", "Chengdu", "Guangzhou", "Wuhan", "Xi'an"]
BUYERS = 50
SEARCH_WORD = "Oolong"  # every tenth product has it in its title: the search page's query


def _chunks(total: int, size: int = BATCH):
    for start in range(0, total, size):
        yield start, min(size, total - start)


def _reset_sequences(models) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's rowid continues after the highest id by itself
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _kind(n: int, physical: int, deals: int) -> str:
    """Product n's kind: physical goods first, then the deals, then the second-hand listings."""
    if n < physical:
        return Product.Kind.PHYSICAL
    return Product.Kind.DEAL if n < physical + deals else Product.Kind.LISTING


def _seller_of(kind: str, n: int, sellers: int, personal: int, businesses: int) -> int:
    """Merchants sell physical goods, private sellers the listings, local businesses the deals."""
    if kind == Product.Kind.LISTING:
        return sellers + 1 + n % personal
    if kind == Product.Kind.DEAL:
        return sellers + personal + 1 + n % businesses
    return 1 + n % sellers


def _deals(product_ids: range, businesses: int, now) -> None:
    """A live deal for each deal product, on sale for a month and valid at a place of its business (place i + 1
    belongs to business i % businesses, as product n's seller is business n % businesses)."""
    rows = [
        Deal(id=i + 1, product_id=pid, state=Deal.State.LIVE, sale_starts_at=now - timedelta(days=1),
             sale_ends_at=now + timedelta(days=30), usage_rules="One voucher per visit.", usage_rules_zh="每次限用一张。",
             stock_cap=5_000, sold_count=(pid * 37) % 900, buyer_count=(pid * 37) % 900)
        for i, pid in enumerate(product_ids)
    ]  # fmt: skip
    Deal.objects.bulk_create(rows, batch_size=BATCH)
    through = Deal.places.through
    through.objects.bulk_create(
        [through(deal_id=row.id, place_id=(row.product_id - 1) % businesses + 1) for row in rows], batch_size=BATCH
    )


def generate(products: int, advance: Callable[[str, int, int], None] | None = None, seed: int = 42) -> dict:
    """Write `products` products (and the rest, see the module) and return what was written, by table.
    `advance(step, done, total)` is told after every batch."""
    rng = random.Random(seed)
    now = clock.now()
    tell = advance or (lambda step, done, total: None)
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")  # this loading connection only; the server keeps NORMAL

    sellers = max(1, products // PRODUCTS_PER_SELLER)
    personal = max(1, products // 10_000)
    businesses = max(1, products // 20_000)
    with transaction.atomic():
        orgs = [
            Organization(id=i + 1, kind=Organization.Kind.MERCHANT, name=f"Bench Store {i + 1}",
                         slug=f"bench-store-{i + 1}", city=CITIES[i % len(CITIES)], description="A bench seller.")
            for i in range(sellers)
        ]  # fmt: skip
        orgs += [
            Organization(id=sellers + i + 1, kind=Organization.Kind.PERSONAL, name=f"Bench Person {i + 1}",
                         slug=f"bench-person-{i + 1}", city=CITIES[i % len(CITIES)])
            for i in range(personal)
        ]  # fmt: skip
        orgs += [
            Organization(id=sellers + personal + i + 1, kind=Organization.Kind.LOCAL_BUSINESS,
                         name=f"Bench Shop {i + 1}", slug=f"bench-shop-{i + 1}", city=CITIES[i % len(CITIES)])
            for i in range(businesses)
        ]  # fmt: skip
        Organization.objects.bulk_create(orgs, batch_size=BATCH)
        Warehouse.objects.bulk_create(
            [Warehouse(id=o.id, seller_id=o.id, code=DEFAULT_WAREHOUSE_CODE, name="Main warehouse", priority=0)
             for o in orgs],
            batch_size=BATCH,
        )  # fmt: skip
        categories, leaves = [], []
        for r, (slug, name, name_zh) in enumerate(ROOTS):
            root = Category(id=len(categories) + 1, slug=slug, name=name, name_zh=name_zh, path=f"{slug}/", depth=0,
                            position=r)  # fmt: skip
            categories.append(root)
            for p, (leaf, leaf_name, leaf_zh) in enumerate(LEAVES):
                child = Category(id=len(categories) + 1, parent_id=root.id, slug=f"{slug}-{leaf}",
                                 name=f"{leaf_name} {name.lower()}", name_zh=f"{leaf_zh}{name_zh}",
                                 path=f"{slug}/{slug}-{leaf}/", depth=1, position=p)  # fmt: skip
                categories.append(child)
                leaves.append(child.id)
        Category.objects.bulk_create(categories)
        User.objects.bulk_create(
            [User(id=i + 1, email=f"buyer{i + 1}@bench.example", name=f"Buyer {i + 1}", password="!")
             for i in range(BUYERS)]
        )  # fmt: skip

    variant_id = 0
    listings = max(1, products // 100)
    deals = max(10, products // 200)
    physical = products - listings - deals
    prices: dict[int, tuple[int, Decimal, int]] = {}  # a sample of variants for the orders: id → (seller, price, pid)
    for start, size in _chunks(products):
        product_rows, variant_rows, stock_rows, listing_rows = [], [], [], []
        for n in range(start, start + size):
            pid = n + 1
            kind = _kind(n, physical, deals)
            is_listing = kind == Product.Kind.LISTING
            seller = _seller_of(kind, n, sellers, personal, businesses)
            adjective, noun = n % len(ADJECTIVES), (n // len(ADJECTIVES)) % len(NOUNS)
            count = 1 if kind != Product.Kind.PHYSICAL else 1 + rng.randrange(3)
            base = Decimal(rng.randint(500, 99_900)) / 100
            discounted = n % 5 == 0 or kind == Product.Kind.DEAL  # a deal shows its original price
            stocks = [0 if rng.random() < 0.05 else rng.randint(1, 500) for _ in range(count)]
            if kind == Product.Kind.DEAL:
                stocks = [5_000]
            rated = rng.randint(0, 200) if n % 3 else 0
            product_rows.append(
                Product(
                    id=pid,
                    seller_id=seller,
                    category_id=leaves[n % len(leaves)],
                    kind=kind,
                    status=Product.Status.PUBLISHED,
                    title=f"{ADJECTIVES[adjective]} {NOUNS[noun]} {pid}",
                    title_zh=f"{ADJECTIVES_ZH[adjective]}{NOUNS_ZH[noun]} {pid}",
                    slug=f"{ADJECTIVES[adjective].lower()}-{NOUNS[noun].lower()}-{pid}",
                    description=f"<p>{ADJECTIVES[adjective]} {NOUNS[noun].lower()}, bench product {pid}.</p>",
                    description_zh=f"<p>{ADJECTIVES_ZH[adjective]}{NOUNS_ZH[noun]}，测试商品 {pid}。</p>",
                    condition=Product.Condition.GOOD if is_listing else Product.Condition.NEW,
                    attributes={"Origin": CITIES[n % len(CITIES)]},
                    attributes_zh={"产地": CITIES[n % len(CITIES)]},
                    price_from=base,
                    compare_at_from=base + 10 if discounted else None,
                    in_stock=any(stocks),
                    rating_avg=Decimal(rng.randint(300, 500)) / 100 if rated else 0,
                    rating_count=rated,
                    sold_count=rng.randint(0, 2_000),
                    is_featured=n % 97 == 0,
                    created_at=now - timedelta(minutes=products - n),
                    updated_at=now,
                    published_at=now - timedelta(minutes=products - n),
                )
            )
            for k in range(count):
                variant_id += 1
                price = base + 5 * k
                variant_rows.append(
                    Variant(id=variant_id, product_id=pid, sku=f"B{pid}-{k}", name=SIZES[k][0], name_zh=SIZES[k][1],
                            options={"Size": SIZES[k][0]}, price=price,
                            compare_at_price=price + 10 if discounted else None, stock=stocks[k],
                            weight_grams=250 * (k + 1), position=k)
                )  # fmt: skip
                stock_rows.append(Stock(id=variant_id, variant_id=variant_id, warehouse_id=seller, on_hand=stocks[k]))
                if kind == Product.Kind.PHYSICAL and stocks[k] and len(prices) < 5_000 and n % 7 == 0:
                    prices[variant_id] = (seller, price, pid)
            if is_listing:
                listing_rows.append(
                    Listing(product_id=pid, city=CITIES[n % len(CITIES)], expires_at=now + timedelta(days=30))
                )
        with transaction.atomic():
            Product.objects.bulk_create(product_rows, batch_size=BATCH)
            Variant.objects.bulk_create(variant_rows, batch_size=BATCH)
            Stock.objects.bulk_create(stock_rows, batch_size=BATCH)
            Listing.objects.bulk_create(listing_rows, batch_size=BATCH)
        tell("products", start + size, products)

    places = max(100, products // 20)
    from bench.places import _row as place_row  # the places bench's spread over China's cities

    place_rng = random.Random(seed)
    for start, size in _chunks(places):
        rows = []
        for i in range(size):
            business = Organization(id=sellers + personal + 1 + (start + i) % businesses)
            row = place_row(place_rng, business, start + i)
            row.id = start + i + 1
            rows.append(row)
        Place.objects.bulk_create(rows, batch_size=BATCH)
        tell("places", start + size, places)
    _deals(range(physical + 1, physical + deals + 1), businesses, now)

    orders = max(10, products // 100)
    sample = list(prices.items())
    for start, size in _chunks(orders):
        order_rows, line_rows = [], []
        for i in range(start, start + size):
            vid, (seller, price, pid) = sample[i % len(sample)]
            quantity = 1 + i % 3
            total = price * quantity
            at = now - timedelta(minutes=orders - i)
            order_rows.append(
                Order(id=i + 1, number=f"B{i + 1:010d}", state=Order.State.PAID, buyer_id=1 + i % BUYERS,
                      seller_id=seller, subtotal=total, total=total, placed_at=at, paid_at=at,
                      shipping_address={"name": "Bench Buyer", "city": "Shanghai"})
            )  # fmt: skip
            line_rows.append(
                OrderLine(id=i + 1, order_id=i + 1, variant_id=vid, product_title=f"Bench product {pid}",
                          sku=f"B{pid}", quantity=quantity, unit_price=price, line_total=total)
            )  # fmt: skip
        with transaction.atomic():
            Order.objects.bulk_create(order_rows, batch_size=BATCH)
            OrderLine.objects.bulk_create(line_rows, batch_size=BATCH)
        tell("orders", start + size, orders)

    _reset_sequences([Organization, Warehouse, Category, User, Product, Variant, Stock, Place, Deal, Order, OrderLine])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "products": products,
        "listings": listings,
        "variants": variant_id,
        "sellers": sellers,
        "categories": len(categories),
        "places": places,
        "deals": deals,
        "orders": orders,
        "search_word": SEARCH_WORD,
    }
