"""API shapes for customer service conversations."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from tradeloop.conversations.services import MAX_BODY
from tradeloop.core.api_schemas import Id, InputSchema, PageQuery, Text


class PartyOut(Schema):
    id: int
    name: str


class ConversationOut(Schema):
    id: int
    kind: str = Field(..., description="presales (about a product) or order")
    subject: str
    seller: PartyOut
    buyer: PartyOut
    product_id: int | None
    order_number: str | None
    created_at: datetime
    last_message_at: datetime
    unread: bool = Field(..., description="Something the caller's side has not read yet")
    preview: str | None = Field(None, description="The start of the last message")

    @staticmethod
    def resolve_buyer(obj) -> dict:
        return {"id": obj.buyer.pk, "name": obj.buyer.display_name}

    @staticmethod
    def resolve_order_number(obj) -> str | None:
        return obj.order.number if obj.order_id else None

    @staticmethod
    def resolve_preview(obj) -> str | None:
        preview = getattr(obj, "preview", None)
        return preview[:140] if preview else None


class MessageOut(Schema):
    id: int
    from_seller: bool
    author: str
    body: str = Field(..., description="Plain text")
    created_at: datetime

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.display_name


class ThreadOut(Schema):
    conversation: ConversationOut
    side: str = Field(..., description="buyer or seller: which side the caller is on")
    messages: list[MessageOut]


class ConversationQuery(PageQuery):
    organization: Id | None = Field(None, description="The store's conversations (support staff); else your own")
    unread: bool = Field(False, description="Only conversations with something unread")


class ConversationIn(InputSchema):
    body: Text = Field(..., min_length=1, max_length=MAX_BODY)
    product_id: Id | None = Field(None, description="A question about this product …")
    order_number: Text | None = Field(None, max_length=24, description="… or about this order of yours")


class MessageIn(InputSchema):
    body: Text = Field(..., min_length=1, max_length=MAX_BODY)


class UnreadOut(Schema):
    unread: int
