"""Watching and saved searches: watchers hear of price drops (once per new price, only drops), saved searches hear
of new matching listings (words, category subtree, city, price; never the seller), one e-mail per alert."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tradeloop.c2c import signals
from tradeloop.c2c import watching as services
from tradeloop.c2c.errors import Code
from tradeloop.c2c.models import Alert, Listing, Watch
from tradeloop.catalog.models import Product
from tradeloop.core import clock as tl_clock
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def make_listing(
    *,
    seller=None,
    title="Kindle Paperwhite",
    price="300.00",
    category=None,
    city="Hangzhou",
    description="",
    publish=True,
) -> Listing:
    """A listing; with `publish`, the listings feature's `listing_published` signal is sent as it would be."""
    seller = seller or factories.seller_with_owner(kind="personal")
    product = factories.published_product(
        seller=seller, title=title, price=price, stock=1, kind="listing", category=category
    )
    if description:
        Product.objects.filter(pk=product.pk).update(description=description)
    item = Listing.objects.create(product=product, city=city, expires_at=tl_clock.now() + timedelta(days=120))
    if publish:
        signals.listing_published.send(sender=Listing, listing=item)
    return item


def reprice(item: Listing, new: str) -> None:
    """What the listings feature does on a price change: the SKU and product price, then the signal."""
    product = item.product
    old = product.price_from
    product.variants.update(price=Decimal(new))
    Product.objects.filter(pk=product.pk).update(price_from=Decimal(new))
    product.refresh_from_db()
    signals.listing_price_changed.send(sender=Listing, listing=item, old=old, new=Decimal(new))


@pytest.fixture
def buyer():
    return factories.UserFactory()


@pytest.fixture
def electronics():
    root = factories.CategoryFactory(slug="electronics", name="Electronics")
    readers = factories.CategoryFactory(slug="readers", name="E-readers", parent=root)
    other = factories.CategoryFactory(slug="books", name="Books")
    return root, readers, other


# --- watch / unwatch ----------------------------------------------------------------------------------------------


def test_watching_is_idempotent_and_remembers_the_price(buyer):
    item = make_listing(price="300.00")
    first, created = services.watch(actor=buyer, product_id=item.product_id)
    again, created_again = services.watch(actor=buyer, product_id=item.product_id)
    assert created and not created_again and first.pk == again.pk
    assert Watch.objects.get(user=buyer).price_seen == Decimal("300.00")
    services.unwatch(actor=buyer, product_id=item.product_id)
    services.unwatch(actor=buyer, product_id=item.product_id)
    assert not Watch.objects.filter(user=buyer).exists()


def test_only_listings_of_others_on_sale_can_be_watched(buyer, merchant):
    seller = factories.seller_with_owner(kind="personal")
    item = make_listing(seller=seller)
    with pytest.raises(Conflict) as own:
        services.watch(actor=seller.owner, product_id=item.product_id)
    assert own.value.code == Code.OWN_LISTING
    shop_product = factories.published_product(seller=merchant)
    with pytest.raises(NotFound):
        services.watch(actor=buyer, product_id=shop_product.pk)
    Listing.objects.filter(pk=item.pk).update(state=Listing.State.SOLD)
    with pytest.raises(Conflict) as sold:
        services.watch(actor=buyer, product_id=item.product_id)
    assert sold.value.code == Code.LISTING_NOT_ACTIVE


# --- price drops --------------------------------------------------------------------------------------------------


def test_a_price_drop_alerts_each_watcher_once_per_new_price_and_only_drops(buyer):
    other = factories.UserFactory()
    item = make_listing(price="300.00")
    services.watch(actor=buyer, product_id=item.product_id)
    services.watch(actor=other, product_id=item.product_id)

    reprice(item, "320.00")  # a rise: nothing
    assert not Alert.objects.exists()

    reprice(item, "280.00")
    drops = Alert.objects.filter(kind=Alert.Kind.PRICE_DROP)
    assert {(a.user_id, a.old_price, a.new_price) for a in drops} == {
        (buyer.pk, Decimal("320.00"), Decimal("280.00")),
        (other.pk, Decimal("320.00"), Decimal("280.00")),
    }
    assert set(Watch.objects.values_list("price_seen", flat=True)) == {Decimal("280.00")}

    signals.listing_price_changed.send(sender=Listing, listing=item, old=Decimal("320.00"), new=Decimal("280.00"))
    reprice(item, "300.00")
    reprice(item, "280.00")  # back up and down to a price already told: nothing new
    assert drops.count() == 2

    reprice(item, "250.00")
    assert drops.filter(user=buyer).count() == 2
    assert drops.filter(new_price=Decimal("250.00")).count() == 2


def test_a_watcher_who_began_after_the_drop_hears_nothing_of_it(buyer):
    item = make_listing(price="300.00")
    reprice(item, "250.00")
    services.watch(actor=buyer, product_id=item.product_id)
    reprice(item, "260.00")
    assert not Alert.objects.exists()


# --- saved searches -----------------------------------------------------------------------------------------------


