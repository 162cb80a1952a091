"""After-sales web pages: the buyer's return form and list, the console's Returns desk."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests import factories
from tradeloop.aftersales import services
from tradeloop.aftersales.models import ReturnRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(merchant):
    return factories.delivered_order(seller=merchant)


def console_url(name: str, org, *args) -> str:
    return reverse(f"aftersales:{name}", args=[org.pk, *args])


# --- buyer ---------------------------------------------------------------------------------------------------------


def test_buyer_asks_for_a_return_from_the_form(client, order):
    client.force_login(order.buyer)
    line = order.lines.get()
    form_url = reverse("aftersales:request_return", args=[order.number])
    page = client.get(form_url)
    assert page.status_code == 200 and f'name="qty-{line.pk}"' in page.text

    response = client.post(form_url, {f"qty-{line.pk}": "1", "kind": "return", "reason": ""})
    assert response.status_code == 302
    request = ReturnRequest.objects.get()
    assert (request.buyer, request.refund_amount, request.lines.get().quantity) == (order.buyer, 12.5, 1)

    listed = client.get(reverse("aftersales:my_returns"))
    assert order.number in listed.text and "Requested" in listed.text
    client.post(reverse("aftersales:withdraw", args=[request.pk]))
    request.refresh_from_db()
    assert request.state == ReturnRequest.State.CANCELLED


def test_return_form_errors_and_closed_window(client, order, clock):
    client.force_login(order.buyer)
    line = order.lines.get()
    form_url = reverse("aftersales:request_return", args=[order.number])
    too_many = client.post(form_url, {f"qty-{line.pk}": "5", "kind": "return"})
    assert too_many.status_code == 400 and "at most 2" in too_many.text
    nothing = client.post(form_url, {f"qty-{line.pk}": "0", "kind": "return"})
    assert nothing.status_code == 400 and "at least one" in nothing.text
    garbage = client.post(form_url, {f"qty-{line.pk}": "two", "kind": "return"})
    assert garbage.status_code == 400
    assert not ReturnRequest.objects.exists()

    clock.travel(order.delivered_at + timedelta(days=8))
    closed = client.get(form_url)
    assert "Nothing to return" in closed.text and "Window closed" not in closed.text


def test_someone_elses_order_is_not_found(client, order):
    client.force_login(factories.UserFactory())
    assert client.get(reverse("aftersales:request_return", args=[order.number])).status_code == 404
    client.logout()
    assert client.get(reverse("aftersales:request_return", args=[order.number])).status_code == 302  # sign in


def test_order_page_include_offers_a_return_and_lists_them(order):
    html = Template("{% load aftersales %}{% order_returns order %}").render(Context({"order": order}))
    assert reverse("aftersales:request_return", args=[order.number]) in html
    services.request_return(actor=order.buyer, order=order, lines={order.lines.get().pk: 2})
    html = Template("{% load aftersales %}{% order_returns order %}").render(Context({"order": order}))
    assert "Requested" in html and reverse("aftersales:request_return", args=[order.number]) not in html


# --- seller console ------------------------------------------------------------------------------------------------


def test_console_returns_desk_filters_approves_and_rejects(client, order, merchant):
    line = order.lines.get()
    first = services.request_return(actor=order.buyer, order=order, lines={line.pk: 1})
    second = services.request_return(actor=order.buyer, order=order, lines={line.pk: 1}, reason="too small")
    client.force_login(factories.member(merchant, "support"))

    desk = client.get(console_url("console_returns", merchant), {"state": "requested"})
    assert desk.status_code == 200 and "too small" in desk.text
    assert console_url("console_approve", merchant, first.pk) in desk.text

    client.post(console_url("console_approve", merchant, first.pk), {"note": ""})
    rejected = client.post(console_url("console_reject", merchant, second.pk), {"note": "Used"}, follow=True)
    assert "rejected" in rejected.text
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("refunded", "rejected")

    refunded_tab = client.get(console_url("console_returns", merchant), {"state": "refunded"})
    assert refunded_tab.context["returns"] == [first]


def test_reject_without_a_reason_is_an_error_message(client, order, merchant):
    request = services.request_return(actor=order.buyer, order=order, lines={order.lines.get().pk: 1})
    client.force_login(merchant.owner)
    page = client.post(console_url("console_reject", merchant, request.pk), {"note": ""}, follow=True)
    assert "Tell the buyer why" in page.text
    request.refresh_from_db()
    assert request.state == "requested"


def test_console_returns_access(client, order, merchant, rival):
    request = services.request_return(actor=order.buyer, order=order, lines={order.lines.get().pk: 1})
    client.force_login(factories.member(merchant, "catalog"))
    assert client.get(console_url("console_returns", merchant)).status_code == 403
    client.force_login(factories.member(merchant, "finance"))  # sees the desk, may not decide
    page = client.get(console_url("console_returns", merchant))
    assert page.status_code == 200 and console_url("console_approve", merchant, request.pk) not in page.text
    assert client.post(console_url("console_approve", merchant, request.pk)).status_code == 403
    client.force_login(rival.owner)
    assert client.post(console_url("console_approve", rival, request.pk)).status_code == 404
    request.refresh_from_db()
    assert request.state == "requested"


def test_console_returns_query_budget(client, merchant, django_assert_max_num_queries):
    tea = factories.published_product(merchant, title="Tea", stock=500).variants.get()
    for _ in range(3):
        order = factories.delivered_order(seller=merchant, items=[(tea, 10)])
        for _ in range(10):
            services.request_return(actor=order.buyer, order=order, lines={order.lines.get().pk: 1})
    client.force_login(merchant.owner)
    with django_assert_max_num_queries(13):  # the console nav counts unanswered reviews too
        page = client.get(console_url("console_returns", merchant))
    assert len(page.context["returns"]) == 25


def test_seller_sets_a_products_return_window_in_the_console(client, merchant):
    from tests.console.conftest import product_form, variant_row
    from tradeloop.catalog.models import Product

    client.force_login(merchant.owner)
    response = client.post(
        reverse("console:product_create", args=[merchant.pk]),
        product_form(title="Silk scarf", variants=[variant_row("SCARF-1")], return_window_days="15"),
    )
    assert response.status_code == 302, response.content
    scarf = Product.objects.get(title="Silk scarf")
    assert scarf.return_window_days == 15 and scarf.effective_return_window_days == 15
    too_long = client.post(
        reverse("console:product_edit", args=[merchant.pk, scarf.pk]),
        product_form(title="Silk scarf", return_window_days="400"),
    )
    assert too_long.status_code in (200, 400) and "365" in too_long.text
    scarf.refresh_from_db()
    assert scarf.return_window_days == 15
