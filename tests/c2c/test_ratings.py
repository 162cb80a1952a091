"""Two-way ratings after a completed C2C order: who, when, one per side, double-blind by the clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import factories
from tests.c2c.trading import paid_c2c_order, shipped_c2c_order
from tradeloop.c2c import escrow, ratings
from tradeloop.c2c import rating_selectors as selectors
from tradeloop.c2c.errors import Code
from tradeloop.c2c.models import Rating, SellerStanding
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def completed_order(**kwargs):
    order = shipped_c2c_order(**kwargs)
    escrow.confirm_receipt(actor=order.buyer, order_id=order.pk)
    order.refresh_from_db()
    order.seller.owner = order.seller.memberships.get().user
    return order


def test_buyer_rates_the_seller_with_sub_scores():
    order = completed_order()
    r = ratings.rate(
        actor=order.buyer, order_id=order.pk, stars=5, text="Great", as_described=5, communication=4, shipping=3
    )
    assert (r.side, r.ratee_org_id, r.ratee_user_id) == ("buyer", order.seller_id, None)
    assert (r.as_described, r.communication, r.shipping) == (5, 4, 3)
    assert SellerStanding.objects.filter(seller=order.seller).exists()  # writing a rating refreshes the standing


def test_seller_rates_the_buyer_without_sub_scores():
    order = completed_order()
    r = ratings.rate(actor=order.seller.owner, order_id=order.pk, stars=4, text="Paid fast")
    assert (r.side, r.ratee_user_id, r.ratee_org_id) == ("seller", order.buyer_id, None)


def test_seller_may_not_give_buyer_only_scores():
    order = completed_order()
    with pytest.raises(ValidationFailed) as exc:
        ratings.rate(actor=order.seller.owner, order_id=order.pk, stars=4, shipping=5)
    assert exc.value.field == "shipping"
    assert not Rating.objects.exists()


def test_one_rating_per_side():
    order = completed_order()
    ratings.rate(actor=order.buyer, order_id=order.pk, stars=5)
    with pytest.raises(Conflict) as exc:
        ratings.rate(actor=order.buyer, order_id=order.pk, stars=1)
    assert exc.value.code == Code.ALREADY_RATED
    assert Rating.objects.get().stars == 5


@pytest.mark.parametrize("stars", [0, 6, -1, None, "x", True])
def test_stars_are_one_to_five(stars):
    order = completed_order()
    with pytest.raises(ValidationFailed) as exc:
        ratings.rate(actor=order.buyer, order_id=order.pk, stars=stars)
    assert exc.value.field == "stars"


def test_sub_scores_are_one_to_five():
    order = completed_order()
    with pytest.raises(ValidationFailed) as exc:
        ratings.rate(actor=order.buyer, order_id=order.pk, stars=5, communication=9)
    assert exc.value.field == "communication"


def test_text_is_limited():
    order = completed_order()
    with pytest.raises(ValidationFailed) as exc:
        ratings.rate(actor=order.buyer, order_id=order.pk, stars=5, text="x" * (ratings.MAX_TEXT + 1))
    assert exc.value.field == "text"


def test_unfinished_orders_cannot_be_rated():
    paid = paid_c2c_order()
    shipped = shipped_c2c_order()
    for order in (paid, shipped):
        with pytest.raises(Conflict) as exc:
            ratings.rate(actor=order.buyer, order_id=order.pk, stars=5)
        assert exc.value.code == Code.NOT_RATEABLE


def test_a_fully_refunded_order_cannot_be_rated():
    from tradeloop.c2c.models import Escrow
    from tradeloop.orders.models import Order

    order = shipped_c2c_order()
    e = Escrow.objects.get(order=order)
    o = Order.objects.get(pk=order.pk)
    escrow.refund_from_escrow(e, o, amount=None, actor=None, reason="refund", ref="test-refund")
    order.refresh_from_db()
    assert order.state == "cancelled"
    with pytest.raises(Conflict) as exc:
        ratings.rate(actor=order.buyer, order_id=order.pk, stars=1)
    assert exc.value.code == Code.NOT_RATEABLE


def test_strangers_and_b2c_orders_get_404():
    order = completed_order()
    with pytest.raises(NotFound):
        ratings.rate(actor=factories.UserFactory(), order_id=order.pk, stars=5)
    b2c = factories.paid_order()
    with pytest.raises(NotFound):
        ratings.rate(actor=b2c.buyer, order_id=b2c.pk, stars=5)


def test_rating_window_closes_after_thirty_days(clock, settings):
    order = completed_order()
    clock.advance(days=30, seconds=1)
    with pytest.raises(Conflict) as exc:
        ratings.rate(actor=order.buyer, order_id=order.pk, stars=5)
    assert exc.value.code == Code.NOT_RATEABLE
    settings.TRADELOOP_C2C_RATING_DAYS = 60
    assert ratings.rate(actor=order.buyer, order_id=order.pk, stars=5).pk


def test_double_blind_hidden_until_the_blind_days_pass(clock):
    order = completed_order()
    ratings.rate(actor=order.buyer, order_id=order.pk, stars=2, text="Scratched")
    seller_view = selectors.for_order(order.seller.owner, order.pk)
    assert seller_view.theirs is None and seller_view.theirs_hidden
    buyer_view = selectors.for_order(order.buyer, order.pk)
    assert buyer_view.mine.stars == 2  # the rater sees their own
    assert selectors.of_seller(order.seller_id).count() == 0
    clock.advance(days=7, seconds=1)
    seller_view = selectors.for_order(order.seller.owner, order.pk)
    assert seller_view.theirs.text == "Scratched"
    assert selectors.of_seller(order.seller_id).count() == 1


def test_blind_days_are_configurable(clock, settings):
    settings.TRADELOOP_C2C_RATING_BLIND_DAYS = 2
    order = completed_order()
    ratings.rate(actor=order.buyer, order_id=order.pk, stars=5)
    clock.advance(days=2, seconds=1)
    assert selectors.for_order(order.seller.owner, order.pk).theirs is not None


def test_second_rating_reveals_both_now(clock):
    order = completed_order()
    ratings.rate(actor=order.buyer, order_id=order.pk, stars=4)
    clock.advance(days=1)
    ratings.rate(actor=order.seller.owner, order_id=order.pk, stars=5)
    assert selectors.for_order(order.seller.owner, order.pk).theirs.stars == 4
    assert selectors.for_order(order.buyer, order.pk).theirs.stars == 5
    assert all(r.visible_from <= clock.now() for r in Rating.objects.all())


def test_can_rate_flags_for_the_order_page(clock):
    order = completed_order()
    view = selectors.for_order(order.buyer, order.pk)
    assert view.can_rate and view.not_rateable is None
    assert view.closes_at == order.completed_at + timedelta(days=30)
    ratings.rate(actor=order.buyer, order_id=order.pk, stars=5)
    assert not selectors.for_order(order.buyer, order.pk).can_rate
    with pytest.raises(NotFound):
        selectors.for_order(factories.UserFactory(), order.pk)
