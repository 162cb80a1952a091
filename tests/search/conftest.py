"""A fixed corpus of 30 products (every kind) and 3 places in both languages, indexed, for the search tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories import seller_with_owner
from tradeloop.catalog.models import Category, Product
from tradeloop.core import clock
from tradeloop.search import indexing

# (title, title_zh, description, description_zh, category slug, kind, price, rating, ratings, in stock, sold)
CORPUS = [
    (
        "Fresh strawberries",
        "新鲜草莓",
        "Sweet, hand-picked this morning.",
        "",
        "fruit",
        "physical",
        "25",
        "4.8",
        40,
        True,
        300,
    ),
    (
        "Strawberry jam",
        "草莓酱",
        "Made from strawberries and sugar.",
        "",
        "pantry",
        "physical",
        "18",
        "4.2",
        12,
        True,
        90,
    ),
    ("", "红富士苹果", "", "脆甜多汁的红富士苹果，产地烟台。", "fruit", "physical", "39", "4.6", 25, True, 500),
    (
        "Crisp orchard fruit box",
        "",
        "A mixed box.",
        "本箱含苹果、梨和橙子。",
        "fruit",
        "physical",
        "88",
        "4.0",
        5,
        True,
        40,
    ),
    ("Dark chocolate bar", "黑巧克力", "70% cocoa.", "", "pantry", "physical", "15", "4.5", 30, True, 210),
    ("Milk chocolate truffles", "牛奶巧克力松露", "A box of 12.", "", "pantry", "physical", "68", "3.2", 8, False, 15),
    ("Green tea", "绿茶", "Longjing, spring picking.", "西湖龙井", "pantry", "physical", "120", "4.9", 60, True, 700),
    ("Oolong tea", "乌龙茶", "Roasted oolong.", "", "pantry", "physical", "95", "4.1", 9, True, 60),
    ("Organic bananas", "有机香蕉", "A bunch of six.", "", "fruit", "physical", "12", "0", 0, True, 20),
    ("Mango", "芒果", "Ripe Hainan mangoes.", "", "fruit", "physical", "30", "4.4", 14, True, 130),
    (
        "Wireless headphones",
        "无线耳机",
        "Noise cancelling.",
        "",
        "electronics",
        "physical",
        "599",
        "4.3",
        50,
        True,
        400,
    ),
    ("Phone charger", "手机充电器", "65 W USB-C.", "", "electronics", "physical", "99", "4.0", 20, True, 800),
    ("Mechanical keyboard", "机械键盘", "Brown switches.", "", "electronics", "physical", "459", "4.7", 35, True, 120),
    ("Smart watch", "智能手表", "Heart rate and GPS.", "", "electronics", "physical", "1299", "4.2", 18, False, 75),
    ("Laptop stand", "笔记本支架", "Aluminium.", "", "electronics", "physical", "149", "3.9", 7, True, 55),
    (
        "Used bicycle",
        "二手自行车",
        "City bike, 3 gears, some scratches.",
        "",
        "bikes",
        "listing",
        "350",
        "0",
        0,
        True,
        0,
    ),
    (
        "Second-hand camera",
        "二手相机",
        "Mirrorless, 24 MP, with a lens.",
        "",
        "electronics",
        "listing",
        "1800",
        "0",
        0,
        True,
        0,
    ),
    ("Vintage apple crate", "复古苹果木箱", "Old wooden crate.", "", "home", "listing", "80", "0", 0, True, 0),
    ("Kids' books bundle", "童书合集", "Twenty picture books.", "", "books", "listing", "60", "0", 0, False, 0),
    (
        "Hotpot for two",
        "双人火锅套餐",
        "Spicy broth, beef and vegetables.",
        "",
        "food-deals",
        "deal",
        "158",
        "4.6",
        120,
        True,
        900,
    ),
    (
        "Coffee and cake",
        "咖啡配蛋糕",
        "Any coffee with a slice of cake.",
        "",
        "food-deals",
        "deal",
        "35",
        "4.3",
        40,
        True,
        260,
    ),
    (
        "Strawberry picking ticket",
        "草莓采摘门票",
        "One hour at the farm, 1 kg to take home.",
        "",
        "food-deals",
        "deal",
        "59",
        "4.5",
        22,
        True,
        150,
    ),
    ("Haircut and wash", "洗剪吹", "With a senior stylist.", "", "beauty", "service", "68", "4.8", 80, True, 600),
    (
        "Home cleaning, 3 hours",
        "家政保洁3小时",
        "Kitchen, bathroom and floors.",
        "",
        "home-services",
        "service",
        "180",
        "4.1",
        16,
        True,
        110,
    ),
    ("Foot massage", "足疗", "60 minutes.", "", "beauty", "service", "128", "3.1", 10, True, 45),
    ("Ceramic teapot", "陶瓷茶壶", "Hand-thrown, for green tea.", "", "home", "physical", "210", "4.4", 11, True, 33),
    ("Cotton bath towel", "纯棉浴巾", "Soft and thick.", "", "home", "physical", "49", "4.0", 25, True, 310),
    ("Apple juice", "苹果汁", "Cold-pressed, 1 litre.", "", "pantry", "physical", "22", "4.2", 19, True, 180),
    ("Pineapple", "菠萝", "Sweet and ripe.", "", "fruit", "physical", "16", "3.8", 6, True, 70),
    ("Walnut kernels", "核桃仁", "500 g, shelled.", "", "pantry", "physical", "45", "4.6", 21, True, 95),
]
CATEGORIES = [
    ("food", "Food", "食品", None),
    ("fruit", "Fruit", "水果", "food"),
    ("pantry", "Pantry", "食品柜", "food"),
    ("electronics", "Electronics", "电子产品", None),
    ("bikes", "Bikes", "自行车", None),
    ("home", "Home", "家居", None),
    ("books", "Books", "图书", None),
    ("food-deals", "Food deals", "美食团购", None),
    ("beauty", "Beauty", "美容美发", None),
    ("home-services", "Home services", "家政服务", None),
]
# (name, name_zh, city, latitude, longitude, rating)
PLACES = [
    ("Strawberry Hair Salon", "草莓美发", "Nanjing", 32.0416, 118.7784, "4.7"),
    ("Golden Apple Cafe", "金苹果咖啡", "Nanjing", 32.0600, 118.7900, "4.2"),
    ("Shanghai Tea House", "上海茶馆", "Shanghai", 31.2304, 121.4737, "4.5"),
]


@pytest.fixture
def corpus(db):
    cats: dict[str, Category] = {}
    for slug, name, name_zh, parent in CATEGORIES:
        cats[slug] = Category.objects.create(slug=slug, name=name, name_zh=name_zh, parent=cats.get(parent))
    seller = seller_with_owner(name="Green Valley Market")
    seller.city = "Nanjing"
    seller.save(update_fields=["city"])
    start = clock.now() - timedelta(days=40)
    products = {}
    for n, (title, title_zh, desc, desc_zh, cat, kind, price, rating, count, stock, sold) in enumerate(CORPUS):
        p = Product.objects.create(
            seller=seller,
            category=cats[cat],
            kind=kind,
            status=Product.Status.PUBLISHED,
            title=title,
            title_zh=title_zh,
            slug=f"p{n}",
            description=desc,
            description_zh=desc_zh,
            price_from=Decimal(price),
            in_stock=stock,
            rating_avg=Decimal(rating),
            rating_count=count,
            created_at=start + timedelta(days=n),
        )
        if hasattr(p, "sold_count"):
            Product.objects.filter(pk=p.pk).update(sold_count=sold)
        products[title or title_zh] = p
    places = {}
    from tradeloop.o2o.models import Place

    for name, name_zh, city, lat, lng, rating in PLACES:
        places[name] = Place.objects.create(
            seller=seller, name=name, name_zh=name_zh, city=city, latitude=lat, longitude=lng,
            rating_avg=Decimal(rating), rating_count=10,
        )  # fmt: skip
    indexing.reindex_all()
    return {"products": products, "places": places, "categories": cats, "seller": seller}
