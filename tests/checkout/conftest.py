from decimal import Decimal

import pytest

from tests.factories import UserFactory, published_product, seller_with_owner
from tradeloop.checkout import addresses as address_book
from tradeloop.checkout import cart as carts
from tradeloop.checkout.cart import CartOwner
from tradeloop.fulfilment.models import ShippingMethod


@pytest.fixture
def eager(settings, celery_eager):
    """No worker: the sandbox gateway hands its signed webhooks over in-process (still verified, still deduped),
    and e-mails are sent in-process."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings


@pytest.fixture
def buyer(db):
    return UserFactory(email="buyer@example.com")


@pytest.fixture
def address(buyer):
    return address_book.save_address(
        actor=buyer, data={"name": "Li Lei", "phone": "13800000000", "line1": "1 Nanjing Road", "city": "Shanghai"}
    )


def shipping_method(seller, *, name="Express", rate="10.00", **kwargs) -> ShippingMethod:
    return ShippingMethod.objects.create(seller=seller, name=name, rate=Decimal(rate), **kwargs)


def stocked(seller, *, title="Tea", price="20.00", stock=10, variants=1):
    return published_product(seller, title=title, price=price, stock=stock, variants=variants)


def fill_cart(buyer, items) -> None:
    owner = CartOwner(user=buyer)
    for variant, quantity in items:
        carts.add_item(owner=owner, variant_id=variant.pk, quantity=quantity)


def place_form(address, shop, key: str, **extra) -> dict:
    """The checkout page's "Place order" POST: the address, SF Express for the tea house, an idempotency key."""
    form = {"action": "place", "address": address.pk, f"ship_{shop['tea_house'].pk}": shop["express"].pk}
    return form | {"idempotency_key": key} | extra


@pytest.fixture
def shop(db):
    """Two merchants with a shipping method each and a product of 10 units each."""
    tea_house, fruit_farm = seller_with_owner(name="Tea House"), seller_with_owner(name="Fruit Farm")
    return {
        "tea_house": tea_house,
        "fruit_farm": fruit_farm,
        "tea": stocked(tea_house, title="Longjing tea", price="88.00").variants.get(),
        "apples": stocked(fruit_farm, title="Fuji apples", price="12.50").variants.get(),
        "express": shipping_method(tea_house, name="SF Express", rate="12.00"),
        "post": shipping_method(fruit_farm, name="China Post", rate="8.00", free_over=Decimal("100")),
    }


@pytest.fixture
def goods(db):
    """A supplier of converters: AD-24 at 10.00 (500 units) and DA-16 at 4.50 (20 units)."""
    supplier = seller_with_owner(name="Sino Electronics")
    adc = stocked(supplier, title="24-bit AD converter", price="10.00", stock=500).variants.get()
    adc.sku = "AD-24"
    adc.save(update_fields=["sku"])
    dac = stocked(supplier, title="16-bit DA converter", price="4.50", stock=20).variants.get()
    dac.sku = "DA-16"
    dac.save(update_fields=["sku"])
    return {"supplier": supplier, "adc": adc, "dac": dac}


@pytest.fixture
def pay(eager, django_capture_on_commit_callbacks):
    """pay(payment) / pay(payment, decline=True): the buyer decides on the sandbox page; the webhook runs in-process."""
    from tradeloop.payments.providers import sandbox

    def decide(payment, *, decline: bool = False) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            (sandbox.decline if decline else sandbox.pay)(payment)

    return decide


from tests.api.conftest import api, api_as  # noqa: E402,F401 - the shared API client fixtures
