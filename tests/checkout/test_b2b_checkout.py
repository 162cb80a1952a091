# ruff: noqa: F811 - the company builders are pytest fixtures, imported by name
"""Checkout for a company member: orders placed for the company on its payment terms (on credit: confirmed with
nothing to pay, or held for approval); prepay: paid as today. And paying placed orders later (`pay_placed_orders`)."""

from decimal import Decimal

import pytest

from tests.api.conftest import assert_error
from tests.b2b.buying import adc, approved_company, company, operator, place, staff, supplier  # noqa: F401
from tests.checkout.conftest import fill_cart
from tests.factories import UserFactory
from tradeloop.b2b import approvals
from tradeloop.b2b.models import OrderApproval
from tradeloop.checkout import addresses as address_book
from tradeloop.checkout import services
from tradeloop.checkout.models import CartItem, Checkout
from tradeloop.core.errors import Conflict, NotFound
from tradeloop.orders.models import Order


def address_of(person):
    return address_book.save_address(
        actor=person, data={"name": "Wang Fang", "phone": "13900000000", "line1": "8 Keyuan Road", "city": "Shenzhen"}
    )


def check_out(person, *, key=None):
    return services.place(buyer=person, address_id=address_of(person).pk, shipping_choices={}, coupon_codes=[], key=key)


def test_a_company_member_on_net30_places_a_confirmed_order_with_nothing_to_pay(company, adc):
    purchaser = staff(company, "purchaser")
    fill_cart(purchaser, [(adc, 20)])
    placed = check_out(purchaser)
    order = placed.orders[0]
    assert (order.mode, order.buyer_org, order.payment_terms, order.state) == (
        "b2b",
        company.organization,
        "net30",
        Order.State.CONFIRMED,
    )
    assert order.payment is None and order.ship_by is not None
    assert placed.checkout.state == Checkout.State.PLACED and placed.checkout.total == 0
    assert placed.payment_url == f"/checkout/{placed.checkout.pk}/done/"
    assert not CartItem.objects.filter(cart__user=purchaser).exists()
    adc.refresh_from_db()
    assert adc.stock == 980  # the goods are the company's: stock taken at confirmation


def test_over_the_spending_limit_the_order_waits_for_approval(company, adc, client):
    purchaser = staff(company, "purchaser", limit="100.00")
    fill_cart(purchaser, [(adc, 20)])
    placed = check_out(purchaser)
    order = placed.orders[0]
    assert order.state == Order.State.AWAITING_APPROVAL and placed.checkout.state == Checkout.State.PLACED
    client.force_login(purchaser)
    page = client.get(placed.payment_url).content.decode()
    assert "Waiting for approval" in page and "data-awaiting-approval" in page


def test_a_prepay_company_pays_at_checkout_as_today(operator, adc, pay):
    company = approved_company(operator, name="Gamma Labs", terms="prepay")
    purchaser = staff(company, "purchaser")
    fill_cart(purchaser, [(adc, 5)])
    placed = check_out(purchaser)
    order = placed.orders[0]
    assert (order.mode, order.buyer_org, order.state) == ("b2b", company.organization, Order.State.PENDING_PAYMENT)
    assert placed.checkout.total == Decimal("50.00") and placed.checkout.payment is not None
    assert order.payment_due_at > placed.checkout.expires_at  # a company's prepay order waits days, not minutes
    pay(placed.checkout.payment)
    order.refresh_from_db()
    assert order.state == Order.State.PAID


def test_the_api_answers_the_order_states_and_no_payment_on_terms(company, adc, api_as):
    purchaser = staff(company, "purchaser")
    fill_cart(purchaser, [(adc, 2)])
    answer = api_as(purchaser).post("checkout", {"address_id": address_of(purchaser).pk})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["state"] == "placed" and body["total"] == "0.00"
    assert body["placed"][0]["state"] == "confirmed" and body["placed"][0]["payment_terms"] == "net30"


def test_the_checkout_page_says_the_terms(company, adc, client):
    purchaser = staff(company, "purchaser")
    fill_cart(purchaser, [(adc, 2)])
    address_of(purchaser)
    client.force_login(purchaser)
    page = client.get("/checkout/").content.decode()
    assert 'data-terms="net30"' in page and "nothing to pay now" in page and "Place order</button>" in page


# ---------- paying placed orders ----------


@pytest.fixture
def prepay(operator):
    return approved_company(operator, name="Delta Works", terms="prepay")


def test_an_approved_prepay_order_is_paid_later_with_one_payment(prepay, adc, pay):
    purchaser = staff(prepay, "purchaser", limit="10.00")
    order = place(prepay, purchaser, adc, quantity=5)
    assert order.state == Order.State.AWAITING_APPROVAL
    approval = OrderApproval.objects.get(order=order)
    approvals.approve(actor=prepay.owner, approval_id=approval.pk, comment="ok")
    order.refresh_from_db()
    assert order.state == Order.State.PENDING_PAYMENT
    placed = services.pay_placed_orders([order], purchaser, key="pay-1")
    again = services.pay_placed_orders([order], purchaser, key="pay-1")
    assert again.checkout.pk == placed.checkout.pk and again.payment_url == placed.payment_url
    assert placed.checkout.total == Decimal("50.00")
    pay(placed.checkout.payment)
    order.refresh_from_db()
    assert order.state == Order.State.PAID and order.payment == placed.checkout.payment


def test_paying_is_refused_for_others_on_terms_and_while_a_payment_is_open(prepay, company, adc):
    purchaser = staff(prepay, "purchaser")
    order = place(prepay, purchaser, adc, quantity=1)
    with pytest.raises(NotFound):
        services.pay_placed_orders([order], UserFactory())
    services.pay_placed_orders([order], purchaser)
    with pytest.raises(Conflict) as open_payment:
        services.pay_placed_orders([order], purchaser)
    assert open_payment.value.code == "payment_in_progress"
    on_terms = place(company, staff(company, "purchaser"), adc, quantity=1)
    with pytest.raises(Conflict) as confirmed:
        services.pay_placed_orders([on_terms], on_terms.buyer)
    assert confirmed.value.code == "not_payable"


def test_pay_now_on_the_order_page_and_the_api(prepay, adc, client, api_as):
    purchaser = staff(prepay, "purchaser")
    order = place(prepay, purchaser, adc, quantity=1)
    client.force_login(purchaser)
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert f"/orders/{order.number}/pay/" in page and "Pay now" in page
    answer = client.post(f"/orders/{order.number}/pay/")
    assert answer.status_code == 302  # to the payment provider's page
    assert Checkout.objects.filter(buyer=purchaser).count() == 1
    refused = client.post(f"/orders/{order.number}/pay/")  # a payment is open: back to the order with a message
    assert refused["Location"] == f"/orders/{order.number}/"
    other = place(prepay, purchaser, adc, quantity=2)
    api = api_as(purchaser)
    paid = api.post("checkout/pay-orders", {"orders": [other.number]}, HTTP_IDEMPOTENCY_KEY="k1")
    assert paid.status_code == 201, paid.content
    assert paid.json()["total"] == "20.00" and paid.json()["payment_url"]
    assert_error(api_as(UserFactory()).post("checkout/pay-orders", {"orders": [other.number]}), 404)
    assert_error(api.post("checkout/pay-orders", {"orders": [other.number]}), 409, "payment_in_progress")
