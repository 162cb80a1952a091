"""Minimum order quantity and order multiples: checked by pricing, refused by the cart on the web and in the API."""

import pytest
from django.urls import reverse

from tests import factories
from tests.api.conftest import Api, assert_error
from tradeloop.accounts.services import issue_token
from tradeloop.checkout import cart as carts
from tradeloop.checkout.cart import CartOwner
from tradeloop.checkout.models import CartItem
from tradeloop.core.errors import ValidationFailed
from tradeloop.pricing import selectors as prices
from tradeloop.pricing import services as pricing

pytestmark = pytest.mark.django_db
RULE = "Minimum order is 50, in multiples of 10."


@pytest.fixture
def adc(trade):
    supplier = trade["supplier"]
    pricing.set_order_rule(
        actor=supplier.owner, seller=supplier, variant_id=trade["adc"].pk, min_quantity=50, multiple=10
    )
    return trade["adc"]


@pytest.mark.parametrize(
    ("quantity", "code"),
    [
        (1, "below_minimum"),
        (49, "below_minimum"),
        (40, "below_minimum"),
        (55, "not_a_multiple"),
        (50, None),
        (60, None),
        (1000, None),
    ],
)
def test_check_order_quantity(adc, quantity, code):
    if code is None:
        prices.check_order_quantity(adc, quantity)
        return
    with pytest.raises(ValidationFailed) as caught:
        prices.check_order_quantity(adc, quantity)
    assert (caught.value.code, caught.value.message, caught.value.field) == (code, RULE, "quantity")


def test_a_minimum_without_a_multiple_says_so(trade):
    supplier, adc = trade["supplier"], trade["adc"]
    pricing.set_order_rule(actor=supplier.owner, seller=supplier, variant_id=adc.pk, min_quantity=5, multiple=None)
    with pytest.raises(ValidationFailed) as caught:
        prices.check_order_quantity(adc, 4)
    assert caught.value.message == "Minimum order is 5."
    prices.check_order_quantity(adc, 7)


def test_the_multiple_alone_makes_the_minimum(trade):
    supplier, adc = trade["supplier"], trade["adc"]
    rule = pricing.set_order_rule(
        actor=supplier.owner, seller=supplier, variant_id=adc.pk, min_quantity=None, multiple=12
    )
    assert (rule.min_quantity, rule.multiple) == (12, 12)
    assert (
        pricing.set_order_rule(actor=supplier.owner, seller=supplier, variant_id=adc.pk, min_quantity=1, multiple=1)
        is None
    )
    prices.check_order_quantity(adc, 1)


def test_the_bulk_form_names_the_line_and_costs_one_query(adc, trade, django_assert_max_num_queries):
    others = [factories.published_product(trade["supplier"], title=f"Part {i}").variants.get() for i in range(20)]
    lines = [(v, 1) for v in others] + [(adc, 55)]
    with django_assert_max_num_queries(1):
        problems = prices.order_quantity_problems(lines)
    assert list(problems) == [20] and problems[20].code == "not_a_multiple"
    with pytest.raises(ValidationFailed) as caught:
        prices.check_order_quantities(lines)
    assert caught.value.field == "items.20"


def test_the_cart_refuses_quantities_against_the_rule(adc, buyer):
    owner = CartOwner(user=buyer)
    with pytest.raises(ValidationFailed) as caught:
        carts.add_item(owner=owner, variant_id=adc.pk, quantity=10)
    assert caught.value.code == "below_minimum"
    item = carts.add_item(owner=owner, variant_id=adc.pk, quantity=50)
    with pytest.raises(ValidationFailed):
        carts.add_item(owner=owner, variant_id=adc.pk, quantity=5)  # 55 in all
    with pytest.raises(ValidationFailed) as caught:
        carts.set_quantity(owner=owner, item_id=item.pk, quantity=45)
    assert caught.value.code == "below_minimum"
    carts.set_quantity(owner=owner, item_id=item.pk, quantity=70)
    assert CartItem.objects.get(pk=item.pk).quantity == 70


def test_the_cart_page_says_the_rule(client, adc, buyer):
    client.force_login(buyer)
    response = client.post(reverse("checkout:add"), {"variant": adc.pk, "quantity": 5}, follow=True)
    assert RULE in response.content.decode()
    assert not CartItem.objects.filter(variant=adc).exists()
    client.post(reverse("checkout:add"), {"variant": adc.pk, "quantity": 50})
    assert CartItem.objects.get(variant=adc).quantity == 50


def test_the_cart_api_refuses_with_the_code(client, adc, buyer):
    api = Api(client, issue_token(user=buyer)[1])
    body = assert_error(api.post("cart/items", {"variant_id": adc.pk, "quantity": 5}), 400, "below_minimum", "quantity")
    assert body["message"] == RULE
    created = api.post("cart/items", {"variant_id": adc.pk, "quantity": 50})
    assert created.status_code == 201, created.json()
    line_id = created.json()["id"]
    assert_error(api.patch(f"cart/items/{line_id}", {"quantity": 65}), 400, "not_a_multiple", "quantity")


def test_the_rule_is_translated(adc):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        prices.check_order_quantity(adc, 5)
    assert "50" in caught.value.message and "Minimum" not in caught.value.message
