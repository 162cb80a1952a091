"""The console's Shipping page (methods with bands) and the ship / mark-delivered actions of the order page."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from tests import factories
from tradeloop.accounts.console_access import Console
from tradeloop.fulfilment.models import Shipment, ShippingMethod
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db


def url(name: str, org, *args) -> str:
    return reverse(f"fulfilment:{name}", args=[org.pk, *args])


def method_form(**fields) -> dict:
    data = {
        "name": "SF Express",
        "kind": "flat",
        "rate": "12.00",
        "bands": "",
        "free_over": "",
        "delivery_days": "2",
        "position": "0",
        "is_active": "on",
    }
    return data | fields


@pytest.fixture
def owner_client(client, merchant):
    client.force_login(merchant.owner)
    return client


def test_empty_shipping_page_invites_to_add_a_method(owner_client, merchant):
    page = owner_client.get(url("console_shipping_methods", merchant))
    assert page.status_code == 200
    assert "No shipping methods yet" in page.text
    assert url("console_shipping_method_new", merchant) in page.text


def test_add_edit_and_delete_a_banded_method(owner_client, merchant):
    response = owner_client.post(
        url("console_shipping_method_new", merchant),
        method_form(name="By weight", kind="weight", rate="30", bands="1000: 8\n5000: 15.50", free_over="199"),
    )
    assert response.status_code == 302
    method = ShippingMethod.objects.get(seller=merchant)
    assert method.bands == [{"up_to": 1000, "rate": "8.00"}, {"up_to": 5000, "rate": "15.50"}]
    page = owner_client.get(url("console_shipping_methods", merchant))
    assert "By weight" in page.text and "≤ 5000 g" in page.text

    edit = owner_client.get(url("console_shipping_method_edit", merchant, method.pk))
    assert "1000: 8.00" in edit.text
    owner_client.post(url("console_shipping_method_edit", merchant, method.pk), method_form(name="Flat now"))
    method.refresh_from_db()
    assert (method.name, method.kind, method.bands) == ("Flat now", "flat", [])

    owner_client.post(url("console_shipping_method_delete", merchant, method.pk))
    assert not ShippingMethod.objects.exists()


@pytest.mark.parametrize(
    "bands, message",
    [
        ("5000: 8\n1000: 15", "bands must go up"),
        ("1000: -2", "cannot be negative"),
        ("1000 8", "Write each band as"),
        ("", "add at least one band"),
    ],
)
def test_bad_bands_show_a_form_error_and_save_nothing(owner_client, merchant, bands, message):
    response = owner_client.post(url("console_shipping_method_new", merchant), method_form(kind="price", bands=bands))
    assert response.status_code == 400
    assert message in response.text
    assert not ShippingMethod.objects.exists()


def test_who_may_manage_shipping(client, merchant, rival):
    theirs = ShippingMethod.objects.create(seller=rival, name="Theirs", rate=5)
    client.force_login(factories.member(merchant, "catalog"))
    assert client.get(url("console_shipping_methods", merchant)).status_code == 403
    client.force_login(factories.member(merchant, "fulfilment"))
    assert client.get(url("console_shipping_methods", merchant)).status_code == 200
    assert client.get(url("console_shipping_methods", rival)).status_code == 404
    assert client.get(url("console_shipping_method_edit", merchant, theirs.pk)).status_code == 404
    assert client.post(url("console_shipping_method_delete", merchant, theirs.pk)).status_code == 404
    assert ShippingMethod.objects.filter(pk=theirs.pk).exists()


def test_shipping_page_query_budget(owner_client, merchant, django_assert_max_num_queries):
    for i in range(60):
        ShippingMethod.objects.create(
            seller=merchant, name=f"Method {i}", kind="weight", rate=i, bands=[{"up_to": 1000, "rate": "5.00"}]
        )
    with django_assert_max_num_queries(12):  # the console frame's own, plus one for the methods, whatever their number
        page = owner_client.get(url("console_shipping_methods", merchant))
    assert page.text.count("Method ") >= 60


# --- shipping from the order page ----------------------------------------------------------------------------------


def render_ship_panel(order, user):
    membership = user.memberships.select_related("organization", "role").get(organization=order.seller)
    console = Console(membership=membership, memberships=[membership], section="orders:console_orders")
    request = RequestFactory().get("/console/")
    request.user = user
    template = Template("{% load fulfilment %}{% ship_panel order console %}")
    return template.render(Context({"order": order, "console": console, "request": request}))


def test_ship_panel_shows_the_form_then_the_parcels(merchant):
    order = factories.paid_order(seller=merchant)
    line = order.lines.get()
    html = render_ship_panel(order, merchant.owner)
    assert f'name="qty-{line.pk}"' in html and 'name="tracking_number"' in html

    Shipment.objects.create(order=order, carrier="SF", tracking_number="SF77")
    html = render_ship_panel(order, factories.member(merchant, "support"))
    assert "SF77" in html and 'name="tracking_number"' not in html  # support sees parcels, cannot ship


def test_ship_and_mark_delivered_from_the_console(owner_client, merchant):
    order = factories.paid_order(seller=merchant)
    line = order.lines.get()
    back = f"/console/{merchant.pk}/orders/{order.pk}/"
    response = owner_client.post(
        url("console_ship", merchant, order.pk),
        {f"qty-{line.pk}": "1", "carrier": "SF Express", "tracking_number": "SF555", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    order.refresh_from_db()
    assert order.state == Order.State.PARTIALLY_SHIPPED

    too_many = owner_client.post(
        url("console_ship", merchant, order.pk),
        {f"qty-{line.pk}": "9", "carrier": "SF Express", "tracking_number": "SF556", "next": back},
        follow=True,
    )
    assert "left to ship" in too_many.text
    owner_client.post(
        url("console_ship", merchant, order.pk),
        {f"qty-{line.pk}": "1", "carrier": "SF Express", "tracking_number": "SF557", "next": back},
    )
    for shipment in Shipment.objects.filter(order=order):
        owner_client.post(url("console_mark_delivered", merchant, shipment.pk), {"next": back})
    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED


def test_console_ship_refuses_other_tenants_and_roles(client, merchant, rival):
    order = factories.paid_order(seller=merchant)
    client.force_login(rival.owner)
    data = {"carrier": "SF", "tracking_number": "Z1"}
    assert client.post(url("console_ship", rival, order.pk), data).status_code == 404
    client.force_login(factories.member(merchant, "support"))
    assert client.post(url("console_ship", merchant, order.pk), data).status_code == 403
    assert not Shipment.objects.exists()
