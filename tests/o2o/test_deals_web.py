"""The deal, voucher and redemption pages: buyers, the business's staff and strangers; both languages; budgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.o2o import local
from tests.o2o.dealing import bought, vouchers_of
from tradeloop.core import clock, page_cache
from tradeloop.o2o.models import Deal, Voucher

pytestmark = pytest.mark.django_db


def web_as(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_deal_page_shows_price_discount_progress_places_and_buy():
    place = local.place()
    deal = local.deal(place, tipping_point=20, usage_rules="Book a day ahead.")
    for _ in range(3):
        bought(deal)
    page = web_as().get(reverse("o2o:deal", args=[deal.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "¥39.00" in text and "¥68.00" in text and "42% off" in text
    assert "3 of 20 bought to make it happen" in text and "data-countdown" in text
    assert reverse("o2o:place", args=[place.pk]) in text and "Book a day ahead." in text
    assert "Sign in to buy" in text
    signed_in = web_as(factories.UserFactory()).get(reverse("o2o:deal", args=[deal.pk])).content.decode()
    assert reverse("o2o:deal_buy", args=[deal.pk]) in signed_in
    zh = web_as().get(reverse("o2o:deal", args=[deal.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "莲花美发" in zh


def test_a_draft_deal_is_not_found_and_an_ended_one_says_so(clock):
    draft = local.deal(state=Deal.State.DRAFT)
    assert web_as().get(reverse("o2o:deal", args=[draft.pk])).status_code == 404
    failed = local.deal(state=Deal.State.FAILED, tipping_point=5)
    text = web_as().get(reverse("o2o:deal", args=[failed.pk])).content.decode()
    assert "every buyer was refunded" in text and "o2o:deal_buy" not in text


def test_buy_places_the_order_and_goes_to_its_payment():
    deal = local.deal()
    buyer = factories.UserFactory()
    answer = web_as(buyer).post(reverse("o2o:deal_buy", args=[deal.pk]), {"quantity": "2"})
    assert answer.status_code == 302 and "/pay" in answer["Location"] or "payment" in answer["Location"]
    deal.refresh_from_db()
    assert deal.sold_count == 2
    assert web_as().post(reverse("o2o:deal_buy", args=[deal.pk]), {"quantity": "1"}).status_code == 302


def test_the_storefront_sends_a_deal_product_to_its_deal_page():
    deal = local.deal()
    product = deal.product
    answer = web_as().get(reverse("storefront:product", args=[product.pk, product.slug]))
    assert answer.status_code == 302 and answer["Location"] == reverse("o2o:deal", args=[deal.pk])


def test_the_place_page_lists_its_deals_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    place = local.place()
    local.deal(place, title="Haircut and wash")
    url = reverse("o2o:place", args=[place.pk])
    web_as().get(url)
    page_cache.invalidate()  # cold, as the first view after the deals below are added is
    with django_assert_max_num_queries(40) as few:
        text = web_as().get(url).content.decode()
    assert "Haircut and wash" in text and reverse("o2o:deal", args=[Deal.objects.get().pk]) in text
    for n in range(5):
        local.deal(place, title=f"Deal {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Deal 4" in web_as().get(url).content.decode()


def test_my_vouchers_and_one_voucher_with_its_qr_code(django_assert_max_num_queries):
    buyer = factories.UserFactory()
    order = bought(local.deal(), buyer, quantity=2)
    client = web_as(buyer)
    client.get(reverse("o2o:vouchers"))
    with django_assert_max_num_queries(20) as few:
        text = client.get(reverse("o2o:vouchers")).content.decode()
    assert text.count(reverse("o2o:voucher", args=[vouchers_of(order)[0].pk])) >= 1
    bought(local.deal(), buyer, quantity=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("o2o:vouchers"))
    voucher = vouchers_of(order)[0]
    page = client.get(reverse("o2o:voucher", args=[voucher.pk])).content.decode()
    assert "<svg" in page and voucher.code[:4] + " " + voucher.code[4:8] in page and "data-print" in page
    assert reverse("o2o:voucher_refund", args=[voucher.pk]) in page
    assert web_as(factories.UserFactory()).get(reverse("o2o:voucher", args=[voucher.pk])).status_code == 404
    client.post(reverse("o2o:voucher_refund", args=[voucher.pk]))
    assert Voucher.objects.get(pk=voucher.pk).state == Voucher.State.REFUNDED


def test_the_console_lists_creates_and_publishes_deals(django_assert_max_num_queries):
    place = local.place()
    org = place.seller
    client = web_as(org.owner)
    url = reverse("o2o:console_deals", args=[org.pk])
    page = client.get(url)
    assert page.status_code == 200 and reverse("o2o:console_deal_new", args=[org.pk]) in page.content.decode()
    now = clock.now()
    made = client.post(
        reverse("o2o:console_deal_new", args=[org.pk]),
        {
            "title": "Hand-pulled noodles for two",
            "title_zh": "双人拉面",
            "price": "45.00",
            "original_price": "70.00",
            "place_ids": [place.pk],
            "sale_starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "sale_ends_at": (now + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "voucher_valid_days": "60",
            "per_person_limit": "4",
            "tipping_point": "10",
            "refundable_any_time": "on",
            "at_expiry": "refund",
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    deal = Deal.objects.get()
    assert deal.tipping_point == 10 and deal.state == Deal.State.DRAFT
    client.post(reverse("o2o:console_deal_action", args=[org.pk, deal.pk, "publish"]))
    deal.refresh_from_db()
    assert deal.state == Deal.State.LIVE
    with django_assert_max_num_queries(30) as few:
        assert "双人拉面" in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for _ in range(4):
        local.deal(place)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    rival = local.place()
    assert (
        web_as(rival.seller.owner).get(reverse("o2o:console_deal_edit", args=[rival.seller.pk, deal.pk])).status_code
        == 404
    )
    assert web_as(rival.seller.owner).get(reverse("o2o:console_deals", args=[org.pk])).status_code == 404


def test_staff_check_confirm_and_undo_at_the_counter(django_assert_max_num_queries):
    place = local.place()
    (voucher,) = vouchers_of(bought(local.deal(place)))
    clerk = factories.member(place.seller, "fulfilment")
    client = web_as(clerk)
    url = reverse("o2o:console_redeem", args=[place.seller.pk])
    page = client.get(url).content.decode()
    assert "data-scan" in page and "jsQR.js" in page
    checked = client.post(url, {"place": place.pk, "code": voucher.code.lower(), "action": "check"}).content.decode()
    assert "Confirm redemption" in checked and "Haircut and wash" in checked
    done = client.post(url, {"place": place.pk, "code": voucher.code, "action": "confirm"}).content.decode()
    assert "Redeemed" in done and reverse("o2o:console_undo", args=[place.seller.pk, voucher.pk]) in done
    assert Voucher.objects.get(pk=voucher.pk).state == Voucher.State.REDEEMED
    again = client.post(url, {"place": place.pk, "code": voucher.code, "action": "check"}).content.decode()
    assert "Already used" in again
    log_url = reverse("o2o:console_redemptions", args=[place.seller.pk])
    with django_assert_max_num_queries(25):
        assert voucher.deal.product.title in client.get(log_url).content.decode()
    client.post(reverse("o2o:console_undo", args=[place.seller.pk, voucher.pk]), {"next": log_url})
    assert Voucher.objects.get(pk=voucher.pk).state == Voucher.State.VALID
    wrong = client.post(url, {"place": place.pk, "code": "NOTACODE", "action": "check"})
    assert wrong.status_code == 404 and "No voucher has this code" in wrong.content.decode()


def test_the_console_menu_shows_deals_and_redeem_to_a_local_business():
    place = local.place()
    page = web_as(place.seller.owner).get(reverse("o2o:console_deals", args=[place.seller.pk])).content.decode()
    assert reverse("o2o:console_redeem", args=[place.seller.pk]) in page
    merchant = factories.seller_with_owner(kind="merchant")
    page = web_as(merchant.owner).get(reverse("console:dashboard", args=[merchant.pk])).content.decode()
    assert "/deals/" not in page


def test_the_storefront_sends_a_service_product_to_its_booking_page():
    service = local.service()
    product = service.product
    answer = web_as().get(reverse("storefront:product", args=[product.pk, product.slug]))
    assert answer.status_code == 302 and answer["Location"] == reverse("o2o:service", args=[service.pk])


def test_the_deal_page_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    place = local.place()
    deal = local.deal(place, tipping_point=5)
    buyer = factories.UserFactory()
    client = web_as(buyer)
    client.get(reverse("o2o:deal", args=[deal.pk]))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("o2o:deal", args=[deal.pk]))
    for n in range(4):
        deal.places.add(local.place(place.seller, name=f"Branch {n}"))
        bought(deal)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Branch 3" in client.get(reverse("o2o:deal", args=[deal.pk])).content.decode()


def test_a_live_deal_is_edited_in_the_console_without_touching_what_was_sold():
    place = local.place()
    org = place.seller
    deal = local.deal(place, tipping_point=5)
    client = web_as(org.owner)
    url = reverse("o2o:console_deal_edit", args=[org.pk, deal.pk])
    form = client.get(url)
    assert form.status_code == 200
    from django.utils import timezone

    local_time = "%Y-%m-%dT%H:%M"
    saved = client.post(
        url,
        {
            "title": "Haircut, wash and style",
            "price": "39.00",
            "original_price": "68.00",
            "place_ids": [place.pk],
            "sale_starts_at": timezone.localtime(deal.sale_starts_at).strftime(local_time),
            "sale_ends_at": timezone.localtime(deal.sale_ends_at + timedelta(days=2)).strftime(local_time),
            "voucher_valid_days": "90",
            "per_person_limit": "5",
            "tipping_point": "5",
            "refundable_any_time": "on",
            "at_expiry": "refund",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    deal.refresh_from_db()
    assert deal.product.title == "Haircut, wash and style" and deal.tipping_point == 5
