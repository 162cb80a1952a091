"""Every event a person must act on gives them an in-site notice (in their language) beside the e-mail, and the
organizations' webhooks hear of it: new orders, quotes, countered offers, disputes, expiring vouchers, redemptions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import factories
from tests.c2c.trading import offered_c2c_order, shipped_c2c_order
from tests.o2o import local
from tests.o2o.dealing import bought, vouchers_of
from tradeloop.c2c import disputes
from tradeloop.notifications import webhooks
from tradeloop.notifications.models import Notification, WebhookDelivery
from tradeloop.o2o import redemption
from tradeloop.o2o.notices import sweep_expiring_vouchers

pytestmark = pytest.mark.django_db


def notices(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def subscribe(org, *events):
    return webhooks.create_endpoint(
        actor=org.memberships.get(role__code="owner").user,
        organization_id=org.pk,
        url="http://127.0.0.1:9/h",
        events=list(events),
    )


def test_a_new_order_tells_the_sellers_staff_in_their_language(
    merchant, mailoutbox, celery_eager, django_capture_on_commit_callbacks
):
    merchant.owner.language = "zh-hans"
    merchant.owner.save()
    packer = factories.member(merchant, "fulfilment")
    subscribe(merchant, "order.placed", "order.paid")
    with django_capture_on_commit_callbacks(execute=True):
        order = factories.paid_order(seller=merchant)
    (owner_notice,) = notices(merchant.owner, "new_order")
    assert owner_notice.title == f"新订单 {order.number}"
    assert owner_notice.link == f"/console/{merchant.pk}/orders/{order.pk}/" or owner_notice.link.endswith(
        f"/{order.pk}/"
    )
    assert notices(packer, "new_order")[0].title == f"New order {order.number}"
    assert f"新订单 {order.number}" in [m.subject for m in mailoutbox]
    # the buyer's e-mails have in-site twins, linked to the order
    paid = notices(order.buyer, "paid")
    assert paid and paid[0].link.startswith("/orders/")
    assert set(WebhookDelivery.objects.values_list("event_type", flat=True)) == {"order.placed", "order.paid"}


def test_a_countered_offer_tells_the_other_party_and_the_webhook():
    order = offered_c2c_order(countered=True)
    assert len(notices(order.buyer, "offer_countered")) == 1


def test_a_dispute_tells_the_seller_and_its_webhook():
    order = shipped_c2c_order()
    subscribe(order.seller, "dispute.opened")
    dispute = disputes.open_dispute(actor=order.buyer, order_id=order.pk, reason="not_received", description="x")
    owner = order.seller.memberships.get(role__code="owner").user
    (notice,) = notices(owner, "dispute_opened")
    assert order.number in notice.title and notice.link == f"/disputes/{dispute.pk}/"
    delivery = WebhookDelivery.objects.get(event_type="dispute.opened")
    assert delivery.payload["data"]["dispute"]["id"] == dispute.pk


def test_expiring_vouchers_tell_their_buyer_once_and_redemption_reaches_the_webhook(clock):
    place = local.place()
    order = bought(local.deal(place, voucher_valid_days=10))
    (voucher,) = vouchers_of(order)
    subscribe(place.seller, "voucher.redeemed")
    assert sweep_expiring_vouchers(clock.now()) == 0  # ten days left
    clock.travel(voucher.valid_until - timedelta(days=2))
    assert sweep_expiring_vouchers(clock.now()) == 1
    assert sweep_expiring_vouchers(clock.now()) == 0  # once
    assert notices(order.buyer, "voucher_expiring")[0].link == f"/local/vouchers/{voucher.pk}/"
    clerk = factories.member(place.seller, "fulfilment")
    redemption.redeem(actor=clerk, place_id=place.pk, code=voucher.code)
    assert WebhookDelivery.objects.get(event_type="voucher.redeemed").payload["data"]["voucher"]["id"] == voucher.pk
