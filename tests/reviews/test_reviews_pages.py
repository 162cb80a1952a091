"""Review pages: My reviews (waiting visits with a Write button), writing and editing, a place's reviews (block and
paged list, "Verified visit" / 已验证到店), the console's reviews desk with replies; fixed query counts."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from PIL import Image

from tests import factories
from tests.o2o import local
from tests.reviews import visits
from tradeloop.o2o.models import Place, Voucher
from tradeloop.reviews import services
from tradeloop.reviews.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(name: str = "shop.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def review_of(voucher: Voucher, **fields) -> Review:
    fields.setdefault("stars", 5)
    return services.write_review(actor=voucher.buyer, record_kind="voucher", record_id=voucher.pk, **fields)


def owner_of(place: Place):
    return place.seller.memberships.get(role__code="owner").user


def test_my_reviews_lists_visits_waiting_with_a_write_button(client):
    voucher = visits.voucher()
    client.force_login(voucher.buyer)
    page = client.get("/reviews/").content.decode()
    assert "Waiting for your review" in page and "Haircut and wash · redeemed" in page
    assert f'href="/reviews/write/voucher/{voucher.pk}/"' in page


def test_write_a_review_with_stars_scores_text_and_a_photo(client):
    voucher = visits.voucher()
    client.force_login(voucher.buyer)
    url = f"/reviews/write/voucher/{voucher.pk}/"
    form = client.get(url)
    assert form.status_code == 200 and b'class="star-picker' in form.content and b"Verified visit" in form.content
    sent = client.post(
        url, {"stars": "4", "score_service": "5", "score_value": "3", "text": "Lovely staff", "photos": [png()]}
    )
    assert sent.status_code == 302 and sent["Location"] == "/reviews/"
    review = Review.objects.get()
    assert (review.stars, review.scores, review.text, review.photos.count()) == (
        4,
        {"service": 5, "value": 3},
        "Lovely staff",
        1,
    )
    assert client.get(url)["Location"] == f"/reviews/{review.pk}/edit/"  # once per visit: on to the edit page


def test_the_write_form_needs_stars_and_writes_nothing_without(client):
    voucher = visits.voucher()
    client.force_login(voucher.buyer)
    answer = client.post(f"/reviews/write/voucher/{voucher.pk}/", {"text": "no stars"})
    assert answer.status_code == 400 and b"Choose 1 to 5 stars." in answer.content
    assert not Review.objects.exists()


def test_no_write_page_without_a_visit_of_ones_own(client):
    client.force_login(factories.UserFactory())
    assert client.get(f"/reviews/write/voucher/{visits.voucher().pk}/").status_code == 404
    assert client.get("/reviews/write/voucher/999999/").status_code == 404
    mine = visits.voucher(state=Voucher.State.VALID)
    client.force_login(mine.buyer)
    assert client.get(f"/reviews/write/voucher/{mine.pk}/").status_code == 404


def test_edit_page_then_read_only_after_thirty_days(client, clock):
    voucher = visits.voucher()
    review = review_of(voucher, stars=3)
    client.force_login(voucher.buyer)
    url = f"/reviews/{review.pk}/edit/"
    assert client.post(url, {"stars": "5", "text": "Even better"}).status_code == 302
    assert Review.objects.get(pk=review.pk).stars == 5
    clock.advance(days=31)
    page = client.get(url)
    assert b"can no longer be changed" in page.content and b'name="stars"' not in page.content
    client.post(url, {"stars": "1"})
    assert Review.objects.get(pk=review.pk).stars == 5
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 404


def render_block(place: Place, language: str = "en") -> str:
    with translation.override(language):
        request = RequestFactory().get("/")
        return Template('{% include "o2o/_place_reviews.html" %}').render(Context({"place": place, "request": request}))


def test_the_place_block_shows_summary_histogram_verified_visits_photos_and_the_reply(django_assert_max_num_queries):
    place = local.place()
    first = review_of(visits.voucher(at=place), stars=5, scores={"service": 5}, text="Best cut in town", photos=[png()])
    review_of(visits.voucher(at=place), stars=3, text="OK")
    services.reply(actor=owner_of(place), review_id=first.pk, text="Thank you, Ms Wang!")
    with django_assert_max_num_queries(3):  # the summary, the recent reviews (with authors), their photos
        html = render_block(place)
    assert "4.0" in html and "2 reviews" in html and 'class="histogram"' in html
    assert html.count("Verified visit") == 2 and "Best cut in town" in html and "Thank you, Ms Wang!" in html
    assert "/media/reviews/" in html and f'href="/reviews/place/{place.pk}/"' in html
    chinese = render_block(place, "zh-hans")
    assert "已验证到店" in chinese


def test_a_place_without_reviews_says_who_can_review():
    assert "Only customers who have visited can review" in render_block(local.place())


def test_the_place_reviews_page_pages_and_stays_flat(client, django_assert_max_num_queries):
    place = local.place()
    deal = local.deal(place)
    for i in range(25):
        review_of(visits.voucher(at=place, deal=deal), stars=1 + i % 5, photos=[png()])
    with django_assert_max_num_queries(6):
        first = client.get(f"/reviews/place/{place.pk}/")
    assert first.status_code == 200 and first.content.count(b'data-review="') == 20
    following = first.context["page"].next_cursor
    second = client.get(f"/reviews/place/{place.pk}/", {"cursor": following})
    assert second.content.count(b'data-review="') == 5
    assert client.get(f"/reviews/place/{place.pk}/", {"cursor": "garbage"}).status_code == 200
    assert client.get("/reviews/place/999999/").status_code == 404
    assert client.get(f"/reviews/planet/{place.pk}/").status_code == 404


def test_hidden_reviews_are_off_the_place_pages(client):
    place = local.place()
    review = review_of(visits.voucher(at=place), text="Spam spam")
    services.hide(actor=None, review_id=review.pk, reason="Advertising")
    assert b"Spam spam" not in client.get(f"/reviews/place/{place.pk}/").content
    client.force_login(review.author)
    mine = client.get("/reviews/").content.decode()
    assert "Not shown on the page" in mine and "Advertising" in mine  # the author is told why


def test_my_reviews_page_stays_flat(client, django_assert_max_num_queries):
    buyer = factories.UserFactory()
    place = local.place()
    deal = local.deal(place)
    for _ in range(5):
        review_of(visits.voucher(buyer, at=place, deal=deal), photos=[png()])
    for _ in range(3):
        visits.voucher(buyer, at=place, deal=deal)
        visits.booking(buyer, at=place)
    client.force_login(buyer)
    client.get("/reviews/")
    with django_assert_max_num_queries(12):
        page = client.get("/reviews/")
    assert page.content.count(b'data-review="') == 5 and page.content.count(b"/reviews/write/") == 6
    assert b"Lotus Hair Studio" in page.content


def test_the_console_desk_lists_unanswered_first_and_replies(client, django_assert_max_num_queries):
    place = local.place()
    deal = local.deal(place)
    reviews = [review_of(visits.voucher(at=place, deal=deal), text=f"Visit {i}") for i in range(4)]
    owner = owner_of(place)
    services.reply(actor=owner, review_id=reviews[0].pk, text="Thanks")
    client.force_login(owner)
    url = f"/console/{place.seller_id}/reviews/"
    client.get(url)
    with django_assert_max_num_queries(14):
        desk = client.get(url)
    assert desk.content.count(b'data-review="') == 3
    assert client.get(url, {"show": "all"}).content.count(b'data-review="') == 4
    sent = client.post(f"{url}{reviews[1].pk}/reply/", {"reply": "See you again!"})
    assert sent.status_code == 302
    assert Review.objects.get(pk=reviews[1].pk).reply == "See you again!"
    client.post(f"{url}{reviews[1].pk}/reply/", {"reply": "See you again soon!"})  # the same form edits
    assert Review.objects.get(pk=reviews[1].pk).reply == "See you again soon!"


def test_another_tenants_review_desk_and_replies_are_404(client):
    place = local.place()
    review = review_of(visits.voucher(at=place))
    rival = local.local_business()
    client.force_login(rival.memberships.get().user)
    assert client.get(f"/console/{place.seller_id}/reviews/").status_code == 404
    assert client.post(f"/console/{rival.pk}/reviews/{review.pk}/reply/", {"reply": "Hi"}).status_code == 404
    assert Review.objects.get(pk=review.pk).reply == ""


def test_the_console_nav_links_reviews_for_local_businesses(client):
    place = local.place()
    client.force_login(owner_of(place))
    page = client.get(f"/console/{place.seller_id}/reviews/").content.decode()
    assert f'href="/console/{place.seller_id}/reviews/"' in page


# the change page's inline formsets (reports, photos): none changed
INLINES = {f"{name}-{part}": "0" for name in ("reports", "photos") for part in ("TOTAL_FORMS", "INITIAL_FORMS")}


def test_the_operator_hides_a_review_in_the_back_office_and_the_rating_follows(client):
    place = local.place()
    review_of(visits.voucher(at=place), stars=5)
    spam = review_of(visits.voucher(at=place), stars=1, text="Call 138 0000 0000 for cheap haircuts")
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/reviews/review/{spam.pk}/change/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"state": "hidden", "hidden_reason": "", **INLINES})
    assert refused.status_code == 200 and Review.objects.get(pk=spam.pk).state == "published"
    hidden = client.post(url, {"state": "hidden", "hidden_reason": "Advertising", **INLINES})
    assert hidden.status_code == 302
    spam.refresh_from_db()
    place.refresh_from_db()
    assert (spam.state, spam.hidden_reason) == ("hidden", "Advertising")
    assert (place.rating_avg, place.rating_count) == (5, 1)
    client.post("/admin/reviews/review/", {"action": "show_again", "_selected_action": [spam.pk]})
    place.refresh_from_db()
    assert place.rating_count == 2
