"""Web pages: Ask the seller, the buyer's inbox and threads, the order page link, the console Messages and badge."""

import pytest
from django.urls import reverse

from tests import factories
from tradeloop.conversations import services
from tradeloop.conversations.models import Conversation

pytestmark = pytest.mark.django_db

EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def test_product_page_has_ask_the_seller_and_guests_sign_in_first(client, product):
    page = client.get(reverse("storefront:product", args=[product.pk, product.slug])).content.decode()
    ask_url = reverse("conversations:ask_product", args=[product.pk])
    assert ask_url in page and "Ask the seller" in page
    assert client.get(ask_url).status_code == 302  # to sign in


def test_buyer_asks_and_reads_the_thread(client, buyer, product):
    client.force_login(buyer)
    url = reverse("conversations:ask_product", args=[product.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"body": ""}).status_code == 400
    response = client.post(url, {"body": "Do you ship to Hangzhou?"})
    conversation = Conversation.objects.get()
    assert response.url == reverse("conversations:thread", args=[conversation.pk])
    page = client.get(response.url).content.decode()
    assert "Do you ship to Hangzhou?" in page and product.title in page
    reply = client.post(response.url, {"body": "One more thing"})
    assert reply.status_code == 302
    assert client.post(response.url, {"body": "x" * 2001}).status_code == 400


def test_message_bodies_are_escaped(client, buyer, product, support):
    message = services.ask_about_product(actor=buyer, product_id=product.pk, body=EVIL)
    for who, url in (
        (buyer, reverse("conversations:thread", args=[message.conversation_id])),
        (support, reverse("conversations:console_thread", args=[product.seller_id, message.conversation_id])),
        (support, reverse("conversations:console_inbox", args=[product.seller_id])),
    ):
        client.force_login(who)
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert "&lt;script&gt;" in page


def test_strangers_get_404(client, buyer, product, merchant):
    message = services.ask_about_product(actor=buyer, product_id=product.pk, body="Hi")
    client.force_login(factories.UserFactory())
    assert client.get(reverse("conversations:thread", args=[message.conversation_id])).status_code == 404
    other = factories.seller_with_owner()
    client.force_login(other.owner)
    url = reverse("conversations:console_thread", args=[other.pk, message.conversation_id])
    assert client.get(url).status_code == 404
    client.force_login(factories.member(merchant, "catalog"))
    assert client.get(reverse("conversations:console_inbox", args=[merchant.pk])).status_code == 403


def test_support_replies_from_the_console_and_the_buyer_sees_the_badge(client, buyer, product, support, merchant):
    message = services.ask_about_product(actor=buyer, product_id=product.pk, body="Colour?")
    client.force_login(support)
    inbox = client.get(reverse("conversations:console_inbox", args=[merchant.pk])).content.decode()
    assert 'class="badge badge-danger"' in inbox  # the nav badge and the row's "New"
    url = reverse("conversations:console_thread", args=[merchant.pk, message.conversation_id])
    assert client.post(url, {"body": "Red and blue."}).status_code == 302
    assert (
        client.get(reverse("conversations:console_inbox", args=[merchant.pk]), {"unread": "1"}).context["page"].items
        == []
    )
    client.force_login(buyer)
    home = client.get(reverse("storefront:home")).content.decode()
    assert 'Messages <span class="badge badge-danger">1</span>' in home
    client.get(reverse("conversations:thread", args=[message.conversation_id]))
    assert 'Messages <span class="badge' not in client.get(reverse("storefront:home")).content.decode()


def test_store_staff_opening_the_buyer_link_go_to_the_console(client, buyer, product, support, merchant):
    message = services.ask_about_product(actor=buyer, product_id=product.pk, body="Hi")
    client.force_login(support)
    response = client.get(reverse("conversations:thread", args=[message.conversation_id]))
    assert response.url == reverse("conversations:console_thread", args=[merchant.pk, message.conversation_id])


def test_order_page_links_to_an_after_sales_conversation(client, merchant):
    order = factories.paid_order(seller=merchant)
    client.force_login(order.buyer)
    page = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    ask = reverse("conversations:ask_order", args=[order.number])
    assert ask in page
    response = client.post(ask, {"body": "Please gift-wrap it."})
    conversation = Conversation.objects.get(order=order)
    assert response.url == reverse("conversations:thread", args=[conversation.pk])
    assert client.get(ask).url == response.url  # the same conversation next time
    client.force_login(factories.UserFactory())
    assert client.get(ask).status_code == 404


def test_store_page_shows_the_usual_response_time(client, buyer, merchant, support, clock):
    message = services.ask_about_product(actor=buyer, product_id=factories.published_product(merchant).pk, body="Hi")
    clock.advance(hours=2, minutes=10)
    services.reply(actor=support, conversation_id=message.conversation_id, body="Hello")
    page = client.get(reverse("storefront:store", args=[merchant.slug])).content.decode()
    assert "Usually replies within 3 hours" in page


def test_inbox_query_budgets(client, buyer, support, merchant, django_assert_max_num_queries):
    for i in range(25):
        product = factories.published_product(merchant, title=f"P{i}")
        services.ask_about_product(actor=buyer, product_id=product.pk, body=f"Question {i}")
    client.force_login(buyer)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("conversations:inbox")).status_code == 200
    client.force_login(support)
    url = reverse("conversations:console_inbox", args=[merchant.pk])
    client.get(url)
    with django_assert_max_num_queries(9):  # the nav's unanswered-reviews badge and the median reply time
        response = client.get(url)
    assert len(response.context["page"].items) == 25
