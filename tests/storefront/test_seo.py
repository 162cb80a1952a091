"""What a search engine or a link preview reads: robots.txt, the sitemap, canonical and hreflang links, ?lang=,
Open Graph tags and schema.org JSON-LD on every kind of storefront page; the page budgets hold with them."""

from __future__ import annotations

import html as html_lib
import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from tests import factories
from tests.c2c.trading import listing
from tests.o2o import local
from tradeloop.catalog import services as catalog
from tradeloop.catalog.models import Product, Variant
from tradeloop.core import clock
from tradeloop.o2o.models import Deal

pytestmark = pytest.mark.django_db

SITE = "https://shop.example.com"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.TRADELOOP_BASE_URL = SITE + "/"  # a trailing slash is fine


@pytest.fixture
def shop():
    return factories.seller_with_owner(name="Lotus Tea House")


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def links(html: str, rel: str) -> list[dict]:
    found = []
    for tag in re.findall(r"<link [^>]*>", html):
        attrs = {k: html_lib.unescape(v) for k, v in re.findall(r'(\w[\w:-]*)="([^"]*)"', tag)}
        if attrs.get("rel") == rel:
            found.append(attrs)
    return found


def canonical(html: str) -> str:
    (link,) = links(html, "canonical")
    return link["href"]


def hreflangs(html: str) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in links(html, "alternate") if "hreflang" in link}


def meta(html: str, key: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)


def json_ld(html: str) -> list[dict]:
    return [
        json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def of_type(html: str, kind: str) -> dict:
    (found,) = [block for block in json_ld(html) if block["@type"] == kind]
    return found


# --- robots.txt -----------------------------------------------------------------------------------------------------


def test_robots_allows_the_storefront_and_keeps_crawlers_out_of_private_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *" and "Allow: /" in lines
    for private in ("/console/", "/admin/", "/api/", "/cart/", "/checkout/", "/accounts/", "/account/", "/orders/"):
        assert f"Disallow: {private}" in lines
    assert not any(line in lines for line in ("Disallow: /", "Disallow: /p/", "Disallow: /c/", "Disallow: /local/"))
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


# --- sitemap --------------------------------------------------------------------------------------------------------


def sitemap_pages(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SM}sitemapindex"
    return [entry.find(f"{SM}loc").text for entry in root.findall(f"{SM}sitemap")]


def urls_of(client, page_url: str) -> dict[str, ET.Element]:
    assert page_url.startswith(SITE)
    response = client.get(page_url.removeprefix(SITE))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SM}urlset"
    return {url.find(f"{SM}loc").text: url for url in root.findall(f"{SM}url")}


def all_urls(client) -> dict[str, ET.Element]:
    found = {}
    for page in sitemap_pages(client):
        found |= urls_of(client, page)
    return found


def test_the_sitemap_lists_every_public_page_with_both_languages(client, shop):
    tea = catalog.create_category(name="Tea", slug="tea", name_zh="茶")
    product = factories.published_product(shop, title="Longjing", category=tea)
    draft = catalog.create_product(
        actor=shop.owner, seller=shop, title="Secret", variants=[catalog.VariantInput(sku="S", price=Decimal("1"))]
    )
    closed = factories.seller_with_owner(name="Closed shop")
    hidden = factories.published_product(closed, title="Gone")
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    item = listing()
    place = local.place()
    deal = local.deal(place)
    service = local.service(place)
    urls = all_urls(client)
    expected = [
        f"/p/{product.pk}/{product.slug}/",
        f"/p/{item.product.pk}/{item.product.slug}/",
        f"/local/deals/{deal.pk}/{deal.product.slug}/",
        f"/local/places/{place.pk}/lotus-hair-studio/",
        f"/local/services/{service.pk}/{service.product.slug}/",
        "/c/tea/",
        f"/store/{shop.slug}/",
    ]
    for path in expected:
        assert SITE + path in urls, path
    assert not any(f"/p/{p.pk}/" in url for url in urls for p in (draft, hidden))
    assert not any(f"/p/{deal.product.pk}/" in url for url in urls)  # a deal is listed at its own page
    entry = urls[f"{SITE}/p/{product.pk}/{product.slug}/"]
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{XHTML}link")}
    assert alternates == {
        "en": f"{SITE}/p/{product.pk}/{product.slug}/?lang=en",
        "zh-Hans": f"{SITE}/p/{product.pk}/{product.slug}/?lang=zh-hans",
        "x-default": f"{SITE}/p/{product.pk}/{product.slug}/",
    }
    product.refresh_from_db()
    assert entry.find(f"{SM}lastmod").text == product.updated_at.isoformat(timespec="seconds")


