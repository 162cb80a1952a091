"""The reviews API for products: write from a delivered order line, a product's reviews with its summary, helpful
votes, reports, seller replies, the seller's reputation; bad input 4xx; fixed query counts."""

from __future__ import annotations

import pytest

from tests import factories
from tests.api.conftest import assert_error
from tests.reviews.test_product_reviews import delivered, review
from tests.reviews.test_reviews_api import as_user
from tradeloop.reviews.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def shop():
    seller = factories.seller_with_owner(name="Hangzhou Tea House")
    return seller, factories.published_product(seller, title="Longjing tea", stock=100)


def test_write_a_product_review_from_a_delivered_line_once(shop):
    _, product = shop
    line = delivered(product)
    api = as_user(line.order.buyer)
    pending = api.get("reviews/pending").json()
    assert [(r["record_kind"], r["record_id"], r["target_kind"]) for r in pending] == [
        ("order_line", line.pk, "product")
    ]
    sent = api.post("reviews", {"record_kind": "order_line", "record_id": line.pk, "stars": 4, "text": "Fresh"})
    assert sent.status_code == 201, sent.content
    got = sent.json()
    assert (got["target_kind"], got["target_id"], got["verified"], got["state"]) == (
        "product",
        product.pk,
        "Verified purchase",
        "published",
    )
    assert_error(api.post("reviews", {"record_kind": "order_line", "record_id": line.pk, "stars": 5}), 409)
    stranger = as_user(factories.UserFactory())
    assert_error(
        stranger.post("reviews", {"record_kind": "order_line", "record_id": line.pk, "stars": 5}), 404, "not_reviewable"
    )


def test_a_products_reviews_with_the_summary_at_a_fixed_query_count(client, shop, django_assert_max_num_queries):
    _, product = shop
    for i in range(8):
        review(delivered(product), stars=1 + i % 5, text=f"Tea review {i}")
    api = as_user(factories.UserFactory())
    with django_assert_max_num_queries(8):
        page = api.get("reviews", {"target": f"product:{product.pk}", "limit": 5})
    got = page.json()
    assert page.status_code == 200 and got["summary"]["count"] == 8 and len(got["items"]) == 5
    assert got["items"][0]["helpful_count"] == 0
    assert_error(api.get("reviews", {"target": "product:999999"}), 404)


def test_helpful_toggles_and_not_on_ones_own(shop):
    _, product = shop
    line = delivered(product)
    written = review(line, text="Good")
    api = as_user(factories.UserFactory())
    first = api.post(f"reviews/{written.pk}/helpful")
    assert first.status_code == 200 and first.json() == {"review_id": written.pk, "helpful_count": 1, "voted": True}
    assert api.post(f"reviews/{written.pk}/helpful").json()["voted"] is False
    assert_error(as_user(line.order.buyer).post(f"reviews/{written.pk}/helpful"), 403, "own_review")
    assert_error(api.post("reviews/999999/helpful"), 404)
    assert_error(factories_api_anonymous().post(f"reviews/{written.pk}/helpful"), 401)


def factories_api_anonymous():
    from django.test import Client

    from tests.api.conftest import Api

    return Api(Client())


def test_report_with_a_reason_once(shop):
    _, product = shop
    written = review(delivered(product), text="Visit my shop")
    api = as_user(factories.UserFactory())
    assert_error(api.post(f"reviews/{written.pk}/report", {"reason": "boring"}), 400, field="reason")
    assert_error(api.post(f"reviews/{written.pk}/report", {}), 422)
    sent = api.post(f"reviews/{written.pk}/report", {"reason": "spam", "note": "advert"})
    assert sent.status_code == 201 and sent.json()["reason"] == "spam"
    assert_error(api.post(f"reviews/{written.pk}/report", {"reason": "spam"}), 409, "already_reported")
    assert Review.objects.get(pk=written.pk).open_reports == 1


def test_the_seller_replies_to_a_product_review_through_the_api(shop):
    seller, product = shop
    written = review(delivered(product), stars=2)
    sent = as_user(seller.owner).post(f"seller/reviews/{written.pk}/reply", {"text": "Sorry!"})
    assert sent.status_code == 201 and sent.json()["reply"] == "Sorry!"
    assert_error(as_user(factories.UserFactory()).post(f"seller/reviews/{written.pk}/reply", {"text": "x"}), 404)


def test_a_sellers_reputation(shop, django_assert_max_num_queries):
    seller, product = shop
    review(delivered(product), stars=4)
    review(delivered(product), stars=2)
    api = as_user(factories.UserFactory())
    api.get(f"sellers/{seller.pk}/reputation")  # computed once, then read
    with django_assert_max_num_queries(4):
        got = api.get(f"sellers/{seller.pk}/reputation")
    body = got.json()
    assert got.status_code == 200 and body["rating_count"] == 2 and body["rating_avg"] == "3.00"
    assert [s["name"] for s in body["sources"]] == ["product"]
    assert_error(api.get("sellers/999999/reputation"), 404)
