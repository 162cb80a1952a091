"""Fulfilment over the API: shipping methods, POST seller/orders/{id}/ship, parcels, and the signed carrier webhook."""

import json

import pytest
from django.test import Client

from tests import factories
from tests.api.conftest import assert_error
from tradeloop.core.models import Event
from tradeloop.fulfilment.api import SIGNATURE_HEADER, sign
from tradeloop.fulfilment.models import Shipment, ShippingMethod
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db
SECRET = "carrier-test-secret"


@pytest.fixture
def carrier_secret(settings):
    settings.TRADELOOP_CARRIER_SECRET = SECRET
    return SECRET


def post_carrier_event(body: dict, *, signature: str | None = None):
    raw = json.dumps(body).encode()
    headers = {SIGNATURE_HEADER: signature if signature is not None else sign(raw, SECRET)}
    return Client().post("/api/v1/fulfilment/carrier-webhook", raw, content_type="application/json", headers=headers)


# --- shipping methods ----------------------------------------------------------------------------------------------


def test_seller_adds_and_lists_shipping_methods(owner_api, merchant):
    created = owner_api.post(
        "seller/shipping-methods",
        {
            "organization": merchant.pk,
            "name": "SF by weight",
            "kind": "weight",
            "rate": "30",
            "bands": [{"up_to": 1000, "rate": "8"}, {"up_to": 5000, "rate": "15.5"}],
            "free_over": "199",
            "delivery_days": 2,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["bands"] == [{"up_to": "1000", "rate": "8.00"}, {"up_to": "5000", "rate": "15.50"}]
    assert body["rate"] == "30.00" and body["free_over"] == "199.00" and body["currency"] == "CNY"

    patched = owner_api.patch(f"seller/shipping-methods/{body['id']}", {"free_over": None, "is_active": False})
    assert patched.status_code == 200, patched.content
    assert patched.json()["free_over"] is None and patched.json()["is_active"] is False
    assert patched.json()["bands"] == body["bands"]  # untouched

    listed = owner_api.get("seller/shipping-methods", {"organization": merchant.pk})
    assert [m["name"] for m in listed.json()] == ["SF by weight"]
    assert owner_api.delete(f"seller/shipping-methods/{body['id']}").status_code == 204
    assert not ShippingMethod.objects.exists()


@pytest.mark.parametrize(
    "bands, field",
    [
        ([{"up_to": 5000, "rate": "8"}, {"up_to": 1000, "rate": "15"}], "bands.1.up_to"),  # not ascending
        ([{"up_to": 1000, "rate": "8"}, {"up_to": 1000, "rate": "9"}], "bands.1.up_to"),  # not strictly
        ([{"up_to": 1000, "rate": "-1"}], "bands.0.rate"),  # negative rate
        ([{"up_to": 0, "rate": "1"}], "bands.0.up_to"),  # zero bound
        ([{"up_to": "10.5", "rate": "1"}], "bands.0.up_to"),  # grams are whole
        ([], "bands"),  # weight pricing needs bands
    ],
)
def test_bad_bands_are_refused_with_the_field(owner_api, merchant, bands, field):
    response = owner_api.post(
        "seller/shipping-methods",
        {"organization": merchant.pk, "name": "Bad", "kind": "weight", "rate": "10", "bands": bands},
    )
    assert_error(response, 400, "invalid", field)
    assert not ShippingMethod.objects.exists()


def test_negative_rate_and_other_tenants(owner_api, merchant, rival, api_as):
    assert_error(
        owner_api.post("seller/shipping-methods", {"organization": merchant.pk, "name": "X", "rate": "-1"}),
        400,
        "invalid",
        "rate",
    )
    method = ShippingMethod.objects.create(seller=rival, name="Theirs", rate=5)
    assert_error(owner_api.get("seller/shipping-methods", {"organization": rival.pk}), 404)
    assert_error(owner_api.patch(f"seller/shipping-methods/{method.pk}", {"name": "Mine"}), 404)
    assert_error(owner_api.delete(f"seller/shipping-methods/{method.pk}"), 404)
    catalog_staff = api_as(factories.member(merchant, "catalog"))
    assert_error(catalog_staff.get("seller/shipping-methods", {"organization": merchant.pk}), 403)


def test_shipping_methods_list_query_budget(owner_api, merchant, django_assert_max_num_queries):
    for i in range(40):
        ShippingMethod.objects.create(seller=merchant, name=f"Method {i}", rate=i)
    with django_assert_max_num_queries(6):
        response = owner_api.get("seller/shipping-methods", {"organization": merchant.pk})
    assert len(response.json()) == 40


# --- shipping ------------------------------------------------------------------------------------------------------


def test_ship_over_the_api_partially_then_fully(owner_api, merchant, api_as):
    order = factories.paid_order(seller=merchant)
    line = order.lines.get()
    first = owner_api.post(
        f"seller/orders/{order.pk}/ship",
        {"carrier": "SF Express", "tracking_number": "SF100", "lines": [{"line_id": line.pk, "quantity": 1}]},
    )
    assert first.status_code == 201, first.content
    assert first.json()["lines"] == [{"line_id": line.pk, "sku": line.sku, "title": line.product_title, "quantity": 1}]
    order.refresh_from_db()
    assert order.state == Order.State.PARTIALLY_SHIPPED

    too_many = owner_api.post(
        f"seller/orders/{order.pk}/ship",
        {"carrier": "SF Express", "tracking_number": "SF101", "lines": [{"line_id": line.pk, "quantity": 5}]},
    )
    assert_error(too_many, 409, "over_shipped", f"lines.{line.pk}")

    rest = owner_api.post(f"seller/orders/{order.pk}/ship", {"carrier": "SF Express", "tracking_number": "SF102"})
    assert rest.status_code == 201
    order.refresh_from_db()
    assert order.state == Order.State.SHIPPED

    buyer_view = api_as(order.buyer).get(f"orders/{order.number}/shipments")
    assert [s["tracking_number"] for s in buyer_view.json()] == ["SF100", "SF102"]
    assert_error(api_as(factories.UserFactory()).get(f"orders/{order.number}/shipments"), 404)


def test_ship_errors(owner_api, merchant, rival, api_as):
    order = factories.paid_order(seller=merchant)
    assert_error(owner_api.post(f"seller/orders/{order.pk}/ship", {"carrier": "SF"}), 422, field="tracking_number")
    assert_error(
        owner_api.post(f"seller/orders/{order.pk}/ship", {"carrier": "SF", "tracking_number": "A", "lines": []}),
        400,
        field="lines",
    )
    assert_error(
        api_as(rival.owner).post(f"seller/orders/{order.pk}/ship", {"carrier": "SF", "tracking_number": "B"}), 404
    )
    support = api_as(factories.member(merchant, "support"))
    assert_error(support.post(f"seller/orders/{order.pk}/ship", {"carrier": "SF", "tracking_number": "C"}), 403)
    assert_error(owner_api.post("seller/orders/999999/ship", {"carrier": "SF", "tracking_number": "D"}), 404)


def test_mark_delivered_over_the_api(owner_api, merchant):
    order = factories.paid_order(seller=merchant)
    shipment = owner_api.post(f"seller/orders/{order.pk}/ship", {"carrier": "JD", "tracking_number": "JD1"}).json()
    response = owner_api.post(f"seller/shipments/{shipment['id']}/delivered")
    assert response.status_code == 200 and response.json()["state"] == "delivered"
    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED


# --- carrier webhook -----------------------------------------------------------------------------------------------


def test_carrier_webhook_delivers_and_replays_are_harmless(merchant, owner_api, carrier_secret):
    order = factories.paid_order(seller=merchant)
    owner_api.post(f"seller/orders/{order.pk}/ship", {"carrier": "SF Express", "tracking_number": "SF900"})
    event = {"carrier": "SF Express", "tracking_number": "SF900", "status": "delivered"}

    first = post_carrier_event(event)
    assert first.status_code == 200, first.content
    assert first.json()["state"] == "delivered"
    events_after_first = Event.objects.count()
    replay = post_carrier_event(event)
    assert replay.status_code == 200 and replay.json()["state"] == "delivered"
    assert Event.objects.count() == events_after_first  # nothing happened twice
    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED


def test_carrier_webhook_with_a_bad_signature_is_refused(merchant, owner_api, carrier_secret):
    order = factories.paid_order(seller=merchant)
    owner_api.post(f"seller/orders/{order.pk}/ship", {"carrier": "SF", "tracking_number": "SF901"})
    event = {"carrier": "SF", "tracking_number": "SF901", "status": "delivered"}
    assert_error(post_carrier_event(event, signature="0" * 64), 400, field=SIGNATURE_HEADER)
    assert_error(post_carrier_event(event, signature=""), 400)
    assert_error(post_carrier_event(event, signature=sign(json.dumps(event), "another secret")), 400)
    assert Shipment.objects.get(tracking_number="SF901").state == Shipment.State.SHIPPED
    assert_error(post_carrier_event({**event, "tracking_number": "UNKNOWN"}), 404)
    assert_error(post_carrier_event({**event, "status": "lost in space"}), 400, field="status")


def test_carrier_webhook_refuses_everything_without_a_secret(merchant, settings):
    settings.TRADELOOP_CARRIER_SECRET = ""
    event = {"carrier": "SF", "tracking_number": "X", "status": "delivered"}
    assert_error(post_carrier_event(event, signature=sign(json.dumps(event), "")), 400)


def test_a_line_named_twice_ships_nothing(owner_api, merchant):
    order = factories.paid_order(seller=merchant)
    twice = [{"line_id": order.lines.get().pk, "quantity": 1}] * 2

    answer = owner_api.post(
        f"seller/orders/{order.pk}/ship", {"carrier": "SF", "tracking_number": "SF9", "lines": twice}
    )

    assert_error(answer, 400, "invalid", "lines")
    assert not Shipment.objects.exists()