@override_settings(TRADELOOP_SITEMAP_PAGE_SIZE=3)
def test_the_sitemap_is_paged_by_id_range_with_the_newest_change_as_lastmod(client, shop):
    products = [factories.published_product(shop, title=f"Tea {i}") for i in range(8)]
    Product.objects.filter(pk=products[1].pk).update(status=Product.Status.DRAFT)
    changed = clock.now() + timedelta(days=3)
    Product.objects.filter(pk=products[-1].pk).update(updated_at=changed)
    pages = [page for page in sitemap_pages(client) if "/sitemaps/products-" in page]
    assert len(pages) >= 3
    seen = []
    for page in pages:
        urls = urls_of(client, page)
        assert 1 <= len(urls) <= 3
        seen += list(urls)
    public = [p for i, p in enumerate(products) if i != 1]
    assert sorted(seen) == sorted(f"{SITE}/p/{p.pk}/{p.slug}/" for p in public)
    root = ET.fromstring(client.get("/sitemap.xml").content)
    last_page = [e for e in root.findall(f"{SM}sitemap") if e.find(f"{SM}loc").text == pages[-1]][0]
    assert last_page.find(f"{SM}lastmod").text == changed.isoformat(timespec="seconds")
    assert client.get("/sitemaps/nothing-0.xml").status_code == 404
    assert client.get("/sitemaps/categories-3.xml").status_code == 404


def test_a_sitemap_page_is_one_query_whatever_its_length(client, shop, django_assert_max_num_queries):
    for i in range(30):
        factories.published_product(shop, title=f"Tea {i}")
    with django_assert_max_num_queries(1):
        assert len(urls_of(client, f"{SITE}/sitemaps/products-0.xml")) == 30


# --- canonical, hreflang and ?lang= ---------------------------------------------------------------------------------


def test_a_product_page_names_its_clean_url_and_both_languages(client, shop):
    product = factories.published_product(shop, title="Longjing")
    path = f"/p/{product.pk}/{product.slug}/"
    html = html_of(client.get(path + "?utm_source=newsletter&variant=1&fbclid=x"))
    assert canonical(html) == SITE + path
    assert hreflangs(html) == {
        "en": f"{SITE}{path}?lang=en",
        "zh-Hans": f"{SITE}{path}?lang=zh-hans",
        "x-default": SITE + path,
    }
    assert meta(html, "og:url") == [SITE + path]
    zh = html_of(client.get(path + "?lang=zh-hans&utm_medium=x"))
    assert canonical(zh) == f"{SITE}{path}?lang=zh-hans"
    assert canonical(html_of(client.get(path + "?lang=en"))) == SITE + path  # the default language needs no param


def test_every_kind_of_storefront_page_has_canonical_hreflang_and_open_graph(client, shop):
    tea = catalog.create_category(name="Tea", slug="tea", name_zh="茶")
    product = factories.published_product(shop, title="Longjing", category=tea)
    item = listing()
    deal = local.deal()
    place = deal.places.get()
    deal_url = f"/local/deals/{deal.pk}/{deal.product.slug}/"
    place_url = f"/local/places/{place.pk}/lotus-hair-studio/"
    pages = {  # the address asked for: (og:type, the clean address)
        "/": ("website", "/"),
        "/c/tea/": ("website", "/c/tea/"),
        f"/p/{product.pk}/{product.slug}/": ("product", f"/p/{product.pk}/{product.slug}/"),
        f"/store/{shop.slug}/": ("profile", f"/store/{shop.slug}/"),
        f"/p/{item.product.pk}/{item.product.slug}/": ("product", f"/p/{item.product.pk}/{item.product.slug}/"),
        f"/local/deals/{deal.pk}/": ("product", deal_url),
        deal_url: ("product", deal_url),
        f"/local/places/{place.pk}/": ("business.business", place_url),
        place_url: ("business.business", place_url),
        "/local/": ("website", "/local/"),
    }
    for path, (og_type, clean) in pages.items():
        html = html_of(client.get(path))
        assert canonical(html) == SITE + clean, path
        assert hreflangs(html)["zh-Hans"] == f"{SITE}{clean}?lang=zh-hans", path
        assert set(hreflangs(html)) == {"en", "zh-Hans", "x-default"}, path
        assert meta(html, "og:type") == [og_type], path
        assert meta(html, "og:title") and meta(html, "og:description")[0], path
        assert meta(html, "og:locale") == ["en_US"] and meta(html, "og:locale:alternate") == ["zh_CN"], path
        assert meta(html, "twitter:card"), path
        description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
        assert description, path


