import pytest

from tests import factories
from tradeloop.catalog.models import Product
from tradeloop.core.errors import ValidationFailed
from tradeloop.core.pagination import keyset_page


@pytest.fixture
def thirty_products(merchant, clock):
    products = []
    for i in range(30):
        clock.advance(seconds=1 if i % 3 else 0)  # some share a timestamp: the id breaks the tie
        products.append(factories.published_product(seller=merchant, title=f"P{i}", price=str(10 + i % 7)))
    return products


@pytest.mark.django_db
@pytest.mark.parametrize("order", [("-created_at", "-id"), ("price_from", "id"), ("-price_from", "-id")])
def test_walking_the_cursor_sees_every_row_once_in_order(thirty_products, order):
    seen, cursor = [], None
    while True:
        page = keyset_page(Product.objects.all(), order=order, cursor=cursor, limit=7)
        seen += [p.pk for p in page.items]
        cursor = page.next_cursor
        if not cursor:
            break
    expected = list(Product.objects.order_by(*order).values_list("pk", flat=True))
    assert seen == expected


@pytest.mark.django_db
@pytest.mark.parametrize("cursor", ["%%%", "bm90LWpzb24", "WyJ4Il0", "WzEsMiwzXQ"])
def test_malformed_cursor_is_a_validation_error(cursor):
    with pytest.raises(ValidationFailed) as error:
        keyset_page(Product.objects.all(), order=("-created_at", "-id"), cursor=cursor, limit=5)
    assert error.value.field == "cursor"


@pytest.mark.django_db
def test_limit_is_bounded():
    with pytest.raises(ValidationFailed):
        keyset_page(Product.objects.all(), order=("-id",), cursor=None, limit=1000)
