"""Anonymous storefront pages come from the cache, never stale, and never carry another visitor's token or cart."""

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.o2o import local
from tradeloop.catalog import services as catalog
from tradeloop.catalog.models import Product, Variant
from tradeloop.core import page_cache
from tradeloop.inventory import services as inventory
from tradeloop.o2o import places
from tradeloop.o2o.models import Deal, Place
from tradeloop.storefront import design, seo

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def shop(merchant):
    tea = catalog.create_category(name="Tea", slug="tea", name_zh="茶")
    longjing = factories.published_product(merchant, title="Longjing", price="88.00", category=tea, stock=20)
    factories.published_product(merchant, title="Pu-erh", price="120.00", category=tea)
    return {"seller": merchant, "tea": tea, "product": longjing}


def product_url(product: Product) -> str:
    return reverse("storefront:product", args=[product.pk, product.slug])


def pages(shop) -> list[str]:
    return [
        "/",
        reverse("storefront:products"),
        reverse("storefront:category", args=["tea"]),
        product_url(shop["product"]),
        reverse("storefront:store", args=[shop["seller"].slug]),
    ]


def get(client, url, **extra) -> tuple[str, str]:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode(), response.get("X-Page-Cache", "")


def badge(html: str) -> str:
    return re.search(r"data-cart-count>([^<]*)<", html).group(1)


# --- hits -----------------------------------------------------------------------------------------------------------


def test_a_second_anonymous_view_of_each_page_is_a_hit_without_queries(client, shop, django_assert_max_num_queries):
    for url in pages(shop):
        assert get(client, url)[1] == "miss"
        with django_assert_max_num_queries(0):
            html, state = get(client, url)
        assert state == "hit" and "Longjing" in html or "Tea" in html


def test_a_hit_is_private_to_the_browser_and_counts_the_visit(client, shop, monkeypatch):
    seen = []
    monkeypatch.setitem(page_cache._replays, "visit", lambda request, *args: seen.append(args))
    url = product_url(shop["product"])
    client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit" and "private" in response["Cache-Control"]
    assert seen == [("product", shop["product"].pk, shop["seller"].pk)]


def test_language_and_query_string_are_separate_entries_and_the_query_order_is_not(client, shop):
    url = reverse("storefront:products")
    english, _ = get(client, url)
    chinese, state = get(client, url + "?lang=zh-hans")
    assert state == "miss" and 'lang="zh-hans"' in chinese and 'lang="en"' in english
    get(client, url + "?sort=rating&in_stock=on")
    assert get(client, url + "?in_stock=on&sort=rating")[1] == "hit"
    assert get(client, url, HTTP_HX_REQUEST="true")[1] == "miss"  # an htmx request is keyed apart


def test_a_cookie_language_choice_gets_its_own_entry(client, shop):
    url = reverse("storefront:category", args=["tea"])
    get(client, url)
    client.cookies["django_language"] = "zh-hans"
    html, state = get(client, url)
    assert state == "miss" and 'lang="zh-hans"' in html


def test_the_currency_is_part_of_the_key(client, shop, settings):
    url = reverse("storefront:products")
    get(client, url)
    settings.TRADELOOP_DEFAULT_CURRENCY = "USD"
    assert get(client, url)[1] == "miss"


# --- never stale ----------------------------------------------------------------------------------------------------


def test_a_price_change_shows_on_the_next_request_everywhere(client, shop):
    product = shop["product"]
    for url in pages(shop):
        get(client, url)
    factories.reprice(shop["seller"], product, "77.00")
    for url in pages(shop):
        html, state = get(client, url)
        assert state == "miss" and "77.00" in html, url


def test_a_price_written_by_a_bulk_update_shows_too(client, shop):
    url = product_url(shop["product"])
    get(client, url)
    Variant.objects.filter(product=shop["product"]).update(price=Decimal("66.00"))
    assert "66.00" in get(client, url)[0]


def test_running_out_of_stock_shows_on_the_next_request(client, shop):
    url = product_url(shop["product"])
    assert "In stock" in get(client, url)[0]
    variant = shop["product"].variants.get()
    inventory.set_stock(actor=shop["seller"].owner, variant_id=variant.pk, quantity=0)
    html, _ = get(client, url)
    assert "Out of stock" in html and "In stock" not in html


def test_an_unpublished_product_leaves_the_cached_pages(client, shop):
    for url in pages(shop):
        get(client, url)
    catalog.unpublish(actor=shop["seller"].owner, product=shop["product"])
    for url in pages(shop)[:3]:
        assert "Longjing" not in get(client, url)[0], url
    assert client.get(product_url(shop["product"])).status_code == 404


