import pytest
from django.urls import reverse

from tests.checkout.conftest import fill_cart, stocked
from tests.factories import PASSWORD, seller_with_owner
from tradeloop.checkout import cart as carts
from tradeloop.checkout.cart import CartOwner
from tradeloop.checkout.models import Cart, CartItem
from tradeloop.core.errors import NotFound, ValidationFailed
from tradeloop.inventory.services import OutOfStock

ADD = reverse("checkout:add")
CART = reverse("checkout:cart")


def add(client, variant, quantity=1, **extra):
    return client.post(ADD, {"variant": variant.pk, "quantity": quantity, **extra})


def test_a_guest_adds_to_cart_and_sees_lines_grouped_by_seller(client, shop):
    add(client, shop["tea"], 2)
    add(client, shop["apples"], 3)
    page = client.get(CART)
    html = page.content.decode()
    assert page.status_code == 200
    sections = {chunk.split('"')[0]: chunk for chunk in html.split('data-seller="')[1:]}
    assert "Fuji apples" in sections[shop["fruit_farm"].slug] and "Longjing" not in sections[shop["fruit_farm"].slug]
    assert "Longjing tea" in sections[shop["tea_house"].slug]
    assert "data-cart-count>5<" in html
    assert "¥213.50" in html  # 2 × 88 + 3 × 12.50


def test_adding_the_same_variant_again_adds_up(client, shop):
    add(client, shop["tea"], 2)
    add(client, shop["tea"], 1)
    assert CartItem.objects.get().quantity == 3


def test_more_than_is_available_is_refused_clearly(client, shop):
    response = add(client, shop["tea"], 11, next=CART)
    assert response.status_code == 302
    page = client.get(CART)
    assert "Only 10 of SKU-0 left" in page.content.decode()
    assert not CartItem.objects.exists()


def test_quantity_update_and_remove(client, shop):
    add(client, shop["tea"], 2)
    item = CartItem.objects.get()
    client.post(reverse("checkout:update_item", args=[item.pk]), {"quantity": 5, "action": "update"})
    assert CartItem.objects.get().quantity == 5
    client.post(reverse("checkout:update_item", args=[item.pk]), {"quantity": 0, "action": "update"})
    assert not CartItem.objects.exists()


def test_someone_elses_cart_line_is_not_found(client, shop, buyer):
    fill_cart(buyer, [(shop["tea"], 1)])
    item = CartItem.objects.get()
    with pytest.raises(NotFound):
        carts.set_quantity(owner=CartOwner(session_key="stranger"), item_id=item.pk, quantity=2)
    client.post(reverse("checkout:update_item", args=[item.pk]), {"quantity": 2})
    assert CartItem.objects.get().quantity == 1


def test_the_guest_cart_joins_the_account_on_sign_in(client, shop, buyer):
    fill_cart(buyer, [(shop["tea"], 1)])
    add(client, shop["tea"], 2)
    add(client, shop["apples"], 1)
    response = client.post(
        reverse("accounts:login"), {"username": buyer.email, "email": buyer.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert dict(CartItem.objects.filter(cart__user=buyer).values_list("variant_id", "quantity")) == {
        shop["tea"].pk: 3,
        shop["apples"].pk: 1,
    }
    assert Cart.objects.count() == 1


def test_unpublished_or_bad_quantities_are_refused(shop, buyer):
    owner = CartOwner(user=buyer)
    with pytest.raises(ValidationFailed):
        carts.add_item(owner=owner, variant_id=shop["tea"].pk, quantity=0)
    with pytest.raises(NotFound):
        carts.add_item(owner=owner, variant_id=999999, quantity=1)
    with pytest.raises(OutOfStock):
        carts.add_item(owner=owner, variant_id=shop["tea"].pk, quantity=11)


def test_the_product_page_has_an_add_to_cart_form(client, shop):
    product = shop["tea"].product
    page = client.get(reverse("storefront:product", args=[product.pk, product.slug]))
    assert f'name="variant" value="{shop["tea"].pk}"' in page.content.decode()


def test_add_to_cart_query_budget(client, shop, django_assert_max_num_queries):
    add(client, shop["apples"], 1)  # the guest's session and cart exist
    with django_assert_max_num_queries(12):  # session, variant, order rule, cart, line, count, insert, touch, …
        assert add(client, shop["tea"], 1).status_code == 302


def test_cart_page_uses_the_same_number_of_queries_for_1_or_20_lines(client, buyer, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(buyer)
    sellers = [seller_with_owner(name=f"Shop {i}") for i in range(4)]
    variants = [stocked(sellers[i % 4], title=f"Item {i}").variants.get() for i in range(20)]
    fill_cart(buyer, [(variants[0], 1)])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(CART).status_code == 200
        return len(ctx)

    one = count()
    fill_cart(buyer, [(v, 1) for v in variants[1:]])
    assert count() == one
    assert one <= 8


@pytest.mark.parametrize("kind", ["listing", "deal", "service"])
def test_second_hand_listings_deals_and_services_are_not_bought_through_the_cart(shop, buyer, kind):
    from tests.factories import published_product

    other = published_product(shop["tea_house"], title=f"A {kind}", kind=kind)
    with pytest.raises(NotFound):
        carts.add_item(owner=CartOwner(user=buyer), variant_id=other.variants.get().pk, quantity=1)
    assert not CartItem.objects.exists()
