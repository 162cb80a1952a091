"""Customer service conversations: a buyer asks a store about a product (pre-sales) or an order (after-sales); the
store's support staff (capability support.reply) answer. Every write is here.

Reading: each side has a `*_read_at`. Posting marks the poster's side read at the message's time, so a conversation is
unread for a side exactly when `last_message_at` is later than that side's `*_read_at` (or it never read it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import can
from tradeloop.catalog.models import Product
from tradeloop.conversations.models import Conversation, Message
from tradeloop.core import clock
from tradeloop.core.errors import NotAuthenticated, NotFound, ValidationFailed
from tradeloop.orders.models import Order

REPLY = "support.reply"
MAX_BODY = 2000
BUYER, SELLER = "buyer", "seller"


def clean_body(body: str | None) -> str:
    """Plain text, 1 to 2,000 characters (shown escaped: nothing in it is ever markup)."""
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ValidationFailed(_("Write a message first."), field="body")
    if len(body) > MAX_BODY:
        raise ValidationFailed(
            _("A message can be at most %(max)s characters (this one has %(count)s).")
            % {"max": MAX_BODY, "count": len(body)},
            field="body",
        )
    return body


def _signed_in(actor: User) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(_("Sign in to send a message."))


@dataclass(frozen=True)
class Access:
    conversation: Conversation
    side: str  # BUYER or SELLER


def access(actor: User, conversation_id: int) -> Access:
    """The conversation and which side the actor is on; anyone but the buyer and the store's support staff gets 404."""
    _signed_in(actor)
    conversation = (
        Conversation.objects.select_related("seller", "buyer", "product", "order").filter(pk=conversation_id).first()
    )
    if conversation is not None:
        if conversation.buyer_id == actor.pk:
            return Access(conversation, BUYER)
        if can(actor, conversation.seller, REPLY):
            return Access(conversation, SELLER)
    raise NotFound(_("Conversation not found."))


def _not_your_own_store(actor: User, seller: Organization) -> None:
    if seller.memberships.filter(user=actor).exists():
        raise ValidationFailed(_("This is your own store: you cannot message it as a buyer."), field="seller")


def _open(*, buyer: User, seller: Organization, kind: str, subject: str, product=None, order=None) -> Conversation:
    now = clock.now()
    found = Conversation.objects.filter(buyer=buyer, seller=seller, kind=kind, product=product, order=order).first()
    if found:
        return found
    return Conversation.objects.create(
        kind=kind,
        buyer=buyer,
        seller=seller,
        product=product,
        order=order,
        subject=subject[:200],
        created_at=now,
        last_message_at=now,
        buyer_read_at=now,
    )


@transaction.atomic
def ask_about_product(*, actor: User, product_id: int, body: str) -> Message:
    """A pre-sales question. Asking again about the same product continues the same conversation."""
    _signed_in(actor)
    body = clean_body(body)
    product = Product.objects.published().select_related("seller").filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("Product not found."))
    _not_your_own_store(actor, product.seller)
    conversation = _open(
        buyer=actor,
        seller=product.seller,
        kind=Conversation.Kind.PRESALES,
        subject=product.display_title,
        product=product,
    )
    return _post(conversation, actor, BUYER, body)


@transaction.atomic
def ask_about_order(*, actor: User, order_number: str, body: str) -> Message:
    """An after-sales conversation about one of the actor's orders (one conversation per order)."""
    _signed_in(actor)
    body = clean_body(body)
    order = Order.objects.select_related("seller").filter(buyer=actor, number=order_number).first()
    if order is None:
        raise NotFound(_("Order not found."))
    subject = _("Order %(number)s") % {"number": order.number}
    conversation = _open(buyer=actor, seller=order.seller, kind=Conversation.Kind.ORDER, subject=subject, order=order)
    return _post(conversation, actor, BUYER, body)


def _post(conversation: Conversation, author: User, side: str, body: str) -> Message:
    now = clock.now()
    message = Message.objects.create(
        conversation=conversation, author=author, from_seller=side == SELLER, body=body, created_at=now
    )
    changes = {"last_message_at": now, f"{side}_read_at": now}
    if side == SELLER and conversation.first_response_seconds is None:
        waited = _first_question_at(conversation)
        if waited is not None:
            changes["first_response_seconds"] = max(int((now - waited).total_seconds()), 0)
    Conversation.objects.filter(pk=conversation.pk).update(**changes)
    for name, value in changes.items():
        setattr(conversation, name, value)
    _forget_unread_counts(conversation)
    return message


def _first_question_at(conversation: Conversation):
    return (
        conversation.messages.filter(from_seller=False)
        .order_by("created_at", "id")
        .values_list("created_at", flat=True)
    ).first()


@transaction.atomic
def reply(*, actor: User, conversation_id: int, body: str) -> Message:
    """A message in an existing conversation, from the buyer or from the store's support staff."""
    found = access(actor, conversation_id)
    body = clean_body(body)
    conversation = Conversation.objects.select_for_update().get(pk=found.conversation.pk)
    return _post(conversation, actor, found.side, body)


def mark_read(*, actor: User, conversation_id: int) -> Access:
    """The actor's side has seen everything in the conversation up to now."""
    found = access(actor, conversation_id)
    field = f"{found.side}_read_at"
    conversation = found.conversation
    if getattr(conversation, field) is None or getattr(conversation, field) < conversation.last_message_at:
        now = max(clock.now(), conversation.last_message_at)
        Conversation.objects.filter(pk=conversation.pk).update(**{field: now})
        setattr(conversation, field, now)
        _forget_unread_counts(conversation)
    return found


def unread_cache_keys(conversation: Conversation) -> list[str]:
    return [
        f"conversations:unread:buyer:{conversation.buyer_id}",
        f"conversations:unread:seller:{conversation.seller_id}",
    ]


def _forget_unread_counts(conversation: Conversation) -> None:
    """The cached unread counts of both sides are stale now, and again once the change commits."""
    keys = unread_cache_keys(conversation)
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def unread_q(side: str):
    """Conversations with something the side has not seen (see the module docstring)."""
    read_at = f"{side}_read_at"
    return Q(**{f"{read_at}__isnull": True}) | Q(last_message_at__gt=F(read_at))