def test_a_list_page_keeps_its_page_in_the_canonical_url_and_drops_filters(client, shop):
    for i in range(30):
        factories.published_product(shop, title=f"Tea {i}")
    first = client.get("/products/")
    cursor = first.context["page"].next_cursor
    html = html_of(client.get(f"/products/?cursor={cursor}&in_stock=1&utm_campaign=x"))
    assert canonical(html) == f"{SITE}/products/?cursor={cursor}"
    assert hreflangs(html)["zh-Hans"] == f"{SITE}/products/?cursor={cursor}&lang=zh-hans"


def test_private_pages_carry_no_canonical_or_open_graph(client, user):
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert not links(html, "canonical") and not meta(html, "og:title") and not json_ld(html)


def test_lang_param_shows_chinese_for_that_request_only(client, shop):
    catalog.create_category(name="Tea", slug="tea", name_zh="茶")
    product = factories.published_product(shop, title="Longjing")
    Product.objects.filter(pk=product.pk).update(title_zh="龙井", description_zh="<p>明前龙井，清香。</p>")
    path = f"/p/{product.pk}/{product.slug}/"
    response = client.get(path + "?lang=zh-hans")
    html = html_of(response)
    assert '<html lang="zh-hans">' in html and "龙井" in html and "首页" in html
    assert response["Content-Language"] == "zh-hans"
    assert meta(html, "og:locale") == ["zh_CN"] and meta(html, "og:title") == ["龙井"]
    assert re.search(r'<meta name="description" content="明前龙井，清香。">', html)
    assert of_type(html, "Product")["name"] == "龙井"
    again = client.get(path)  # no cookie was set: the next page follows the visitor's own choice
    assert '<html lang="en">' in again.content.decode() and "Longjing" in again.content.decode()
    assert not again.cookies.get("django_language")
    assert "Cookie" in again["Vary"] and "Accept-Language" in again["Vary"]
    assert '<html lang="en">' in client.get(path + "?lang=klingon").content.decode()  # unknown: ignored


def test_the_language_switcher_on_a_lang_page_leads_to_the_chosen_language(client, shop):
    product = factories.published_product(shop, title="Longjing")
    path = f"/p/{product.pk}/{product.slug}/"
    html = html_of(client.get(path + "?lang=zh-hans&variant=1"))
    nexts = set(re.findall(r'<form class="lang-[^"]*".*?name="next" value="([^"]*)">', html, re.S))
    assert nexts == {f"{path}?variant=1"}
    switched = client.post(reverse("set_language"), {"language": "en", "next": f"{path}?variant=1"}, follow=True)
    assert '<html lang="en">' in switched.content.decode()


# --- JSON-LD --------------------------------------------------------------------------------------------------------