def test_a_new_promotion_and_its_start_time_show(client, shop, clock):
    url = product_url(shop["product"])
    get(client, url)
    factories.promotion(
        shop["seller"], name="Spring tea", value=Decimal("10"), starts_at=clock.now() + timedelta(minutes=2)
    )
    html, state = get(client, url)
    assert state == "miss" and "Spring tea" not in html  # not started yet
    assert get(client, url)[1] == "hit"
    clock.advance(minutes=2, seconds=1)  # no write: the cached page knew when it would change
    html, state = get(client, url)
    assert state == "miss"


def test_a_store_design_change_shows_on_the_next_request(client, shop):
    seller = shop["seller"]
    url = reverse("storefront:store", args=[seller.slug])
    get(client, url)
    design.add_section(actor=seller.owner, seller=seller, kind="notice")
    design.update_section(actor=seller.owner, seller=seller, index=0, data={"text": "Closed on Sunday"})
    assert "Closed on Sunday" not in get(client, url)[0]  # a draft is not shown
    design.publish(actor=seller.owner, seller=seller)
    assert "Closed on Sunday" in get(client, url)[0]


def test_a_rating_change_shows_on_the_next_request(client, shop):
    url = product_url(shop["product"])
    get(client, url)
    Product.objects.filter(pk=shop["product"].pk).update(rating_avg=Decimal("4.50"), rating_count=7)
    assert "7 ratings" in get(client, url)[0]


def test_a_sold_count_shows_on_the_next_request(client, shop):
    url = reverse("storefront:category", args=["tea"])
    get(client, url)
    catalog.count_sold({shop["product"].pk: 3})
    assert "3 sold" in get(client, url)[0]


def test_the_seller_renaming_the_store_shows(client, shop):
    url = reverse("storefront:store", args=[shop["seller"].slug])
    get(client, url)
    shop["seller"].name = "Lotus Tea House"
    shop["seller"].save()
    assert "Lotus Tea House" in get(client, url)[0]


def test_an_entry_grows_old_by_the_clock(client, shop, clock):
    url = "/"
    get(client, url)
    clock.advance(seconds=page_cache.max_age() + 1)
    assert get(client, url)[1] == "miss"


def test_a_hook_for_other_apps_invalidates(client, shop):
    get(client, "/")
    page_cache.invalidate()
    assert get(client, "/")[1] == "miss"


def test_a_page_view_writes_nothing_that_invalidates(client, shop):
    url = product_url(shop["product"])
    before = page_cache.generation()
    get(client, url)
    get(client, reverse("storefront:store", args=[shop["seller"].slug]))
    assert page_cache.generation() == before


# --- per person -----------------------------------------------------------------------------------------------------


def test_two_visitors_share_the_page_but_not_the_token_or_the_cart(shop):
    alice, bob = Client(), Client()
    url = product_url(shop["product"])
    html_a, _ = get(alice, url)
    token_a = TOKEN.search(html_a).group(1)
    response = alice.post(
        reverse("checkout:add"),
        {"variant": shop["product"].variants.get().pk, "quantity": 1, "csrfmiddlewaretoken": token_a},
    )
    assert response.status_code in (200, 302)
    html_a, state_a = get(alice, url)
    html_b, state_b = get(bob, url)
    assert state_b == "hit"
    assert badge(html_a) == "1" and badge(html_b) == "0"
    tokens_a, tokens_b = set(TOKEN.findall(html_a)), set(TOKEN.findall(html_b))
    assert tokens_a and tokens_b and not tokens_a & tokens_b
    assert "pc0csrf0marker" not in html_a + html_b and "<!--hole:" not in html_a + html_b


def test_add_to_cart_from_a_cached_page_passes_the_csrf_check(shop):
    browser = Client(enforce_csrf_checks=True)
    url = product_url(shop["product"])
    get(browser, url)
    html, state = get(browser, url)
    assert state == "hit"
    token = TOKEN.search(html).group(1)
    variant = shop["product"].variants.get()
    response = browser.post(
        reverse("checkout:add"), {"variant": variant.pk, "quantity": 2, "csrfmiddlewaretoken": token}
    )
    assert response.status_code in (200, 302)
    assert badge(get(browser, reverse("checkout:cart"))[0]) == "2"


def test_a_signed_in_visitor_never_gets_the_anonymous_page(client, shop, user):
    url = product_url(shop["product"])
    get(client, url)
    client.force_login(user)
    html, state = get(client, url)
    assert state == "" and "Sign in" not in html and user.display_name in html


# --- signed-in visitors: the page is theirs, its product cards and review summaries are shared fragments ----------


