"""Taking and giving back usage: redeem() under guarded UPDATEs, release() when an unpaid order is cancelled."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests import factories
from tests.promotions.conftest import cny, line
from tradeloop.core.errors import Conflict
from tradeloop.promotions import services
from tradeloop.promotions.models import Redemption

pytestmark = pytest.mark.django_db


def test_redeem_counts_a_use_and_remembers_the_order(quote, merchant, apples, user):
    promo = factories.promotion(merchant, code="C5", kind="fixed", value=5)
    b = quote([line(apples)], codes=["C5"])
    services.redeem(breakdown=b, buyer=user, order_ref="T-1")
    promo.refresh_from_db()
    assert promo.used_count == 1
    assert Redemption.objects.get(promotion=promo).amount == 5


def test_redeem_is_idempotent_per_order(quote, merchant, apples, user):
    promo = factories.promotion(merchant, code="C5", kind="fixed", value=5)
    b = quote([line(apples)], codes=["C5"])
    services.redeem(breakdown=b, buyer=user, order_ref="T-1")
    services.redeem(breakdown=b, buyer=user, order_ref="T-1")
    promo.refresh_from_db()
    assert promo.used_count == 1


def test_redeem_refuses_when_the_last_use_went_since_pricing(quote, merchant, apples, user):
    promo = factories.promotion(merchant, code="LAST", kind="fixed", value=5, usage_limit=1)
    b = quote([line(apples)], codes=["LAST"])
    services.redeem(breakdown=quote([line(apples)], codes=["LAST"]), buyer=factories.UserFactory(), order_ref="A")
    with pytest.raises(Conflict) as exc:
        services.redeem(breakdown=b, buyer=user, order_ref="B")
    assert exc.value.code == "promotion_exhausted"
    promo.refresh_from_db()
    assert promo.used_count == 1
    assert not Redemption.objects.filter(order_ref="B").exists()


def test_per_customer_limit_holds_in_redeem(quote, merchant, apples, user):
    factories.promotion(merchant, code="ONCE", kind="fixed", value=5, per_customer_limit=1)
    first, second = quote([line(apples)], codes=["ONCE"]), quote([line(apples)], codes=["ONCE"])
    services.redeem(breakdown=first, buyer=user, order_ref="A")
    with pytest.raises(Conflict):
        services.redeem(breakdown=second, buyer=user, order_ref="B")
    assert Redemption.objects.filter(user=user).count() == 1


def test_flash_units_are_taken_and_capped(quote, merchant, apples, user):
    promo = factories.promotion(merchant, kind="fixed", value=10, flash_stock_cap=3)
    b = quote([line(apples, 2)])
    services.redeem(breakdown=b, buyer=user, order_ref="A")
    promo.refresh_from_db()
    assert promo.flash_sold == 2
    with pytest.raises(Conflict):  # priced before the first took its units: 2 + 2 > 3
        services.redeem(breakdown=b, buyer=factories.UserFactory(), order_ref="B")
    assert quote([line(apples, 2)]).discount_total == cny(10)  # one unit left


def test_release_gives_usage_and_flash_units_back_once(quote, merchant, apples, user):
    coupon = factories.promotion(merchant, code="C5", kind="fixed", value=5, usage_limit=1, stackable=True)
    flash = factories.promotion(merchant, kind="percent", value=10, flash_stock_cap=5, stackable=True)
    b = quote([line(apples, 2)], codes=["C5"])
    assert set(b.applied) == {coupon.pk, flash.pk}
    services.redeem(breakdown=b, buyer=user, order_ref="A")
    assert services.release(order_ref="A") == 2
    assert services.release(order_ref="A") == 0
    coupon.refresh_from_db()
    flash.refresh_from_db()
    assert (coupon.used_count, flash.used_count, flash.flash_sold) == (0, 0, 0)
    assert quote([line(apples)], codes=["C5"]).errors == []  # usable again


def _redeem_in_thread(promo_code: str, seller_id: int, product_id: int, order_ref: str) -> str:
    from tradeloop.accounts.models import Organization
    from tradeloop.catalog.models import Product
    from tradeloop.core import clock

    try:
        seller = Organization.objects.get(pk=seller_id)
        product = Product.objects.get(pk=product_id)
        buyer = factories.UserFactory()
        b = services.price(
            buyer=buyer, seller=seller, lines=[line(product)], shipping=cny(0), codes=[promo_code], now=clock.now()
        )
        if b.errors:
            return "priced_out"
        services.redeem(breakdown=b, buyer=buyer, order_ref=order_ref)
        return "ok"
    except Conflict:
        return "exhausted"
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_for_the_last_uses_exactly_the_limit_succeed(merchant, apples):
    promo = factories.promotion(merchant, code="RACE", kind="fixed", value=5, usage_limit=5)
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda i: _redeem_in_thread("RACE", merchant.pk, apples.pk, f"R-{i}"), range(40)))
    promo.refresh_from_db()
    assert results.count("ok") == 5
    assert promo.used_count == 5
    assert Redemption.objects.filter(promotion=promo).count() == 5