def test_saving_a_search_needs_something_to_look_for_and_the_same_search_is_kept_once(buyer, electronics):
    _root, readers, _other = electronics
    with pytest.raises(ValidationFailed):
        services.save_search(actor=buyer, query="   ")
    with pytest.raises(ValidationFailed) as bad:
        services.save_search(actor=buyer, max_price=Decimal("-1"))
    assert bad.value.field == "max_price"
    first, created = services.save_search(actor=buyer, query="Kindle  Paperwhite", category_id=readers.pk)
    again, created_again = services.save_search(actor=buyer, query="kindle paperwhite", category_id=readers.pk)
    assert created and not created_again and first.pk == again.pk and first.query == "kindle paperwhite"


def test_too_many_saved_searches_are_refused(buyer, settings):
    for n in range(services.MAX_SAVED_SEARCHES):
        services.save_search(actor=buyer, query=f"thing {n}")
    with pytest.raises(Conflict) as full:
        services.save_search(actor=buyer, query="one more")
    assert full.value.code == Code.TOO_MANY_SAVED_SEARCHES


def test_another_buyers_saved_search_cannot_be_deleted(buyer):
    search, _ = services.save_search(actor=factories.UserFactory(), query="bike")
    with pytest.raises(NotFound):
        services.delete_search(actor=buyer, search_id=search.pk)
    services.delete_search(actor=search.user, search_id=search.pk)


def _matched(user) -> set[str]:
    return set(Alert.objects.filter(user=user, kind=Alert.Kind.NEW_MATCH).values_list("product__title", flat=True))


def test_a_new_listing_alerts_the_saved_searches_it_matches(buyer, electronics):
    root, readers, books = electronics
    services.save_search(actor=buyer, query="kindle", category_id=root.pk, city="hangzhou", max_price=Decimal("300"))

    make_listing(title="Kindle Paperwhite", category=readers, price="299.00")  # subtree, city any case, price
    make_listing(title="Old reader", description="<p>A <b>Kindle</b> 4</p>", category=readers, price="80.00")
    make_listing(title="Kindle Oasis", category=readers, price="301.00")  # too dear
    make_listing(title="Kindle Voyage", category=books, price="100.00")  # another category
    make_listing(title="Kindle Basic", category=readers, price="100.00", city="Shanghai")  # another city
    make_listing(title="Kobo Clara", category=readers, price="100.00")  # not the words
    assert _matched(buyer) == {"Kindle Paperwhite", "Old reader"}


def test_every_word_must_match_in_either_language(buyer):
    services.save_search(actor=buyer, query="kindle 电子书")
    item = make_listing(title="Kindle Paperwhite", publish=False)
    Product.objects.filter(pk=item.product_id).update(title_zh="Kindle 电子书阅读器")
    make_listing(title="Kindle Scribe")
    signals.listing_published.send(sender=Listing, listing=Listing.objects.get(pk=item.pk))
    assert _matched(buyer) == {"Kindle Paperwhite"}


def test_new_matches_are_told_once_and_never_to_the_seller(buyer):
    seller = factories.seller_with_owner(kind="personal")
    services.save_search(actor=seller.owner, query="bike")
    services.save_search(actor=buyer, query="bike")
    services.save_search(actor=buyer, city="Hangzhou")  # a second matching search of the same buyer
    item = make_listing(seller=seller, title="Road bike")
    signals.listing_published.send(sender=Listing, listing=item)  # renewed, or the signal sent twice
    assert not Alert.objects.filter(user=seller.owner).exists()
    assert Alert.objects.filter(user=buyer, kind=Alert.Kind.NEW_MATCH).count() == 1


def test_matching_is_one_query_over_saved_searches(buyer, django_assert_max_num_queries):
    for n in range(20):
        services.save_search(actor=factories.UserFactory(), query=f"bike {n}")
    services.save_search(actor=buyer, query="bike")
    item = make_listing(title="Road bike", publish=False)
    with django_assert_max_num_queries(6):
        told = services.listing_published(listing=item)
    assert told == 1


def test_mark_all_read(buyer):
    services.save_search(actor=buyer, query="bike")
    make_listing(title="Road bike")
    make_listing(title="Mountain bike")
    assert services.mark_alerts_read(actor=buyer) == 2
    assert services.mark_alerts_read(actor=buyer) == 0


# --- e-mails ------------------------------------------------------------------------------------------------------


def test_one_email_per_alert_after_commit_in_the_buyers_language(
    buyer, celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    buyer.language = "zh-hans"
    buyer.save(update_fields=["language"])
    item = make_listing(price="300.00")
    services.watch(actor=buyer, product_id=item.product_id)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        reprice(item, "250.00")
    assert mailoutbox == []  # nothing sent inside the transaction
    for callback in queued:
        callback()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [buyer.email]
    assert "降价" in mail.subject and "Kindle" in mail.subject
    assert "250.00" in mail.body

    from tradeloop.c2c.watch_mail import alert_emails

    assert alert_emails(list(Alert.objects.values_list("pk", flat=True))) == 0  # a retried job sends nothing again