def test_product_json_ld_has_offer_seller_availability_and_breadcrumbs(client, shop):
    tea = catalog.create_category(name="Tea", slug="tea")
    green = catalog.create_category(name="Green tea", slug="green-tea", parent=tea)
    product = factories.published_product(shop, title="Longjing", price="88.00", category=green)
    html = html_of(client.get(f"/p/{product.pk}/{product.slug}/"))
    data = of_type(html, "Product")
    assert data["name"] == "Longjing" and data["url"] == f"{SITE}/p/{product.pk}/{product.slug}/"
    offer = data["offers"]
    assert offer["@type"] == "Offer" and offer["price"] == "88.00" and offer["priceCurrency"] == "CNY"
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["seller"] == {"@type": "Organization", "name": "Lotus Tea House"}
    assert "aggregateRating" not in data  # no ratings yet: none claimed
    crumbs = of_type(html, "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "Tea", "Green tea", "Longjing"]
    assert crumbs[1]["item"] == f"{SITE}/c/tea/" and [c["position"] for c in crumbs] == [1, 2, 3, 4]

    Variant.objects.filter(product=product).update(stock=0)
    Product.objects.filter(pk=product.pk).update(in_stock=False, rating_avg=Decimal("4.67"), rating_count=3)
    html = html_of(client.get(f"/p/{product.pk}/{product.slug}/"))
    data = of_type(html, "Product")
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"
    assert data["aggregateRating"] == {"@type": "AggregateRating", "ratingValue": "4.7", "reviewCount": 3}


def test_a_hostile_title_cannot_break_out_of_the_json_ld(client, shop):
    hostile = 'Tea</script><script>alert("x")</script><!--'
    product = factories.published_product(shop, title=hostile)
    html = html_of(client.get(f"/p/{product.pk}/{product.slug}/"))
    assert "<script>alert" not in html and "</script><script>" not in html
    assert of_type(html, "Product")["name"] == hostile  # the data itself is intact
    assert meta(html, "og:title") == ["Tea&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;!--"]


def test_listing_json_ld_is_a_used_item_that_goes_out_of_stock_when_sold(client):
    item = listing(price="300.00")
    Product.objects.filter(pk=item.product.pk).update(condition=Product.Condition.GOOD)
    path = f"/p/{item.product.pk}/{item.product.slug}/"
    offer = of_type(html_of(client.get(path)), "Product")["offers"]
    assert offer["price"] == "300.00" and offer["availability"] == "https://schema.org/InStock"
    assert offer["itemCondition"] == "https://schema.org/UsedCondition"
    Variant.objects.filter(product=item.product).update(stock=0)
    offer = of_type(html_of(client.get(path)), "Product")["offers"]
    assert offer["availability"] == "https://schema.org/OutOfStock"


def test_deal_json_ld_offers_the_deal_price_until_the_sale_ends(client):
    deal = local.deal(price="39.00")
    html = html_of(client.get(f"/local/deals/{deal.pk}/"))
    data = of_type(html, "Product")
    assert data["offers"]["price"] == "39.00" and data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["offers"]["priceValidUntil"] == deal.sale_ends_at.date().isoformat()
    assert "aggregateRating" not in data
    deal.stock_cap = deal.sold_count  # sold out
    deal.save(update_fields=["stock_cap"])
    data = of_type(html_of(client.get(f"/local/deals/{deal.pk}/")), "Product")
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"


def test_place_json_ld_is_a_local_business_with_address_geo_hours_and_rating(client):
    place = local.place(phone="025-8888 0000", opening_hours={"mon": [["09:00", "12:00"], ["13:00", "24:00"]]})
    html = html_of(client.get(f"/local/places/{place.pk}/"))
    data = of_type(html, "LocalBusiness")
    assert data["name"] == "Lotus Hair Studio" and data["telephone"] == "025-8888 0000"
    assert data["address"]["streetAddress"] == "18 Zhongshan Road" and data["address"]["addressLocality"] == "Nanjing"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 32.0416, "longitude": 118.7784}
    assert [(h["dayOfWeek"], h["opens"], h["closes"]) for h in data["openingHoursSpecification"]] == [
        ("https://schema.org/Monday", "09:00", "12:00"),
        ("https://schema.org/Monday", "13:00", "23:59"),
    ]
    assert "aggregateRating" not in data
    type(place).objects.filter(pk=place.pk).update(rating_avg=Decimal("4.50"), rating_count=12)
    zh = html_of(client.get(f"/local/places/{place.pk}/?lang=zh-hans"))
    data = of_type(zh, "LocalBusiness")
    assert data["name"] == "莲花美发" and data["address"]["streetAddress"] == "中山路18号"
    assert data["aggregateRating"] == {"@type": "AggregateRating", "ratingValue": "4.5", "reviewCount": 12}


def test_home_json_ld_names_the_site_and_its_search(client):
    html = html_of(client.get("/"))
    assert of_type(html, "Organization")["url"] == f"{SITE}/"
    action = of_type(html, "WebSite")["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert (
        action["target"]["urlTemplate"].startswith(SITE) and "{search_term_string}" in action["target"]["urlTemplate"]
    )
    assert action["query-input"] == "required name=search_term_string"


