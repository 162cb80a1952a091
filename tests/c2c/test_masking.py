"""Contact details in messages with a private seller are hidden until the buyer has paid an order of theirs."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from tests.api.conftest import Api
from tests.c2c.trading import listing, paid_c2c_order
from tradeloop.accounts.services import issue_token
from tradeloop.conversations import masking, selectors, services
from tradeloop.conversations.models import Message

pytestmark = pytest.mark.django_db
HIDDEN = "[hidden until payment]"


@pytest.mark.parametrize(
    "text",
    [
        "call 13812345678",
        "call 138 1234 5678",
        "call 138-1234-5678",
        "call +86 139 1234 5678",
        "call +8613912345678",
        "landline 0571-88886666",
        "https://example.com/item",
        "http://t.cn/abc",
        "www.taobao.com",
        "go to myshop.cn",
        "see x.com",
        "加微信: abc_12345",
        "wx：hello123",
        "vx abcdef1",
        "mail me at li.lei@qq.com",
    ],
)
def test_contact_details_are_masked(text):
    masked = masking.mask(text)
    assert HIDDEN in masked
    assert not any(ch.isdigit() for ch in masked.split(HIDDEN)[-1].strip()[:1])


@pytest.mark.parametrize(
    "text", ["It costs 300.00 yuan", "Bought it on 2026-12-02", "12 months old, 2 scratches", "Is it still 99% new?"]
)
def test_ordinary_text_is_left_alone(text):
    assert masking.mask(text) == text


def test_chinese_placeholder():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert masking.mask("13812345678") == "【付款后可见】"


@pytest.fixture
def private_thread():
    item = listing()
    buyer = factories.UserFactory()
    message = services.ask_about_product(
        actor=buyer, product_id=item.product_id, body="Still there? Call me on 138 1234 5678"
    )
    seller_owner = item.product.seller.memberships.get().user
    services.reply(actor=seller_owner, conversation_id=message.conversation_id, body="Sure, wx: seller_99 or www.x.cn")
    return item, buyer, seller_owner, message.conversation_id


def test_masked_before_payment_for_both_sides(private_thread):
    _, buyer, seller_owner, conversation_id = private_thread
    for actor in (buyer, seller_owner):
        thread = selectors.thread(actor=actor, conversation_id=conversation_id)
        assert thread.masked
        bodies = [m.body for m in thread.messages]
        assert bodies == [f"Still there? Call me on {HIDDEN}", f"Sure, {HIDDEN} or {HIDDEN}"]
    # stored as written: masking happens when shown
    assert Message.objects.filter(body__contains="138 1234 5678").exists()


def test_visible_after_the_buyer_paid(private_thread):
    item, buyer, _, conversation_id = private_thread
    paid_c2c_order(item=listing(seller=item.product.seller, title="Another"), buyer=buyer)
    thread = selectors.thread(actor=buyer, conversation_id=conversation_id)
    assert not thread.masked
    assert thread.messages[0].body == "Still there? Call me on 138 1234 5678"


def test_another_buyers_payment_does_not_unmask(private_thread):
    item, buyer, _, conversation_id = private_thread
    paid_c2c_order(item=listing(seller=item.product.seller, title="Another"))
    assert selectors.thread(actor=buyer, conversation_id=conversation_id).masked


def test_merchant_conversations_are_not_masked():
    product = factories.published_product(seller=factories.seller_with_owner())
    buyer = factories.UserFactory()
    message = services.ask_about_product(actor=buyer, product_id=product.pk, body="Call 13812345678, www.x.com")
    thread = selectors.thread(actor=buyer, conversation_id=message.conversation_id)
    assert not thread.masked
    assert thread.messages[0].body == "Call 13812345678, www.x.com"


def test_inbox_previews_are_masked(private_thread, django_assert_max_num_queries):
    item, buyer, seller_owner, _ = private_thread
    page = selectors.buyer_inbox(actor=buyer)
    assert page.items[0].preview == f"Sure, {HIDDEN} or {HIDDEN}"
    page = selectors.seller_inbox(actor=seller_owner, seller=item.product.seller)
    assert HIDDEN in page.items[0].preview


def test_the_api_and_the_page_show_masked_messages(private_thread):
    _, buyer, _, conversation_id = private_thread
    _, secret = issue_token(user=buyer)
    api = Api(Client(), secret)
    body = api.get(f"conversations/{conversation_id}").json()
    assert body["messages"][0]["body"] == f"Still there? Call me on {HIDDEN}"
    posted = api.post(f"conversations/{conversation_id}/messages", {"body": "my mail a@b.com"})
    assert posted.status_code == 201 and posted.json()["body"] == f"my mail {HIDDEN}"
    web = Client()
    web.force_login(buyer)
    page = web.get(f"/messages/{conversation_id}/").content.decode()
    assert "138 1234 5678" not in page and HIDDEN in page
