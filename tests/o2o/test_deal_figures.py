"""The console's deal figures: sold, redeemed, the redemption rate and refunded, on the deals page and in the seller
deals API, counted by the selector in the page's query (a fixed number of queries whatever the deals and vouchers)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.o2o import local
from tests.o2o.dealing import bought, owner, vouchers_of
from tests.o2o.test_deals_api import api_as
from tradeloop.o2o import deal_selectors, redemption, vouchers

pytestmark = pytest.mark.django_db


def sold_three_redeemed_one_refunded_one(place):
    deal = local.deal(place)
    first, second, third = (vouchers_of(bought(deal))[0] for _ in range(3))
    redemption.redeem(actor=owner(place.seller), place_id=place.pk, code=first.code)
    vouchers.refund(actor=second.buyer, voucher_id=second.pk)
    return deal


def test_the_figures_count_sold_redeemed_and_refunded_vouchers():
    place = local.place()
    deal = sold_three_redeemed_one_refunded_one(place)
    local.deal(place)  # nothing sold
    page = deal_selectors.seller_deals(actor=owner(place.seller), organization_id=place.seller_id)
    figures = {d.pk: deal_selectors.figures(d) for d in page.items}
    assert figures[deal.pk] == deal_selectors.DealFigures(sold=3, redeemed=1, refunded=1)
    assert figures[deal.pk].redemption_rate == 33
    (empty,) = (f for pk, f in figures.items() if pk != deal.pk)
    assert empty.sold == 0 and empty.redemption_rate is None


@pytest.mark.parametrize(
    ("sold", "redeemed", "rate"), [(0, 0, None), (3, 2, 67), (8, 1, 13), (2, 2, 100), (200, 1, 1), (400, 1, 0)]
)
def test_the_rate_is_a_whole_percent_rounded_half_up(sold, redeemed, rate):
    assert deal_selectors.DealFigures(sold=sold, redeemed=redeemed, refunded=0).redemption_rate == rate


def test_the_console_deals_page_shows_the_figures_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    place = local.place()
    sold_three_redeemed_one_refunded_one(place)
    client = Client()
    client.force_login(place.seller.owner)
    url = reverse("o2o:console_deals", args=[place.seller.pk])
    with django_assert_max_num_queries(30) as few:
        html = client.get(url).content.decode()
    assert "Redeemed · rate" in html and "1 · <span" in html and "33%" in html and "Refunded" in html
    for _ in range(3):
        sold_three_redeemed_one_refunded_one(local.place(place.seller, name="Branch"))
    local.deal(place)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert html.count("33%") == 4 and "—" in html


def test_the_seller_deals_api_gives_the_figures(django_assert_max_num_queries):
    place = local.place()
    deal = sold_three_redeemed_one_refunded_one(place)
    api = api_as(place.seller.owner)
    with django_assert_max_num_queries(10) as few:
        (row,) = api.get("seller/deals", {"organization": place.seller_id}).json()["items"]
    assert (row["vouchers_sold"], row["redeemed_count"], row["refunded_count"], row["redemption_rate"]) == (3, 1, 1, 33)
    for _ in range(3):
        sold_three_redeemed_one_refunded_one(place)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("seller/deals", {"organization": place.seller_id}).json()["items"]) == 4
    one = api.get(f"seller/deals/{deal.pk}").json()
    assert one["redemption_rate"] == 33
    fresh = local.deal(place)
    assert api.get(f"seller/deals/{fresh.pk}").json()["redemption_rate"] is None
