"""Make-an-offer: a buyer offers at most the asking price, the seller accepts, declines or counters, the first
accepted offer wins, and the seller's auto rules decide at once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.c2c.trading import listing
from tests.factories import UserFactory
from tradeloop.c2c import offers
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.core.models import Event
from tradeloop.negotiation.models import Negotiation
from tradeloop.negotiation.services import sweep_expired
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db
State = Negotiation.State


@pytest.fixture
def item():
    return listing(price="300.00", shipping_fee="12.00")


@pytest.fixture
def seller(item):
    return item.product.seller.owner


@pytest.fixture
def buyer():
    return UserFactory()


def _about(a, b) -> bool:
    return abs(a - b) < timedelta(seconds=10)


def _offer(item, buyer, amount="250"):
    return offers.make_offer(actor=buyer, listing_id=item.pk, amount=Decimal(amount))


def test_a_buyer_offers_below_the_asking_price(item, buyer):
    offer = _offer(item, buyer, "250")
    assert offer.state == State.OPEN and offer.kind == Negotiation.Kind.OFFER
    assert offer.counter_cap == Decimal("300.00") and offer.buyer == buyer
    v1 = offer.proposals.get()
    assert v1.lines.get().unit_price == Decimal("250") and v1.author_side == "buyer"


def test_an_offer_at_the_asking_price_is_fine_above_is_refused(item, buyer):
    assert _offer(item, buyer, "300.00").state == State.OPEN
    with pytest.raises(ValidationFailed) as refused:
        _offer(item, UserFactory(), "300.01")
    assert refused.value.code == "offer_too_high" and refused.value.field == "amount"


def test_the_seller_cannot_offer_on_their_own_listing(item, seller):
    with pytest.raises(ValidationFailed) as refused:
        _offer(item, seller)
    assert refused.value.code == "own_listing"


def test_every_version_is_valid_48_hours_and_expires_then(item, buyer, clock):
    offer = _offer(item, buyer)
    assert _about(offer.expires_at, clock.now() + offers.validity())
    clock.advance(hours=47)
    assert sweep_expired(clock.now()) == 0
    clock.advance(hours=1, seconds=1)
    assert sweep_expired(clock.now()) == 1
    offer.refresh_from_db()
    assert offer.state == State.EXPIRED
    with pytest.raises(Conflict):
        offers.accept(actor=item.product.seller.owner, offer_id=offer.pk, version=1)


def test_the_seller_counters_and_the_buyer_counters_back_never_above_asking(item, buyer, seller, clock):
    offer = _offer(item, buyer, "200")
    clock.travel(clock.now() + offers.validity() / 4)
    offers.counter(actor=seller, offer_id=offer.pk, version=1, amount=Decimal("280"))
    offer.refresh_from_db()
    assert offer.current_version == 2 and _about(offer.expires_at, clock.now() + offers.validity())
    with pytest.raises(Conflict) as not_yours:
        offers.counter(actor=seller, offer_id=offer.pk, version=2, amount=Decimal("270"))
    assert not_yours.value.code == "not_your_turn"
    with pytest.raises(ValidationFailed) as too_high:
        offers.counter(actor=buyer, offer_id=offer.pk, version=2, amount=Decimal("301"))
    assert too_high.value.code == "offer_too_high"
    offers.counter(actor=buyer, offer_id=offer.pk, version=2, amount=Decimal("240"))
    offer = offers.accept(actor=seller, offer_id=offer.pk, version=3)
    order = Order.objects.get(number=offer.result_ref)
    assert order.lines.get().unit_price == Decimal("240") and order.total == Decimal("252.00")  # + 12 shipping


def test_at_most_five_offers_per_buyer_and_listing(item, buyer, seller):
    for n in range(5):
        offer = _offer(item, buyer, str(100 + n))
        offers.decline(actor=seller, offer_id=offer.pk)
    with pytest.raises(Conflict) as refused:
        _offer(item, buyer, "200")
    assert refused.value.code == "too_many_offers"
    assert _offer(item, UserFactory(), "200").state == State.OPEN  # another buyer still may


def test_one_open_offer_at_a_time(item, buyer):
    _offer(item, buyer)
    with pytest.raises(Conflict) as refused:
        _offer(item, buyer, "260")
    assert refused.value.code == "offer_open"


def test_auto_accept_places_the_order_at_once(item, buyer, seller):
    offers.set_offer_rules(actor=seller, listing_id=item.pk, auto_accept_at="280", auto_decline_below="150")
    offer = _offer(item, buyer, "285")
    assert offer.state == State.ACCEPTED and offer.result_ref
    order = Order.objects.get(number=offer.result_ref)
    assert order.buyer == buyer and order.mode == "c2c" and order.checkout_ref == f"offer:{offer.pk}"
    assert Event.objects.filter(subject_id=offer.pk, reason="auto-accepted").exists()


def test_auto_decline_below_the_threshold_also_on_a_counter(item, buyer, seller):
    offers.set_offer_rules(actor=seller, listing_id=item.pk, auto_accept_at="280", auto_decline_below="150")
    assert _offer(item, buyer, "149.99").state == State.DECLINED
    other = UserFactory()
    offer = _offer(item, other, "200")
    assert offer.state == State.OPEN
    offers.counter(actor=seller, offer_id=offer.pk, version=1, amount=Decimal("290"))
    offer = offers.counter(actor=other, offer_id=offer.pk, version=2, amount=Decimal("281"))
    assert offer.state == State.ACCEPTED  # the buyer's counter met the auto-accept rule


def test_offer_rules_are_checked_and_only_the_seller_sets_them(item, seller, buyer):
    with pytest.raises(ValidationFailed) as bad:
        offers.set_offer_rules(actor=seller, listing_id=item.pk, auto_accept_at="100", auto_decline_below="200")
    assert bad.value.field == "auto_decline_below"
    with pytest.raises(ValidationFailed):
        offers.set_offer_rules(actor=seller, listing_id=item.pk, auto_accept_at="301")
    with pytest.raises(NotFound):
        offers.set_offer_rules(actor=buyer, listing_id=item.pk, auto_accept_at="200")


def test_the_first_accepted_offer_wins_and_the_others_are_declined(item, seller):
    first, second, third = (_offer(item, UserFactory(), amount) for amount in ("250", "260", "270"))
    offers.counter(actor=seller, offer_id=third.pk, version=1, amount=Decimal("290"))  # the seller's turn is over
    offers.accept(actor=seller, offer_id=second.pk, version=1)
    for other in (first, third):
        other.refresh_from_db()
        assert other.state == State.DECLINED
        assert Event.objects.filter(subject_id=other.pk, reason="another offer was accepted").exists()
    with pytest.raises(Conflict) as closed:
        offers.accept(actor=seller, offer_id=first.pk, version=1)
    assert closed.value.code == "closed"
    assert Order.objects.count() == 1


def test_accepting_twice_is_refused(item, buyer, seller):
    offer = _offer(item, buyer)
    offers.accept(actor=seller, offer_id=offer.pk, version=1)
    with pytest.raises(Conflict) as again:
        offers.accept(actor=seller, offer_id=offer.pk, version=1)
    assert again.value.code == "already_accepted" and Order.objects.count() == 1


def test_a_later_offer_on_a_reserved_item_is_out_of_stock(item, buyer, seller):
    offers.accept(actor=seller, offer_id=_offer(item, buyer).pk, version=1)
    late = _offer(item, UserFactory(), "200")  # the first buyer has not paid yet: still on sale
    with pytest.raises(Conflict) as sold:
        offers.accept(actor=seller, offer_id=late.pk, version=1)
    assert sold.value.code == "out_of_stock" and Order.objects.count() == 1
    late.refresh_from_db()
    assert late.state == State.OPEN


def test_the_buyer_withdraws_their_offer(item, buyer, seller):
    offer = _offer(item, buyer)
    with pytest.raises(Conflict):
        offers.withdraw(actor=seller, offer_id=offer.pk)
    assert offers.withdraw(actor=buyer, offer_id=offer.pk).state == State.WITHDRAWN


def test_another_users_offer_is_not_found(item, buyer):
    offer = _offer(item, buyer)
    stranger = UserFactory()
    for act in (
        lambda: offers.accept(actor=stranger, offer_id=offer.pk, version=1),
        lambda: offers.decline(actor=stranger, offer_id=offer.pk),
        lambda: offers.counter(actor=stranger, offer_id=offer.pk, version=1, amount=Decimal(1)),
    ):
        with pytest.raises(NotFound):
            act()


def test_no_offers_on_a_listing_off_sale(item, buyer):
    from tradeloop.c2c.models import Listing

    Listing.objects.filter(pk=item.pk).update(state=Listing.State.SOLD)
    with pytest.raises(Conflict) as refused:
        _offer(item, buyer)
    assert refused.value.code == "listing_not_active"
