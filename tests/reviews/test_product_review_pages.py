"""Product review pages: the product page's reviews block (summary, photos, reply, helpful, report), writing from the
delivered order, helpful votes and reports from the web, the reputation page, the console desk for merchants;
fixed query counts and both languages."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests import factories
from tests.reviews.test_product_reviews import delivered, png, review
from tradeloop.core import page_cache
from tradeloop.reviews import reputation, services
from tradeloop.reviews.models import Review, ReviewReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def shop():
    seller = factories.seller_with_owner(name="Hangzhou Tea House")
    return seller, factories.published_product(seller, title="Longjing tea", stock=100)


def product_page(client, product) -> str:
    return client.get(f"/p/{product.pk}/{product.slug}/").content.decode()


def test_the_buyer_writes_a_review_from_the_delivered_order_and_it_shows_on_the_product_page(client, shop):
    seller, product = shop
    line = delivered(product)
    client.force_login(line.order.buyer)
    order_page = client.get(f"/orders/{line.order.number}/").content.decode()
    assert f'href="/reviews/order/{line.order.number}/"' in order_page
    items = client.get(f"/reviews/order/{line.order.number}/").content.decode()
    assert f'href="/reviews/write/order_line/{line.pk}/"' in items
    assert f'href="/reviews/write/order_line/{line.pk}/"' in client.get("/reviews/").content.decode()
    form = client.get(f"/reviews/write/order_line/{line.pk}/")
    assert form.status_code == 200 and b"Verified purchase" in form.content
    sent = client.post(
        f"/reviews/write/order_line/{line.pk}/", {"stars": "4", "text": "Fragrant, fresh", "photos": [png()]}
    )
    assert sent.status_code == 302
    written = Review.objects.get()
    services.reply(actor=seller.owner, review_id=written.pk, text="Thank you for your order!")
    client.logout()
    html = product_page(client, product)
    assert "Fragrant, fresh" in html and "Verified purchase" in html and "Thank you for your order!" in html
    assert 'class="histogram"' in html and "/media/reviews/" in html
    assert f'action="/reviews/{written.pk}/helpful/"' in html and f"/reviews/{written.pk}/report/" in html
    assert "1 rating" in html
    with translation.override("zh-hans"):
        chinese = client.get(f"/p/{product.pk}/{product.slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已验证购买" in chinese


def test_no_write_page_without_a_delivered_line(client, shop):
    _, product = shop
    paid = factories.paid_order(seller=product.seller, items=[(product.variants.get(), 1)]).lines.get()
    client.force_login(paid.order.buyer)
    assert client.get(f"/reviews/write/order_line/{paid.pk}/").status_code == 404
    items = client.get(f"/reviews/order/{paid.order.number}/").content.decode()
    assert "/reviews/write/order_line/" not in items
    assert client.get("/reviews/order/NOPE/").status_code == 404


def test_helpful_toggles_from_the_web_and_returns_to_the_page(client, shop):
    _, product = shop
    written = review(delivered(product), text="Good")
    page = f"/p/{product.pk}/{product.slug}/"
    assert client.post(f"/reviews/{written.pk}/helpful/", {"next": page}).status_code == 302  # to sign in
    assert Review.objects.get(pk=written.pk).helpful_count == 0
    client.force_login(factories.UserFactory())
    answer = client.post(f"/reviews/{written.pk}/helpful/", {"next": page})
    assert answer.status_code == 302 and answer["Location"].startswith(page)
    assert Review.objects.get(pk=written.pk).helpful_count == 1
    assert 'aria-pressed="true"' in product_page(client, product)
    client.post(f"/reviews/{written.pk}/helpful/", {"next": "https://evil.example/"})
    assert Review.objects.get(pk=written.pk).helpful_count == 0
    assert client.post("/reviews/999999/helpful/").status_code == 404


def test_report_from_the_web_with_a_reason(client, shop):
    _, product = shop
    written = review(delivered(product), text="Visit my shop instead")
    client.force_login(factories.UserFactory())
    form = client.get(f"/reviews/{written.pk}/report/")
    assert form.status_code == 200 and b'name="reason"' in form.content
    assert client.post(f"/reviews/{written.pk}/report/", {"reason": "nonsense"}).status_code == 400
    sent = client.post(f"/reviews/{written.pk}/report/", {"reason": "spam", "note": "an advert"})
    assert sent.status_code == 302
    assert ReviewReport.objects.get().reason == "spam" and Review.objects.get(pk=written.pk).open_reports == 1
    again = client.post(f"/reviews/{written.pk}/report/", {"reason": "spam"})
    assert again.status_code == 400 and b"already" in again.content


def test_product_page_reviews_block_has_a_flat_query_count(client, shop, django_assert_max_num_queries):
    _, product = shop
    for i in range(6):
        review(delivered(product), stars=1 + i % 5, photos=[png()])  # no text: no near duplicates
    client.force_login(factories.UserFactory())
    product_page(client, product)
    with django_assert_max_num_queries(40):
        html = product_page(client, product)
    assert html.count('data-review="') == 5
    base = len(html)
    for _ in range(6, 12):
        review(delivered(product), stars=5, photos=[png()])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        product_page(client, product)
    page_cache.invalidate()  # cold again, as the first view after a write is (the summary is kept till then)
    with CaptureQueriesContext(connection) as many:
        product_page(client, product)
    assert len(many) == len(few) and base


def test_the_reviews_page_of_a_product_stays_flat(client, shop, django_assert_max_num_queries):
    _, product = shop
    for i in range(22):
        review(delivered(product), stars=1 + i % 5, photos=[png()])
    client.force_login(factories.UserFactory())
    with django_assert_max_num_queries(10):  # session, user, base parts; target, summary, page, photos, votes
        page = client.get(f"/reviews/product/{product.pk}/")
    assert page.status_code == 200 and page.content.count(b'data-review="') == 20


def test_the_console_reviews_desk_serves_merchants(client, shop):
    seller, product = shop
    written = review(delivered(product), stars=2, text="Leaves broken")
    client.force_login(seller.owner)
    desk = client.get(f"/console/{seller.pk}/reviews/")
    assert desk.status_code == 200 and b"Leaves broken" in desk.content and b"Longjing tea" in desk.content
    nav = client.get(f"/console/{seller.pk}/").content.decode()
    assert f'href="/console/{seller.pk}/reviews/"' in nav
    client.post(f"/console/{seller.pk}/reviews/{written.pk}/reply/", {"reply": "Sorry, a new tin is on its way"})
    assert Review.objects.get(pk=written.pk).reply == "Sorry, a new tin is on its way"


def test_the_reputation_page_is_linked_from_the_store_and_product_pages(client, shop, django_assert_max_num_queries):
    seller, product = shop
    review(delivered(product), stars=4)
    link = f'href="/store/{seller.slug}/reputation/"'
    assert link in product_page(client, product)
    assert link in client.get(f"/store/{seller.slug}/").content.decode()
    reputation.refresh(seller)
    with django_assert_max_num_queries(4):
        page = client.get(f"/store/{seller.slug}/reputation/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-source="product"' in html and "4.0" in html
    with translation.override("zh-hans"):
        chinese = client.get(f"/store/{seller.slug}/reputation/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "信誉" in chinese
    assert client.get("/store/no-such-store/reputation/").status_code == 404


def test_the_back_office_queue_puts_reported_reviews_first_and_hides_with_a_reason(client, shop):
    _, product = shop
    quiet = review(delivered(product), stars=5)
    reported = review(delivered(product), stars=1, text="Cheap copies at my shop, call me")
    services.report(actor=factories.UserFactory(), review_id=reported.pk, reason="spam")
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    queue = client.get("/admin/reviews/review/", {"queue": "waiting"})
    assert queue.status_code == 200
    html = queue.content.decode()
    assert f"/admin/reviews/review/{reported.pk}/change/" in html
    assert f"/admin/reviews/review/{quiet.pk}/change/" not in html
    listing = client.get("/admin/reviews/review/").content.decode()
    assert listing.index(f"/review/{reported.pk}/change/") < listing.index(f"/review/{quiet.pk}/change/")
    inlines = {f"{n}-{p}": "0" for n in ("reports", "photos") for p in ("TOTAL_FORMS", "INITIAL_FORMS")}
    inlines["reports-INITIAL_FORMS"] = "1"
    inlines["reports-TOTAL_FORMS"] = "1"
    inlines["reports-0-id"] = str(ReviewReport.objects.get().pk)
    inlines["reports-0-review"] = str(reported.pk)
    url = f"/admin/reviews/review/{reported.pk}/change/"
    assert b"reported: spam" in client.get(url).content  # the history
    hidden = client.post(url, {"state": "hidden", "hidden_reason": "Advertising", **inlines})
    assert hidden.status_code == 302, hidden.content.decode()[:2000]
    reported.refresh_from_db()
    assert (reported.state, reported.hidden_reason, reported.open_reports) == ("hidden", "Advertising", 0)
    assert client.get("/admin/reviews/reviewreport/").status_code == 200
    assert client.get("/admin/reviews/reputation/").status_code == 200
    with translation.override("zh-hans"):
        assert "举报" in client.get("/admin/reviews/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