def test_category_json_ld_is_its_breadcrumb_trail(client):
    tea = catalog.create_category(name="Tea", slug="tea", name_zh="茶")
    catalog.create_category(name="Green tea", slug="green-tea", parent=tea, name_zh="绿茶")
    html = html_of(client.get("/c/green-tea/?lang=zh-hans"))
    crumbs = of_type(html, "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs] == ["首页", "茶", "绿茶"]
    assert crumbs[-1]["item"] == f"{SITE}/c/green-tea/"
    assert "绿茶" in meta(html, "og:description")[0]


def test_a_product_image_is_an_absolute_url(client, shop, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    product = factories.published_product(shop, title="Longjing")
    product.images.create(image="products/longjing.jpg", position=0)
    html = html_of(client.get(f"/p/{product.pk}/{product.slug}/"))
    assert meta(html, "og:image") == [f"{SITE}/media/products/longjing.jpg"]
    assert meta(html, "twitter:card") == ["summary_large_image"]
    assert of_type(html, "Product")["image"] == [f"{SITE}/media/products/longjing.jpg"]


# --- clean URLs -----------------------------------------------------------------------------------------------------


def test_a_product_without_or_with_a_wrong_slug_moves_permanently_to_its_clean_url(client, shop):
    product = factories.published_product(shop, title="Longjing Tea")
    clean = f"/p/{product.pk}/{product.slug}/"
    for old in (f"/p/{product.pk}/", f"/p/{product.pk}/old-name/"):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == clean


def test_deals_places_and_services_have_named_addresses_and_a_wrong_name_moves_permanently(client):
    place = local.place()
    deal = local.deal(place, title="Haircut and wash")
    service = local.service(place, title="Cut and blow-dry")
    clean = {
        f"/local/deals/{deal.pk}/": f"/local/deals/{deal.pk}/haircut-and-wash/",
        f"/local/places/{place.pk}/": f"/local/places/{place.pk}/lotus-hair-studio/",
        f"/local/services/{service.pk}/": f"/local/services/{service.pk}/cut-and-blow-dry/",
    }
    for old, new in clean.items():
        assert canonical(html_of(client.get(old))) == SITE + new  # the id-only address still works, and says where
        assert canonical(html_of(client.get(new))) == SITE + new
        moved = client.get(f"{old}an-old-name/?lang=zh-hans")
        assert moved.status_code == 301 and moved["Location"] == f"{new}?lang=zh-hans"
    assert "Haircut and wash" in html_of(client.get(clean[f"/local/deals/{deal.pk}/"]))
    assert client.get(f"/local/deals/{deal.pk + 100}/haircut-and-wash/").status_code == 404
    Deal.objects.filter(pk=deal.pk).update(state=Deal.State.DRAFT)
    assert client.get(clean[f"/local/deals/{deal.pk}/"]).status_code == 404
    type(place).objects.filter(pk=place.pk).update(is_active=False)
    assert client.get(clean[f"/local/places/{place.pk}/"]).status_code == 404


def test_a_name_that_is_a_sub_page_keeps_the_id_only_address(client):
    deal = local.deal(title="Buy")
    html = html_of(client.get(f"/local/deals/{deal.pk}/"))
    assert canonical(html) == f"{SITE}/local/deals/{deal.pk}/"


# --- budgets --------------------------------------------------------------------------------------------------------


def test_the_seo_head_reads_nothing_the_page_did_not_load(client, shop, django_assert_max_num_queries):
    tea = catalog.create_category(name="Tea", slug="tea")
    product = factories.published_product(shop, title="Longjing", category=tea)
    deal = local.deal()
    place = deal.places.get()
    client.get(f"/p/{product.pk}/{product.slug}/")  # warm the category tree cache as production traffic would
    with django_assert_max_num_queries(6):  # the product page's own budget (tests/storefront/test_pages.py)
        html_of(client.get(f"/p/{product.pk}/{product.slug}/"))
    from tradeloop.storefront import seo

    contexts = [
        client.get(path).context[0].flatten() for path in (f"/local/deals/{deal.pk}/", f"/local/places/{place.pk}/")
    ]
    with django_assert_max_num_queries(0):  # the head is built from what the view loaded
        heads = [seo.head_for(context) for context in contexts]
    assert all(head.indexable and head.jsonld for head in heads)
