"""Deals: a local business creates, publishes, edits and withdraws a deal; buyers buy within the rules."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.o2o import local
from tests.o2o.dealing import bought
from tradeloop.catalog.models import Product
from tradeloop.core import clock
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.o2o import deals
from tradeloop.o2o.models import Deal, Voucher
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db


def _new(place, **changes):
    now = clock.now()
    values = {
        "title": "Haircut and wash",
        "title_zh": "洗剪吹",
        "description": "A cut by a senior stylist.\n\nWash included.",
        "price": "39.00",
        "original_price": "68.00",
        "place_ids": [place.pk],
        "sale_starts_at": now,
        "sale_ends_at": now + timedelta(days=14),
        "usage_rules": "Book a day ahead.",
        "tipping_point": 5,
        **changes,
    }
    return deals.create_deal(actor=place.seller.owner, organization_id=place.seller_id, **values)


def test_a_business_creates_a_draft_deal_product_and_publishes_it():
    place = local.place()
    deal = _new(place)
    product = deal.product
    assert deal.state == Deal.State.DRAFT and product.kind == Product.Kind.DEAL
    assert product.title_zh == "洗剪吹" and product.description.startswith("<p>A cut")
    variant = product.variants.get()
    assert variant.price == Decimal("39.00") and variant.compare_at_price == Decimal("68.00")
    assert list(deal.places.all()) == [place]
    deals.publish(actor=place.seller.owner, deal_id=deal.pk)
    deal.refresh_from_db()
    product.refresh_from_db()
    assert deal.state == Deal.State.LIVE and product.status == Product.Status.PUBLISHED


def test_only_own_places_and_sane_fields():
    place = local.place()
    other = local.place()
    with pytest.raises(ValidationFailed) as refused:
        _new(place, place_ids=[other.pk])
    assert refused.value.field == "place_ids"
    with pytest.raises(ValidationFailed) as refused:
        _new(place, original_price="20.00")
    assert refused.value.field == "original_price"
    with pytest.raises(ValidationFailed) as refused:
        _new(place, sale_ends_at=clock.now() - timedelta(days=1))
    assert refused.value.field == "sale_ends_at"
    with pytest.raises(ValidationFailed):
        _new(place, price="-1")
    assert not Deal.objects.exists()


def test_staff_without_the_catalog_role_and_other_tenants_cannot_create_or_edit():
    place = local.place()
    clerk = factories.member(place.seller, "fulfilment")
    with pytest.raises(PermissionDenied):
        deals.create_deal(
            actor=clerk,
            organization_id=place.seller_id,
            title="x",
            price="1",
            place_ids=[place.pk],
            sale_starts_at=clock.now(),
            sale_ends_at=clock.now() + timedelta(days=1),
        )
    deal = _new(place)
    with pytest.raises(NotFound):
        deals.update_deal(actor=factories.UserFactory(), deal_id=deal.pk, title="mine")


def test_a_live_deal_keeps_its_price_and_tipping_point():
    place = local.place()
    deal = _new(place)
    deals.publish(actor=place.seller.owner, deal_id=deal.pk)
    with pytest.raises(ValidationFailed) as refused:
        deals.update_deal(actor=place.seller.owner, deal_id=deal.pk, price="29.00")
    assert refused.value.field == "price"
    deals.update_deal(actor=place.seller.owner, deal_id=deal.pk, title="Haircut, wash and style", stock_cap=100)
    deal.refresh_from_db()
    assert deal.product.title == "Haircut, wash and style" and deal.stock_cap == 100


def test_withdrawn_deals_leave_the_storefront():
    deal = local.deal()
    deals.withdraw(actor=deal.product.seller.owner, deal_id=deal.pk)
    deal.refresh_from_db()
    assert deal.state == Deal.State.WITHDRAWN and deal.product.status == Product.Status.UNPUBLISHED
    with pytest.raises(Conflict) as refused:
        deals.buy(actor=factories.UserFactory(), deal_id=deal.pk)
    assert refused.value.code == "deal_not_on_sale"


def test_buying_places_an_o2o_escrow_order_waiting_for_payment():
    deal = local.deal()
    buyer = factories.UserFactory()
    order = deals.buy(actor=buyer, deal_id=deal.pk, quantity=2)
    assert order.mode == Order.Mode.O2O and order.held_in_escrow and order.state == Order.State.PENDING_PAYMENT
    assert order.total == Decimal("78.00") and order.checkout_ref == f"deal:{deal.pk}"
    deal.refresh_from_db()
    assert deal.sold_count == 2


def test_buying_outside_the_sale_window_is_refused(clock):
    deal = local.deal(sale_starts_at=clock.now() + timedelta(hours=1))
    with pytest.raises(Conflict) as refused:
        deals.buy(actor=factories.UserFactory(), deal_id=deal.pk)
    assert refused.value.code == "deal_not_on_sale"
    clock.advance(days=8)
    with pytest.raises(Conflict):
        deals.buy(actor=factories.UserFactory(), deal_id=deal.pk)


def test_the_per_person_limit_counts_vouchers_and_unpaid_orders():
    deal = local.deal(per_person_limit=3)
    buyer = factories.UserFactory()
    bought(deal, buyer, 2)
    deals.buy(actor=buyer, deal_id=deal.pk, quantity=1)
    with pytest.raises(Conflict) as refused:
        deals.buy(actor=buyer, deal_id=deal.pk, quantity=1)
    assert refused.value.code == "over_person_limit"
    deals.buy(actor=factories.UserFactory(), deal_id=deal.pk, quantity=3)


def test_refunded_vouchers_do_not_count_towards_the_limit():
    from tradeloop.o2o import vouchers

    deal = local.deal(per_person_limit=1)
    buyer = factories.UserFactory()
    order = bought(deal, buyer)
    vouchers.refund(actor=buyer, voucher_id=Voucher.objects.get(order=order).pk)
    bought(deal, buyer)


def test_the_stock_cap_is_never_passed():
    deal = local.deal(stock_cap=3)
    bought(deal, quantity=2)
    with pytest.raises(Conflict) as refused:
        deals.buy(actor=factories.UserFactory(), deal_id=deal.pk, quantity=2)
    assert refused.value.code == "deal_sold_out"
    bought(deal, quantity=1)
    deal.refresh_from_db()
    assert deal.sold_count == 3


def test_an_unpaid_order_gives_its_units_back(clock):
    deal = local.deal(stock_cap=2)
    deals.buy(actor=factories.UserFactory(), deal_id=deal.pk, quantity=2)
    clock.advance(minutes=20)
    assert orders.sweep_unpaid_orders(clock.now()) == 1
    deal.refresh_from_db()
    assert deal.sold_count == 0
    bought(deal, quantity=2)


def test_a_repeated_buy_with_the_same_key_is_the_same_order():
    deal = local.deal()
    buyer = factories.UserFactory()
    first = deals.buy(actor=buyer, deal_id=deal.pk, quantity=1, key="k-1")
    again = deals.buy(actor=buyer, deal_id=deal.pk, quantity=1, key="k-1")
    assert first.pk == again.pk
    deal.refresh_from_db()
    assert deal.sold_count == 1


def test_bad_quantities_and_own_deals_are_refused():
    deal = local.deal()
    with pytest.raises(ValidationFailed):
        deals.buy(actor=factories.UserFactory(), deal_id=deal.pk, quantity=0)
    with pytest.raises(ValidationFailed) as refused:
        deals.buy(actor=deal.product.seller.owner, deal_id=deal.pk)
    assert refused.value.code == "own_deal"
    with pytest.raises(NotFound):
        deals.buy(actor=factories.UserFactory(), deal_id=999_999)


def test_places_show_their_cheapest_deal_and_count_what_sold():
    place = local.place()
    owner = place.seller.owner
    deal = _new(place)
    place.refresh_from_db()
    assert place.price_from is None
    deals.publish(actor=owner, deal_id=deal.pk)
    place.refresh_from_db()
    assert place.price_from == Decimal("39.00")
    bought(deal, quantity=2)
    place.refresh_from_db()
    assert place.sold_count == 2
    deals.withdraw(actor=owner, deal_id=deal.pk)
    place.refresh_from_db()
    assert place.price_from is None
