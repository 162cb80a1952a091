from django.urls import reverse

from tests.checkout.conftest import fill_cart, place_form
from tradeloop.checkout.models import Address, Checkout
from tradeloop.orders.models import Order

CHECKOUT = reverse("checkout:checkout")


def test_checkout_needs_a_signed_in_buyer_and_a_cart(client, buyer):
    assert client.get(CHECKOUT).status_code == 302  # to sign in
    client.force_login(buyer)
    assert client.get(CHECKOUT)["Location"] == reverse("checkout:cart")  # nothing to check out


def test_adding_an_address_from_checkout_comes_back_to_it(client, buyer, shop):
    fill_cart(buyer, [(shop["tea"], 1)])
    client.force_login(buyer)
    assert "Place order and pay" in client.get(CHECKOUT).content.decode()
    response = client.post(
        reverse("checkout:address_new"),
        {"name": "Li", "phone": "138", "line1": "1 Road", "city": "Suzhou", "country": "CN", "next": CHECKOUT},
    )
    address = Address.objects.get(user=buyer)
    assert response["Location"] == f"{CHECKOUT}?address={address.pk}" and address.is_default
    refused = client.post(
        reverse("checkout:address_new"), {"name": "Li", "phone": "138", "line1": "x", "city": "y", "country": "China"}
    )
    assert refused.status_code == 200 and "id_country_error" in refused.content.decode()


def test_placing_from_the_web_goes_to_the_payment_page_once_per_key(client, buyer, address, shop):
    fill_cart(buyer, [(shop["tea"], 2), (shop["apples"], 1)])
    client.force_login(buyer)
    form = place_form(address, shop, "web-key-1", codes="")
    first = client.post(CHECKOUT, form)
    assert first.status_code == 302 and "/pay/sandbox/" in first["Location"]
    again = client.post(CHECKOUT, form)  # a double click
    assert again["Location"] == first["Location"]
    assert Checkout.objects.count() == 1 and Order.objects.count() == 2


def test_an_unknown_coupon_is_explained_on_the_page(client, buyer, address, shop):
    fill_cart(buyer, [(shop["tea"], 1)])
    client.force_login(buyer)
    page = client.post(CHECKOUT, {"action": "update", "address": address.pk, "codes": "NOSUCH"}).content.decode()
    assert "NOSUCH" in page and 'role="alert"' in page
    placed = client.post(
        CHECKOUT, {"action": "place", "address": address.pk, "codes": "NOSUCH", "idempotency_key": "k"}
    )
    assert placed.status_code == 200 and not Order.objects.exists()


def test_out_of_stock_at_the_last_moment_is_a_clear_409(client, buyer, address, shop):
    fill_cart(buyer, [(shop["tea"], 3)])
    from tradeloop.inventory import services as inventory

    inventory.set_stock(actor=shop["tea_house"].owner, variant_id=shop["tea"].pk, quantity=1)
    client.force_login(buyer)
    response = client.post(CHECKOUT, {"action": "place", "address": address.pk, "idempotency_key": "k2"})
    assert response.status_code == 409
    assert 'data-error-code="out_of_stock"' in response.content.decode()


def test_the_confirmation_is_the_buyers_own(client, buyer, address, shop):
    from tests.factories import UserFactory
    from tradeloop.checkout import services as checkout

    fill_cart(buyer, [(shop["tea"], 1)])
    placed = checkout.place(buyer=buyer, address_id=address.pk, shipping_choices={}, coupon_codes=[], key=None)
    client.force_login(buyer)
    page = client.get(reverse("checkout:done", args=[placed.checkout.pk])).content.decode()
    assert "Waiting for your payment" in page and placed.orders[0].number in page
    client.force_login(UserFactory())
    assert client.get(reverse("checkout:done", args=[placed.checkout.pk])).status_code == 404
