"""The pages around paying: the sandbox gateway's page says whom the buyer pays and for what; the confirmation page
polls itself while the payment is awaited and stops once it is settled (or after a minute)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.checkout.conftest import fill_cart, place_form
from tradeloop.checkout.models import Checkout
from tradeloop.checkout.views import POLLS
from tradeloop.core.money import Money
from tradeloop.payments import services as payments
from tradeloop.payments.models import Payment
from tradeloop.payments.providers import sandbox

CHECKOUT = reverse("checkout:checkout")


@pytest.fixture
def placed(client, buyer, address, shop):
    """Two stores' goods in one checkout, placed from the web: the answer is the gateway's page URL."""
    fill_cart(buyer, [(shop["tea"], 2), (shop["apples"], 3)])
    client.force_login(buyer)
    response = client.post(CHECKOUT, place_form(address, shop, "pay-pages"))
    assert response.status_code == 302
    return response["Location"]


def test_the_gateway_page_names_the_stores_and_what_is_bought(client, placed):
    page = client.get(placed).content.decode()
    payment = Payment.objects.get()
    summary = page[page.index("data-payment-summary") :]
    assert re.search(r"Tea House</strong>.*2 × Longjing tea", summary, re.S)
    assert re.search(r"Fruit Farm</strong>.*3 × Fuji apples", summary, re.S)
    assert "CN¥" in summary and payment.provider_ref not in page and payment.purpose not in page


def test_a_payment_nobody_describes_still_shows_whom_and_how_much(client, buyer):
    _, url = payments.start_payment(
        payer=buyer, amount=Money(Decimal("9.50"), "CNY"), purpose="tip:1", return_url="/", expires_at=None
    )
    page = client.get(url).content.decode()
    assert "Tradeloop" in page and "9.50" in page


def test_the_confirmation_polls_while_the_payment_is_awaited_and_stops_when_paid(
    client, placed, eager, django_capture_on_commit_callbacks
):
    checkout = Checkout.objects.get()
    done = reverse("checkout:done", args=[checkout.pk])
    waiting = client.get(done).content.decode()
    assert f'hx-get="{done}?poll=1"' in waiting and 'hx-trigger="every 1s"' in waiting
    assert '<noscript><meta http-equiv="refresh"' in waiting  # without script the page reloads itself

    asked = client.get(f"{done}?poll=7", HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{done}?poll=8"' in asked

    with django_capture_on_commit_callbacks(execute=True):  # the gateway's webhook lands
        sandbox.pay(Payment.objects.get())
    paid = client.get(f"{done}?poll=8", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-state="paid"' in paid and "hx-get" not in paid and "Thank you, your order is paid" in paid


def test_the_confirmation_stops_polling_after_a_minute_and_offers_a_link(client, placed):
    checkout = Checkout.objects.get()
    done = reverse("checkout:done", args=[checkout.pk])
    for poll in (str(POLLS), "99999", "-1", "x"):
        page = client.get(done, {"poll": poll}).content.decode()
        assert ("hx-get" in page) == (poll in {"-1", "x"}), poll  # garbage counts as a fresh start
    assert "Check again" in client.get(done, {"poll": POLLS}).content.decode()
