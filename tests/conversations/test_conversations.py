"""Customer service: who can see and write what, unread counts for both sides, and the response-time metric."""

import pytest

from tests import factories
from tradeloop.conversations import selectors, services
from tradeloop.conversations.models import Conversation
from tradeloop.core import clock
from tradeloop.core.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def ask(buyer, product, body="Is it in stock?"):
    return services.ask_about_product(actor=buyer, product_id=product.pk, body=body).conversation


def test_asking_about_a_product_opens_one_conversation_per_product(buyer, product):
    first = ask(buyer, product)
    again = ask(buyer, product, "And in red?")
    assert first.pk == again.pk
    assert (first.kind, first.subject, first.seller_id) == ("presales", product.title, product.seller_id)
    assert [m.body for m in selectors.thread(actor=buyer, conversation_id=first.pk).messages] == [
        "Is it in stock?",
        "And in red?",
    ]


def test_only_the_buyer_and_the_stores_support_staff_see_a_conversation(buyer, product, merchant, support):
    c = ask(buyer, product)
    assert selectors.thread(actor=buyer, conversation_id=c.pk).side == "buyer"
    assert selectors.thread(actor=support, conversation_id=c.pk).side == "seller"
    assert selectors.thread(actor=merchant.owner, conversation_id=c.pk).side == "seller"
    for outsider in (
        factories.UserFactory(),
        factories.member(merchant, "fulfilment"),
        factories.seller_with_owner().owner,
    ):
        with pytest.raises(NotFound):
            selectors.thread(actor=outsider, conversation_id=c.pk)
        with pytest.raises(NotFound):
            services.reply(actor=outsider, conversation_id=c.pk, body="hi")


def test_seller_inbox_needs_support_reply(merchant, buyer, product):
    ask(buyer, product)
    with pytest.raises(PermissionDenied):
        selectors.seller_inbox(actor=factories.member(merchant, "catalog"), seller=merchant)
    with pytest.raises(NotFound):
        selectors.seller_inbox(actor=factories.UserFactory(), seller=merchant)


def test_message_bodies_are_checked(buyer, product):
    with pytest.raises(ValidationFailed):
        ask(buyer, product, "   ")
    with pytest.raises(ValidationFailed) as exc:
        ask(buyer, product, "x" * 2001)
    assert exc.value.field == "body"
    assert not Conversation.objects.exists()


def test_guests_and_own_store_cannot_ask(product, merchant):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        ask(AnonymousUser(), product)
    with pytest.raises(ValidationFailed):
        ask(merchant.owner, product)


def test_unread_counts_for_both_sides(buyer, product, merchant, support, django_assert_num_queries):
    c = ask(buyer, product)
    assert selectors.unread_for_buyer(buyer) == 0
    assert selectors.unread_for_seller(actor=support, seller=merchant) == 1
    services.mark_read(actor=support, conversation_id=c.pk)
    assert selectors.unread_for_seller(actor=support, seller=merchant) == 0
    services.reply(actor=support, conversation_id=c.pk, body="Yes, 12 left.")
    assert selectors.unread_for_buyer(buyer) == 1
    assert selectors.unread_for_seller(actor=support, seller=merchant) == 0  # your own reply is read
    services.mark_read(actor=buyer, conversation_id=c.pk)
    assert selectors.unread_for_buyer(buyer) == 0


def test_unread_count_is_one_query_then_cached(buyer, merchant):
    for i in range(5):
        ask(buyer, factories.published_product(merchant, title=f"P{i}"))
    membership = merchant.memberships.select_related("role").get(user=merchant.owner)
    from django.core.cache import cache

    cache.clear()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert selectors.seller_unread_badge(membership) == 5
        assert selectors.seller_unread_badge(membership) == 5
    assert len(queries) == 1


def test_first_response_time_and_the_30_day_metric(buyer, merchant, support, clock):
    products = [factories.published_product(merchant, title=f"P{i}") for i in range(3)]
    for hours, product in zip((1, 2, 6), products, strict=True):
        c = ask(buyer, product)
        clock.advance(hours=hours)
        services.reply(actor=support, conversation_id=c.pk, body="Answer")
        services.reply(actor=support, conversation_id=c.pk, body="Second answer does not count")
        c.refresh_from_db()
        assert c.first_response_seconds == hours * 3600
    metric = selectors.response_time(seller=merchant, now=clock.now())
    assert (metric.answered, metric.median_seconds, metric.average_seconds, metric.usual_hours) == (3, 7200, 10800, 2)
    clock.advance(days=31)
    assert selectors.response_time(seller=merchant, now=clock.now()).answered == 0


def test_order_conversation(buyer, merchant, support):
    from tradeloop.orders.models import Order

    order = Order.objects.create(number="250101-ABCDEF", buyer=buyer, seller=merchant)
    message = services.ask_about_order(actor=buyer, order_number=order.number, body="Where is my parcel?")
    assert message.conversation.order_id == order.pk and message.conversation.kind == "order"
    assert selectors.order_conversation_id(actor=buyer, order_id=order.pk) == message.conversation_id
    with pytest.raises(NotFound):
        services.ask_about_order(actor=factories.UserFactory(), order_number=order.number, body="Mine?")


def test_inbox_lists_latest_first_with_preview_and_unread(buyer, merchant, support):
    old = ask(buyer, factories.published_product(merchant, title="Old"))
    clock.advance(minutes=5)
    new = ask(buyer, factories.published_product(merchant, title="New"), "Newest question")
    page = selectors.seller_inbox(actor=support, seller=merchant)
    assert [c.pk for c in page.items] == [new.pk, old.pk]
    assert page.items[0].preview == "Newest question" and page.items[0].unread is True
    services.mark_read(actor=support, conversation_id=new.pk)
    assert [c.pk for c in selectors.seller_inbox(actor=support, seller=merchant, unread_only=True).items] == [old.pk]