def card_templates(response) -> int:
    return sum(t.name == "components/product_card.html" for t in response.templates)


@pytest.mark.parametrize("index", [0, 1, 2, 4])
def test_a_signed_in_visitor_gets_the_cards_others_rendered(client, shop, user, index):
    url = pages(shop)[index]
    client.get(url)  # an anonymous visitor renders the cards first
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200 and user.display_name in response.content.decode()
    assert "Longjing" in response.content.decode() and card_templates(response) == 0


def test_a_price_change_shows_on_a_signed_in_visitors_next_page(client, shop, user):
    client.force_login(user)
    for url in pages(shop):
        get(client, url)
    assert card_templates(client.get("/")) == 0
    factories.reprice(shop["seller"], shop["product"], "66.00")
    for url in pages(shop):
        assert "66.00" in get(client, url)[0], url


def test_a_card_is_kept_per_language(client, shop, user):
    shop["product"].__class__.objects.filter(pk=shop["product"].pk).update(title_zh="龙井")
    client.force_login(user)
    assert "Longjing" in get(client, "/")[0]
    assert "龙井" in get(client, "/", HTTP_ACCEPT_LANGUAGE="zh-hans")[0]
    assert "Longjing" in get(client, "/")[0]


def test_a_promotion_starting_shows_on_a_signed_in_visitors_cards(client, shop, user, clock):
    client.force_login(user)
    factories.promotion(
        shop["seller"], name="Spring tea", value=Decimal("10"), starts_at=clock.now() + timedelta(hours=1)
    )
    assert "79.20" not in get(client, "/")[0]  # 88.00 until it starts
    clock.advance(hours=1, seconds=1)  # no write: the card's key names the promotion running now
    assert "79.20" in get(client, "/")[0]


@pytest.mark.parametrize("index", range(5))
def test_a_signed_in_page_stays_within_the_storefront_budget(client, shop, user, index, django_assert_max_num_queries):
    url = pages(shop)[index]
    client.force_login(user)
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_a_page_with_a_message_pending_is_not_served_from_the_cache(client, shop):
    url = product_url(shop["product"])
    get(client, url)
    variant = shop["product"].variants.get()
    client.post(reverse("checkout:add"), {"variant": variant.pk, "quantity": 1, "next": url})
    response = client.get(url)
    assert response.get("X-Page-Cache", "") in ("", "miss")


def test_a_hole_is_filled_per_request(client, shop, rf):
    page_cache.register_hole("test_hole", lambda request, arg: f"<b>{arg}-{request.path}</b>")
    request = rf.get("/x/")
    request._page_cache_render = True
    assert page_cache.hole(request, "test_hole", "a") == "<!--hole:test_hole:a-->"
    assert page_cache.fill(request, b"<p><!--hole:test_hole:a--></p>") == b"<p><b>a-/x/</b></p>"
    request._page_cache_render = False
    assert page_cache.hole(request, "test_hole", "a") == "<b>a-/x/</b>"
    assert page_cache.fill(request, b"<!--hole:unknown:a-->") == b""


# --- budgets --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(5))
def test_a_miss_stays_within_the_storefront_budget(client, shop, index, django_assert_max_num_queries):
    url = pages(shop)[index]
    client.get("/")  # the category tree and deadlines warm, as in production
    page_cache.invalidate()
    with django_assert_max_num_queries(10):
        assert get(client, url)[1] == "miss"


def test_a_visitor_with_a_session_costs_two_queries_on_a_hit(client, shop, django_assert_max_num_queries):
    url = product_url(shop["product"])
    client.post(reverse("checkout:add"), {"variant": shop["product"].variants.get().pk, "quantity": 1})
    get(client, url)  # the message is shown here (not cached) …
    get(client, url)  # … and now the page is stored
    with django_assert_max_num_queries(2):  # the session and the cart count
        html, state = get(client, url)
    assert state == "hit" and badge(html) == "1"


def test_a_write_seen_by_another_process_makes_the_pages_old(client, shop):
    """Embedded: each process has its own memory cache, they share a stamp file; scaled out: a number in Redis."""
    get(client, "/")
    if page_cache._local_cache():
        with open(page_cache._stamp_path(), "ab") as stamp:  # what invalidate() does in another process
            stamp.write(b".")
    else:
        from django.core.cache import cache

        cache.incr(page_cache.GENERATION_KEY)
    assert get(client, "/")[1] == "miss"


