"""Private listings: listing an item in a minute, prohibited categories, expiry and renewal, withdrawal, edits
(price changes tell the watchers), and Buy now (a C2C order, stock 1 reserved: a second buyer is refused)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from tests import factories
from tests.c2c.trading import listing
from tradeloop.accounts.models import Organization
from tradeloop.c2c import listings, signals
from tradeloop.c2c.models import Listing, ProhibitedCategory
from tradeloop.catalog import services as catalog
from tradeloop.catalog.models import Product
from tradeloop.checkout.models import Address
from tradeloop.core import clock as core_clock
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db
State = Listing.State


@pytest.fixture
def person():
    return factories.UserFactory()


@pytest.fixture
def buyer():
    buyer = factories.UserFactory()
    Address.objects.create(user=buyer, name="Mei Lin", phone="138", line1="18 Nanshan Road", city="Hangzhou")
    return buyer


def _list(actor, **fields) -> Listing:
    fields.setdefault("title", "Kindle Paperwhite")
    fields.setdefault("price", "300")
    fields.setdefault("city", "Hangzhou")
    return listings.create_listing(actor=actor, **fields)


def test_a_person_lists_an_item_in_a_minute(person):
    item = _list(person, condition="like_new", district="Xihu", shipping_fee="12", local_pickup=True)
    product = item.product
    assert product.kind == Product.Kind.LISTING and product.status == Product.Status.PUBLISHED
    assert product.condition == "like_new" and product.title == "Kindle Paperwhite" and product.title_zh == ""
    assert product.seller.kind == Organization.Kind.PERSONAL and product.seller.memberships.get().user == person
    variant = product.variants.get()
    assert variant.price == Decimal("300.00") and variant.stock == 1
    assert item.state == State.ACTIVE and item.city == "Hangzhou" and item.district == "Xihu"
    assert item.shipping_fee == Decimal("12") and item.local_pickup and item.ships
    days = timedelta(days=120)
    assert abs(item.expires_at - (core_clock.now() + days)) < timedelta(seconds=10)
    second = _list(person, title="Desk lamp")
    assert second.product.seller == product.seller  # one personal organization per person


def test_chinese_text_goes_into_the_chinese_fields(person):
    with translation.override("zh-hans"):
        item = _list(person, title="二手自行车", description="九成新")
    assert item.product.title_zh == "二手自行车" and item.product.title == ""
    assert item.product.description_zh == "<p>九成新</p>" and item.product.description == ""


def test_listing_published_is_sent_on_create_and_renew(person, clock):
    seen = []

    def hear(sender, listing, **kwargs):
        seen.append(listing.pk)

    signals.listing_published.connect(hear, dispatch_uid="test-listing-published")
    try:
        item = _list(person)
        clock.advance(days=121)
        listings.sweep_expired_listings(core_clock.now())
        listings.renew(actor=person, listing_id=item.pk)
    finally:
        signals.listing_published.disconnect(dispatch_uid="test-listing-published")
    assert seen == [item.pk, item.pk]


def test_a_prohibited_category_and_its_subtree_are_refused_and_nothing_is_written(person):
    weapons = catalog.create_category(name="Weapons")
    knives = catalog.create_category(name="Knives", parent=weapons)
    ProhibitedCategory.objects.create(category=weapons, reason="weapons")
    for category in (weapons, knives):
        with pytest.raises(ValidationFailed) as refused:
            _list(person, category=category.slug)
        assert refused.value.code == "prohibited_category" and refused.value.field == "category"
    assert not Product.objects.exists() and not Listing.objects.exists()
    assert not Organization.objects.filter(kind=Organization.Kind.PERSONAL).exists()
    books = catalog.create_category(name="Books")
    assert _list(person, category=books.pk).product.category == books


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"price": "0"}, "price"),
        ({"price": "-3"}, "price"),
        ({"price": "abc"}, "price"),
        ({"price": "1.234"}, "price"),
        ({"title": " "}, "title"),
        ({"city": ""}, "city"),
        ({"condition": "broken"}, "condition"),
        ({"delivery_speed": "rocket"}, "delivery_speed"),
        ({"ships": False, "local_pickup": False}, "ships"),
        ({"shipping_fee": "-1"}, "shipping_fee"),
        ({"category": "no-such-thing"}, "category"),
    ],
)
def test_bad_input_is_refused_on_its_field(person, fields, field):
    with pytest.raises(ValidationFailed) as refused:
        _list(person, **fields)
    assert refused.value.field == field
    assert not Listing.objects.exists()


def test_expiry_by_the_clock_then_renew(person, clock):
    item = _list(person)
    clock.advance(days=119)
    assert listings.sweep_expired_listings(core_clock.now()) == 0
    clock.advance(days=1, seconds=1)
    assert listings.sweep_expired_listings(core_clock.now()) == 1
    assert listings.sweep_expired_listings(core_clock.now()) == 0  # idempotent
    item.refresh_from_db()
    item.product.refresh_from_db()
    assert item.state == State.EXPIRED and item.product.status == Product.Status.UNPUBLISHED
    renewed = listings.renew(actor=person, listing_id=item.pk)
    renewed.product.refresh_from_db()
    assert renewed.state == State.ACTIVE and renewed.renewals == 1
    assert renewed.product.status == Product.Status.PUBLISHED
    assert renewed.expires_at > core_clock.now() + timedelta(days=119)


def test_an_active_listing_renews_only_near_its_expiry(person, clock):
    item = _list(person)
    with pytest.raises(Conflict) as refused:
        listings.renew(actor=person, listing_id=item.pk)
    assert refused.value.code == "not_renewable"
    clock.advance(days=115)
    renewed = listings.renew(actor=person, listing_id=item.pk)
    assert renewed.state == State.ACTIVE and renewed.renewals == 1
    assert renewed.expires_at > core_clock.now() + timedelta(days=119)


def test_another_persons_listing_is_not_found(person):
    item = _list(person)
    stranger = factories.UserFactory()
    for act in (listings.renew, listings.withdraw):
        with pytest.raises(NotFound):
            act(actor=stranger, listing_id=item.pk)
    with pytest.raises(NotFound):
        listings.update_listing(actor=stranger, listing_id=item.pk, price="1")


def test_withdraw_takes_it_off_sale(person):
    item = _list(person)
    withdrawn = listings.withdraw(actor=person, listing_id=item.pk)
    withdrawn.product.refresh_from_db()
    assert withdrawn.state == State.WITHDRAWN and withdrawn.product.status == Product.Status.UNPUBLISHED
    with pytest.raises(Conflict):
        listings.withdraw(actor=person, listing_id=item.pk)


def test_editing_the_price_sends_listing_price_changed(person):
    item = _list(person)
    heard = []

    def hear(sender, listing, old, new, **kwargs):
        heard.append((listing.pk, old, new))

    signals.listing_price_changed.connect(hear, dispatch_uid="test-price-changed")
    try:
        listings.update_listing(actor=person, listing_id=item.pk, price="300")  # the same price: nothing
        listings.update_listing(actor=person, listing_id=item.pk, price="250", city="Suzhou", condition="fair")
    finally:
        signals.listing_price_changed.disconnect(dispatch_uid="test-price-changed")
    assert heard == [(item.pk, Decimal("300.00"), Decimal("250"))]
    item.refresh_from_db()
    assert item.city == "Suzhou" and item.product.condition == "fair"
    assert item.product.variants.get().price == Decimal("250.00") and item.product.variants.get().stock == 1
    with pytest.raises(ValidationFailed):
        listings.update_listing(actor=person, listing_id=item.pk, seller="x")


def test_buy_now_places_a_c2c_order_with_the_item_reserved(buyer):
    item = listing(price="300.00", shipping_fee="12.00")
    order = listings.buy_now(actor=buyer, listing_id=item.pk)
    assert order.mode == Order.Mode.C2C and order.state == Order.State.PENDING_PAYMENT
    assert order.buyer == buyer and order.seller == item.product.seller
    assert order.total == Decimal("312.00") and order.checkout_ref == f"listing:{item.pk}"
    assert order.shipping_address["city"] == "Hangzhou"
    assert listings.buy_now(actor=buyer, listing_id=item.pk) == order  # pressed twice: the same order
    second = factories.UserFactory()
    Address.objects.create(user=second, name="Li", phone="1", line1="x", city="Wuxi")
    with pytest.raises(Conflict) as sold_out:
        listings.buy_now(actor=second, listing_id=item.pk)
    assert sold_out.value.code == "out_of_stock"
    assert Order.objects.count() == 1


def test_buy_now_with_an_idempotency_key_answers_the_same_order(buyer):
    item = listing()
    first = listings.buy_now(actor=buyer, listing_id=item.pk, key="k-1")
    assert listings.buy_now(actor=buyer, listing_id=item.pk, key="k-1") == first


def test_own_listing_cannot_be_bought_and_an_address_is_needed(person):
    item = _list(person)
    Address.objects.create(user=person, name="A", phone="1", line1="x", city="Wuxi")
    with pytest.raises(ValidationFailed) as own:
        listings.buy_now(actor=person, listing_id=item.pk)
    assert own.value.code == "own_listing"
    nowhere = factories.UserFactory()
    with pytest.raises(ValidationFailed) as no_address:
        listings.buy_now(actor=nowhere, listing_id=item.pk)
    assert no_address.value.code == "address_needed"
    assert not Order.objects.exists()


def test_a_withdrawn_listing_cannot_be_bought(person, buyer):
    item = _list(person)
    listings.withdraw(actor=person, listing_id=item.pk)
    with pytest.raises(Conflict) as refused:
        listings.buy_now(actor=buyer, listing_id=item.pk)
    assert refused.value.code == "listing_not_active"


def test_a_listing_waiting_for_its_buyers_payment_does_not_expire_meanwhile(buyer, clock):
    item = listing(expires_at=core_clock.now() + timedelta(hours=1))
    listings.buy_now(actor=buyer, listing_id=item.pk)
    clock.advance(hours=2)
    assert listings.sweep_expired_listings(core_clock.now()) == 0
    clock.advance(days=2)  # the unpaid order lapsed (the orders sweep cancels it)
    Order.objects.update(state=Order.State.CANCELLED)
    assert listings.sweep_expired_listings(core_clock.now()) == 1
