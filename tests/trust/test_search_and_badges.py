"""Verified sellers: a lift in search (reindexed when the tier changes) and a badge on their pages, at a constant
number of queries."""

import pytest
from django.urls import reverse

from tests import factories
from tests.trust.conftest import submitted
from tradeloop.search import engine, indexing
from tradeloop.search.models import SearchDocument
from tradeloop.trust import services

pytestmark = pytest.mark.django_db


def titles_by_seller(q: str) -> list[int]:
    result = engine.search(engine.parse({"q": q, "limit": "10"}))
    return [h.seller_id for h in result.hits]


def test_verified_sellers_rank_above_equal_matches_and_the_tier_change_reindexes(
    newcomer, merchant, staff, django_capture_on_commit_callbacks
):
    mine = factories.published_product(seller=newcomer, title="Longjing green tea")
    theirs = factories.published_product(seller=merchant, title="Longjing green tea")
    indexing.index("product", [mine.pk, theirs.pk])
    assert SearchDocument.objects.get(object_id=theirs.pk).seller_trust > 1.0
    assert SearchDocument.objects.get(object_id=mine.pk).seller_trust == 1.0
    assert titles_by_seller("longjing")[:2] == [merchant.pk, newcomer.pk]
    v = submitted(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(actor=staff, verification_id=v.pk)
    assert SearchDocument.objects.get(object_id=mine.pk).seller_trust > 1.0
    with django_capture_on_commit_callbacks(execute=True):
        services.save_application(actor=newcomer.owner, organization=newcomer, data={"legal_name": "Renamed Ltd."})
    assert SearchDocument.objects.get(object_id=mine.pk).seller_trust == 1.0


def test_badge_on_store_product_and_cards_only_for_verified(client, newcomer, merchant):
    product = factories.published_product(seller=merchant, title="Verified pear")
    other = factories.published_product(seller=newcomer, title="Plain pear")
    assert b"data-verified" in client.get(reverse("storefront:store", args=[merchant.slug])).content
    assert b"data-verified" not in client.get(reverse("storefront:store", args=[newcomer.slug])).content
    assert b"data-verified" in client.get(reverse("storefront:product", args=[product.pk, product.slug])).content
    assert b"data-verified" not in client.get(reverse("storefront:product", args=[other.pk, other.slug])).content


def test_badge_appears_once_approved(client, newcomer, staff):
    url = reverse("storefront:store", args=[newcomer.slug])
    assert b"data-verified" not in client.get(url).content
    v = submitted(newcomer)
    services.approve(actor=staff, verification_id=v.pk)
    assert b"data-verified" in client.get(url).content


def test_product_list_badges_cost_no_query_per_card(client, user, django_assert_max_num_queries):
    client.force_login(user)  # past the anonymous page cache: the page renders each time
    sellers = [factories.seller_with_owner(verified=i % 2 == 0) for i in range(6)]
    for i in range(24):
        factories.published_product(seller=sellers[i % 6], title=f"Pear {i}")
    client.get(reverse("storefront:products"))  # warm what any first request warms
    with django_assert_max_num_queries(12) as few:
        page = client.get(reverse("storefront:products"))
    assert page.status_code == 200
    assert page.content.count(b"data-verified") == 12
    for i in range(24, 48):
        factories.published_product(seller=sellers[i % 6], title=f"Pear {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("storefront:products")).status_code == 200
