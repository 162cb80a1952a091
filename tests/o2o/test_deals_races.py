"""Many buyers at once on PostgreSQL: a deal never sells past its stock cap; a voucher is redeemed once."""

from __future__ import annotations

from tests import factories
from tests.factories import UserFactory
from tests.o2o import local
from tests.o2o.dealing import owner, vouchers_of
from tests.races import RACE_MARKS, race
from tradeloop.ledger import services as ledger
from tradeloop.o2o import deals, redemption
from tradeloop.o2o.models import Deal, Voucher
from tradeloop.orders.models import Order

pytestmark = RACE_MARKS


def test_twenty_buyers_for_five_vouchers_make_five_orders():
    deal = local.deal(stock_cap=5)
    buyers = [UserFactory() for _ in range(20)]
    outcomes = race(lambda i: deals.buy(actor=buyers[i], deal_id=deal.pk, quantity=1), racers=20)
    assert outcomes.count("ok") == 5 and set(outcomes) == {"ok", "deal_sold_out"}
    deal.refresh_from_db()
    assert deal.sold_count == 5
    assert Order.objects.filter(checkout_ref=f"deal:{deal.pk}").count() == 5


def test_one_buyer_pressing_buy_many_times_stays_within_the_limit():
    deal = local.deal(per_person_limit=2)
    buyer = UserFactory()
    outcomes = race(lambda i: deals.buy(actor=buyer, deal_id=deal.pk, quantity=1), racers=6)
    assert outcomes.count("ok") == 2 and set(outcomes) == {"ok", "over_person_limit"}


def test_thirty_concurrent_redemptions_of_one_voucher_give_one_success():
    place = local.place()
    order = factories.pay_placed(deals.buy(actor=UserFactory(), deal_id=local.deal(place).pk))
    (voucher,) = vouchers_of(order)
    staff = owner(place.seller)
    outcomes = race(lambda i: redemption.redeem(actor=staff, place_id=place.pk, code=voucher.code), racers=30)
    assert outcomes.count("ok") == 1 and set(outcomes) == {"ok", "voucher_used"}
    assert Voucher.objects.get(pk=voucher.pk).state == Voucher.State.REDEEMED
    assert ledger.order_money(order).in_escrow == 0
    assert Deal.objects.get(pk=voucher.deal_id).sold_count == 1
