"""Customer service endpoints: `conversations` (buyer's own, or a store's for its support staff), threads, messages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import membership
from tradeloop.conversations import masking, selectors, services
from tradeloop.conversations.schemas import (
    ConversationIn,
    ConversationOut,
    ConversationQuery,
    MessageIn,
    MessageOut,
    ThreadOut,
)
from tradeloop.core.api_schemas import Id, PageOut, errors
from tradeloop.core.errors import ValidationFailed

router = Router(auth=SIGNED_IN, tags=["conversations"])


@router.get("conversations", response={200: PageOut[ConversationOut], **errors(400, 401, 403, 404, 422)})
def conversations(request: HttpRequest, query: Query[ConversationQuery]):
    """Your conversations with stores, or with `organization` that store's (needs support.reply); latest first."""
    if query.organization is None:
        if query.unread:
            raise ValidationFailed("unread filters a store's inbox; pass organization", field="unread")
        return selectors.buyer_inbox(actor=request.auth, cursor=query.cursor, limit=query.limit)
    seller = membership(request.auth, query.organization).organization
    return selectors.seller_inbox(
        actor=request.auth, seller=seller, unread_only=query.unread, cursor=query.cursor, limit=query.limit
    )


@router.post("conversations", response={201: ThreadOut, **errors(400, 401, 404, 422)})
def start(request: HttpRequest, payload: ConversationIn):
    """Ask a store about a product (`product_id`) or about one of your orders (`order_number`).

    Asking again about the same product or order continues the same conversation."""
    if (payload.product_id is None) == (payload.order_number is None):
        raise ValidationFailed("send either product_id or order_number", field="product_id")
    if payload.product_id is not None:
        message = services.ask_about_product(actor=request.auth, product_id=payload.product_id, body=payload.body)
    else:
        message = services.ask_about_order(actor=request.auth, order_number=payload.order_number, body=payload.body)
    return Status(201, _thread(request, message.conversation_id))


def _thread(request: HttpRequest, conversation_id: int) -> dict:
    thread = selectors.thread(actor=request.auth, conversation_id=conversation_id)
    conversation = thread.conversation
    conversation.unread = False
    return {"conversation": conversation, "side": thread.side, "messages": thread.messages}


@router.get("conversations/{conversation_id}", response={200: ThreadOut, **errors(401, 404, 422)})
def conversation(request: HttpRequest, conversation_id: Id):
    """A conversation and its messages, oldest first. Reading it marks it read for your side."""
    services.mark_read(actor=request.auth, conversation_id=conversation_id)
    return _thread(request, conversation_id)


@router.post("conversations/{conversation_id}/messages", response={201: MessageOut, **errors(400, 401, 404, 422)})
def post_message(request: HttpRequest, conversation_id: Id, payload: MessageIn):
    """Write in a conversation: as its buyer, or as the store's support staff."""
    message = services.reply(actor=request.auth, conversation_id=conversation_id, body=payload.body)
    message.author = request.auth
    masking.mask_messages([message], masking.is_masked(message.conversation))
    return Status(201, message)