def test_a_new_visitor_gets_a_csrf_cookie_and_the_frame_and_vary_headers_on_a_hit(shop):
    url = product_url(shop["product"])
    get(Client(), url)
    newcomer = Client(enforce_csrf_checks=True)
    response = newcomer.get(url)
    assert response["X-Page-Cache"] == "hit" and "csrftoken" in response.cookies
    assert response["X-Frame-Options"] == "DENY" and "Cookie" in response["Vary"]
    token = TOKEN.search(response.content.decode()).group(1)
    variant = shop["product"].variants.get()
    post = newcomer.post(reverse("checkout:add"), {"variant": variant.pk, "quantity": 1, "csrfmiddlewaretoken": token})
    assert post.status_code in (200, 302)


@pytest.mark.parametrize(
    "sql",
    [
        'UPDATE "catalog_variant" SET "price" = 1',
        'INSERT INTO "catalog_product" ("id") VALUES (1)',
        'INSERT OR IGNORE INTO "promotions_promotion_products" ("id") VALUES (1)',
        'DELETE FROM "reviews_review" WHERE 1',
    ],
)
def test_every_kind_of_write_to_a_watched_table_is_seen(sql):
    found = page_cache._WRITE.match(sql)
    assert found and page_cache._is_watched(found.group(1))


def test_per_person_rows_are_not_watched():
    for table in ("django_session", "checkout_cartitem", "promotions_redemption", "reviews_helpfulvote"):
        assert not page_cache._is_watched(table)


# --- the local pages ----------------------------------------------------------------------------------------------


def test_a_deal_page_is_cached_until_the_deal_changes(client, db):
    deal = local.deal(title="Haircut and wash")
    url = seo.deal_path(deal.pk, deal.product.slug)
    assert get(client, url)[1] == "miss"
    assert get(client, url)[1] == "hit"
    Deal.objects.filter(pk=deal.pk).update(sold_count=41)  # bought elsewhere meanwhile
    assert get(client, url)[1] == "miss"


def test_a_place_page_is_cached_until_the_place_opens_or_closes_or_the_day_ends(client, db, clock):
    shanghai = ZoneInfo("Asia/Shanghai")
    clock.travel(datetime(2026, 12, 2, 20, 58, tzinfo=shanghai))  # a Wednesday; open 09:00–21:00 every day
    place = local.place()
    url = seo.place_path(place.pk, place.name, place.name_zh)
    body, state = get(client, url)
    assert state == "miss" and "Open now" in body
    clock.advance(minutes=1)
    body, state = get(client, url)
    assert state == "hit" and "Open now" in body
    clock.advance(minutes=1)  # 21:00: no write, the page knew
    body, state = get(client, url)
    assert state == "miss" and "Closed now" in body
    assert re.search(r'is-today"><th scope="row">Wed', body)
    clock.travel(datetime(2026, 12, 3, 0, 0, 1, tzinfo=shanghai))  # a new day: Thursday is today
    body, state = get(client, url)
    assert state == "miss" and re.search(r'is-today"><th scope="row">Thu', body)
    clock.travel(datetime(2026, 12, 3, 9, 0, tzinfo=shanghai))
    body, state = get(client, url)
    assert state == "miss" and "Open now" in body


def test_a_cached_place_page_counts_each_visit(client, db, monkeypatch):
    seen = []
    monkeypatch.setitem(page_cache._replays, "visit", lambda request, *args: seen.append(args))
    place = local.place()
    url = seo.place_path(place.pk, place.name, place.name_zh)
    assert [get(client, url)[1] for _ in range(3)] == ["miss", "hit", "hit"]
    assert seen == [("place", place.pk, place.seller_id)] * 2  # counted by the view, then on each hit


def test_a_place_open_past_midnight_changes_when_it_closes_the_next_morning():
    place = Place(time_zone="Asia/Shanghai", opening_hours={"fri": [["18:00", "02:00"]], "sat": [["18:00", "02:00"]]})
    shanghai = ZoneInfo("Asia/Shanghai")
    late = datetime(2026, 12, 5, 1, 30, tzinfo=shanghai)  # Saturday 01:30, still Friday night's period
    assert places.is_open(place, late)
    assert places.next_change(place, late) == datetime(2026, 12, 5, 2, 0, tzinfo=shanghai)
    assert places.next_change(place, datetime(2026, 12, 5, 2, 0, tzinfo=shanghai)) == datetime(
        2026, 12, 5, 18, 0, tzinfo=shanghai
    )
    evening = datetime(2026, 12, 5, 19, 0, tzinfo=shanghai)  # open until 02:00: the day's end comes first
    assert places.next_change(place, evening) == datetime(2026, 12, 6, 0, 0, tzinfo=shanghai)
    assert places.next_change(Place(time_zone="Asia/Shanghai", opening_hours={}), evening) == datetime(
        2026, 12, 6, 0, 0, tzinfo=shanghai
    )
