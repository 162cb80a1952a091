"""The console's customer pages: list with filters and bulk tag, a customer's card, segments with a live count and
sends; both languages; fixed query budgets; another seller's answers 404."""

from __future__ import annotations

import pytest

from tests import factories
from tradeloop.crm import services
from tradeloop.crm.models import Campaign, Customer, Segment

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(shop, buy, clock):
    people = []
    for i in range(10):
        person = factories.UserFactory(name=f"Buyer {i}")
        buy(person, price=f"{20 + i}.00", city="Nanjing" if i < 4 else "Shanghai")
        clock.advance(hours=1)
        people.append(person)
    return people


@pytest.fixture
def owner(client, shop):
    client.force_login(shop.owner)
    return client


def test_the_list_has_a_fixed_query_budget_and_filters(owner, shop, book, django_assert_max_num_queries):
    url = f"/console/{shop.pk}/customers/"
    owner.get(url)
    with django_assert_max_num_queries(14):
        page = owner.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("data-customer=") == 10 and "Buyer 9" in html
    nanjing = owner.get(url, {"city": "Nanjing"}).content.decode()
    assert nanjing.count("data-customer=") == 4
    assert owner.get(url, {"cursor": "garbage", "sort": "nope", "tag": "x"}).status_code == 200


def test_bulk_tag_from_the_list(owner, shop, book):
    ids = list(Customer.objects.filter(seller=shop).values_list("pk", flat=True)[:3])
    back = owner.post(f"/console/{shop.pk}/customers/tag/", {"ids": ids, "tag": "VIP"})
    assert back.status_code == 302
    assert Customer.objects.filter(seller=shop, tags__name="VIP").count() == 3
    empty = owner.post(f"/console/{shop.pk}/customers/tag/", {"ids": ids, "tag": ""}, follow=True)
    assert "A tag has 1 to 40 characters." in empty.content.decode()


def test_the_customer_card_shows_orders_tags_and_notes_in_chinese(owner, shop, book):
    customer = Customer.objects.filter(seller=shop).first()
    url = f"/console/{shop.pk}/customers/{customer.pk}/"
    owner.post(f"{url}tags/", {"tag": "VIP"})
    owner.post(f"{url}notes/", {"text": "喜欢绿茶"})
    html = owner.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "喜欢绿茶" in html and "VIP" in html and "私人备注" in html
    other = factories.seller_with_owner(kind="merchant")
    owner.force_login(other.owner)
    assert owner.get(f"/console/{other.pk}/customers/{customer.pk}/").status_code == 404


def test_segments_live_count_and_sends(owner, shop, book, mailoutbox, django_capture_on_commit_callbacks):
    made = owner.post(f"/console/{shop.pk}/segments/new/", {"name": "Nanjing", "city_is": "Nanjing"})
    assert made.status_code == 302
    segment = Segment.objects.get(seller=shop)
    count = owner.get(f"/console/{shop.pk}/segments/count/", {"city_is": "Nanjing", "min_orders": "1"})
    assert "4 customers match now" in count.content.decode()
    bad = owner.post(f"/console/{shop.pk}/segments/new/", {"name": "Bad", "min_orders": "0"})
    assert bad.status_code == 400
    page = owner.get(f"/console/{shop.pk}/segments/{segment.pk}/").content.decode()
    assert page.count("data-customer=") == 4
    with django_capture_on_commit_callbacks(execute=True):
        sent = owner.post(
            f"/console/{shop.pk}/segments/{segment.pk}/message/",
            {"message-subject": "Spring tea", "message-body": "It is here"},
        )
    assert sent.status_code == 302 and len(mailoutbox) == 4
    with django_capture_on_commit_callbacks(execute=True):
        coupon = owner.post(
            f"/console/{shop.pk}/segments/{segment.pk}/coupon/",
            {"coupon-kind": "percent", "coupon-value": "10", "coupon-valid_days": "30", "coupon-min_spend": "0"},
        )
    assert coupon.status_code == 302
    assert Campaign.objects.filter(segment=segment).count() == 2
    listing = owner.get(f"/console/{shop.pk}/segments/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert listing.status_code == 200 and "Nanjing" in listing.content.decode()


def test_a_role_without_the_capability_gets_403(client, shop, book):
    support = factories.member(shop, "support")
    client.force_login(support)
    assert client.get(f"/console/{shop.pk}/customers/").status_code == 403
    s = services.create_segment(actor=shop.owner, seller=shop, name="All", rules=[{"kind": "min_orders", "value": 1}])
    catalog = factories.member(shop, "finance")
    client.force_login(catalog)
    assert client.post(f"/console/{shop.pk}/segments/{s.pk}/message/", {}).status_code == 403
