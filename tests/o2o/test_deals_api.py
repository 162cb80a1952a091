"""Deals, vouchers and redemption through the API: buyers, the business's staff, strangers; query budgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from tests import factories
from tests.api.conftest import Api, assert_error
from tests.o2o import local
from tests.o2o.dealing import bought, owner, vouchers_of
from tradeloop.accounts.services import issue_token
from tradeloop.core import clock
from tradeloop.o2o.models import Deal, Voucher

pytestmark = pytest.mark.django_db


def api_as(user=None) -> Api:
    if user is None:
        return Api(Client())
    _, secret = issue_token(user=user)
    return Api(Client(), secret)


def test_the_public_deal_list_and_one_deal(django_assert_max_num_queries):
    place = local.place()
    for n in range(6):
        local.deal(place, title=f"Deal {n}", tipping_point=10)
    local.deal(local.place(city="Shanghai", city_zh="上海"))
    api = api_as()
    with django_assert_max_num_queries(6):
        page = api.get("deals", {"place": place.pk}).json()
    assert len(page["items"]) == 6
    one = page["items"][0]
    assert one["price"] == "39.00" and one["original_price"] == "68.00" and one["discount_percent"] == 42
    assert one["tipping_point"] == 10 and not one["tipped"] and one["places"][0]["id"] == place.pk
    assert len(api.get("deals", {"city": "Shanghai"}).json()["items"]) == 1
    assert api.get(f"deals/{one['id']}").json()["id"] == one["id"]
    assert_error(api.get("deals/999999"), 404)


def test_buy_then_pay_then_see_the_vouchers(django_assert_max_num_queries):
    deal = local.deal()
    buyer = factories.UserFactory()
    api = api_as(buyer)
    answer = api.post(f"deals/{deal.pk}/buy", {"quantity": 2}, HTTP_IDEMPOTENCY_KEY="b-1")
    assert answer.status_code == 201, answer.content
    again = api.post(f"deals/{deal.pk}/purchase", {"quantity": 2}, HTTP_IDEMPOTENCY_KEY="b-1")
    assert again.json()["number"] == answer.json()["number"]
    from tradeloop.orders.models import Order

    factories.pay_placed(Order.objects.get(number=answer.json()["number"]))
    with django_assert_max_num_queries(8):
        listed = api.get("vouchers").json()["items"]
    assert len(listed) == 2 and listed[0]["state"] == "valid" and listed[0]["qr_svg"].startswith("<svg")
    one = api.get(f"vouchers/{listed[0]['id']}").json()
    assert one["code"].replace(" ", "") == one["code_grouped"].replace(" ", "") and one["refundable"]
    refunded = api.post(f"vouchers/{one['id']}/refund")
    assert refunded.status_code == 200 and refunded.json()["state"] == "refunded"
    assert_error(api.post(f"vouchers/{one['id']}/refund"), 409, "voucher_not_refundable")
    assert_error(api_as(factories.UserFactory()).get(f"vouchers/{one['id']}"), 404)


def test_buying_refusals():
    deal = local.deal(per_person_limit=1, stock_cap=5)
    api = api_as(factories.UserFactory())
    assert_error(api.post(f"deals/{deal.pk}/buy", {"quantity": 2}), 409, "over_person_limit")
    assert_error(api.post(f"deals/{deal.pk}/buy", {"quantity": 0}), 422)
    assert_error(api_as().post(f"deals/{deal.pk}/buy", {"quantity": 1}), 401)


def test_the_business_creates_publishes_edits_and_withdraws_a_deal(django_assert_max_num_queries):
    place = local.place()
    api = api_as(place.seller.owner)
    now = clock.now()
    body = {
        "organization": place.seller_id,
        "title": "Family hotpot for four",
        "title_zh": "四人火锅套餐",
        "price": "199.00",
        "original_price": "298.00",
        "place_ids": [place.pk],
        "sale_starts_at": now.isoformat(),
        "sale_ends_at": (now + timedelta(days=10)).isoformat(),
        "tipping_point": 20,
        "at_expiry": "forfeit",
    }
    made = api.post("seller/deals", body)
    assert made.status_code == 201, made.content
    deal = made.json()
    assert deal["state"] == "draft" and deal["at_expiry"] == "forfeit"
    assert api.post(f"seller/deals/{deal['id']}/publish").json()["state"] == "live"
    edited = api.patch(f"seller/deals/{deal['id']}", {"usage_rules": "Weekdays only", "stock_cap": 200})
    assert edited.json()["stock_cap"] == 200 and edited.json()["usage_rules_en"] == "Weekdays only"
    assert_error(api.patch(f"seller/deals/{deal['id']}", {"price": "99.00"}), 400, field="price")
    with django_assert_max_num_queries(10):
        assert len(api.get("seller/deals", {"organization": place.seller_id}).json()["items"]) == 1
    assert api.post(f"seller/deals/{deal['id']}/withdraw").json()["state"] == "withdrawn"
    rival = api_as(local.place().seller.owner)
    assert_error(rival.get(f"seller/deals/{deal['id']}"), 404)
    assert_error(rival.post("seller/deals", body), 404)
    other_place = local.place()
    assert_error(api.post("seller/deals", {**body, "place_ids": [other_place.pk]}), 400, field="place_ids")


def test_staff_preview_redeem_undo_and_read_the_log(django_assert_max_num_queries):
    place = local.place()
    (voucher,) = vouchers_of(bought(local.deal(place)))
    clerk = factories.member(place.seller, "fulfilment")
    api = api_as(clerk)
    seen = api.post("seller/redemptions", {"place_id": place.pk, "code": voucher.code.lower(), "confirm": False})
    assert seen.status_code == 200 and seen.json()["redeemable"] and seen.json()["state"] == "valid"
    done = api.post("seller/redemptions", {"place_id": place.pk, "code": voucher.code})
    assert done.status_code == 201 and done.json()["state"] == "redeemed" and done.json()["undo_until"]
    assert_error(api.post("seller/vouchers/redeem", {"place_id": place.pk, "code": voucher.code}), 409, "voucher_used")
    with django_assert_max_num_queries(6):
        log = api.get("seller/redemptions", {"organization": place.seller_id}).json()["items"]
    assert [row["voucher_id"] for row in log] == [voucher.pk]
    undone = api.post(f"seller/redemptions/{voucher.pk}/undo")
    assert undone.status_code == 200 and undone.json()["state"] == "valid"
    assert Voucher.objects.get(pk=voucher.pk).state == "valid"


def test_wrong_codes_answer_404_then_429(settings):
    settings.TRADELOOP_O2O_WRONG_CODES = 2
    place = local.place()
    (voucher,) = vouchers_of(bought(local.deal(place)))
    api = api_as(owner(place.seller))
    rival_place = local.place()
    (rivals,) = vouchers_of(bought(local.deal(rival_place)))
    assert_error(api.post("seller/redemptions", {"place_id": place.pk, "code": rivals.code}), 404, "not_found")
    assert_error(api.post("seller/redemptions", {"place_id": place.pk, "code": "NOPE"}), 404, "not_found")
    assert_error(
        api.post("seller/redemptions", {"place_id": place.pk, "code": voucher.code}), 429, "too_many_wrong_codes"
    )
    assert_error(api.post("seller/redemptions", {"place_id": rival_place.pk, "code": rivals.code}), 404)
    assert Deal.objects.count() == 2
