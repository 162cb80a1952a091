"""Reads of conversations, scoped to the buyer or the store's support staff, in a fixed number of queries."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.fields import BooleanField

from tradeloop.accounts.models import Membership, Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.conversations import masking
from tradeloop.conversations.models import Conversation, Message
from tradeloop.conversations.services import BUYER, REPLY, SELLER, Access, access, unread_q
from tradeloop.core.pagination import Page, keyset_page

ORDER = ("-last_message_at", "-id")
PREVIEW_CHARS = 140
THREAD_LIMIT = 500
METRIC_DAYS = 30


def _listing(qs: QuerySet[Conversation], side: str) -> QuerySet[Conversation]:
    """With the last message's first characters and whether the side has unread messages (still 1 query)."""
    last = Message.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-id")
    return qs.select_related("seller", "buyer", "product", "order").annotate(
        preview=Subquery(last.values("body")[:1]),
        unread=Case(When(unread_q(side), then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def buyer_inbox(*, actor: User, cursor: str | None = None, limit: int = 30) -> Page:
    """The buyer's conversations, latest activity first (1 query a page)."""
    qs = _listing(Conversation.objects.filter(buyer=actor), BUYER) if actor.is_authenticated else None
    if qs is None:
        return Page(items=[], next_cursor=None)
    return _mask_previews(keyset_page(qs, order=ORDER, cursor=cursor, limit=limit))


def _mask_previews(page: Page) -> Page:
    """Previews of conversations with a private seller not paid yet hide contact details (masking; ≤ 1 query)."""
    masked = masking.masked_pairs((c.buyer_id, c.seller_id, c.seller.kind) for c in page.items)
    for c in page.items:
        if (c.buyer_id, c.seller_id) in masked and getattr(c, "preview", None):
            c.preview = masking.mask(c.preview)
    return page


def seller_inbox(
    *, actor: User, seller: Organization, unread_only: bool = False, cursor: str | None = None, limit: int = 30
) -> Page:
    """The store's conversations for its support staff, latest activity first (1 query a page)."""
    require(actor, seller, REPLY)
    qs = Conversation.objects.filter(seller=seller)
    if unread_only:
        qs = qs.filter(unread_q(SELLER))
    return _mask_previews(keyset_page(_listing(qs, SELLER), order=ORDER, cursor=cursor, limit=limit))


@dataclass
class Thread:
    conversation: Conversation
    side: str
    messages: list[Message]
    masked: bool = False  # contact details hidden until the buyer pays the private seller (masking)

    @property
    def other_party(self) -> str:
        c = self.conversation
        return c.seller.name if self.side == BUYER else c.buyer.display_name


def thread(*, actor: User, conversation_id: int) -> Thread:
    """A conversation with its messages, oldest first (2 queries, 3 with a private seller); 404 for anyone but its
    two sides. With a private seller the buyer has not paid yet, contact details are masked (masking)."""
    found: Access = access(actor, conversation_id)
    messages = list(
        Message.objects.filter(conversation=found.conversation)
        .select_related("author")
        .order_by("created_at", "id")[:THREAD_LIMIT]
    )
    masked = masking.is_masked(found.conversation)
    masking.mask_messages(messages, masked)
    return Thread(found.conversation, found.side, messages, masked)


UNREAD_TTL = 300


def _cached_count(key: str, count) -> int:
    """Unread counts are read on every page; they are cached until a message or a read changes them."""
    found = cache.get(key)
    if found is None:
        found = count()
        cache.set(key, found, UNREAD_TTL)
    return found


def unread_for_buyer(user: User) -> int:
    """Conversations with a store's reply the buyer has not read (1 query, then cached)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return _cached_count(
        f"conversations:unread:buyer:{user.pk}",
        lambda: Conversation.objects.filter(unread_q(BUYER), buyer=user).count(),
    )


def unread_for_seller(*, actor: User, seller: Organization) -> int:
    """Conversations of the store with a buyer's message nobody has read (1 query + the capability check)."""
    require(actor, seller, REPLY)
    return Conversation.objects.filter(unread_q(SELLER), seller=seller).count()


def seller_unread_badge(membership: Membership) -> int:
    """The console navigation badge: the membership is already loaded, so this is the 1 counting query (cached)."""
    if not membership.role.grants(REPLY):
        return 0
    org_id = membership.organization_id
    return _cached_count(
        f"conversations:unread:seller:{org_id}",
        lambda: Conversation.objects.filter(unread_q(SELLER), seller_id=org_id).count(),
    )


# --- response time -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseTime:
    answered: int  # conversations of the period with a first response
    median_seconds: int | None
    average_seconds: int | None

    @property
    def usual_hours(self) -> int | None:
        """What the store page says: "usually replies within N h" (rounded up, at least 1)."""
        if self.median_seconds is None:
            return None
        return max(1, math.ceil(self.median_seconds / 3600))


def response_time(*, seller: Organization, now: datetime, days: int = METRIC_DAYS) -> ResponseTime:
    """First-response time over conversations started in the last `days` days (1 query)."""
    seconds = list(
        Conversation.objects.filter(
            seller=seller, created_at__gte=now - timedelta(days=days), first_response_seconds__isnull=False
        ).values_list("first_response_seconds", flat=True)
    )
    if not seconds:
        return ResponseTime(0, None, None)
    return ResponseTime(len(seconds), int(statistics.median(seconds)), int(sum(seconds) / len(seconds)))


def public_response_time(*, seller: Organization, now: datetime) -> ResponseTime:
    """The store page's figure, cached for 10 minutes (it changes slowly and the store page is busy)."""
    key = f"conversations:response-time:{seller.pk}"
    found = cache.get(key)
    if found is None:
        found = response_time(seller=seller, now=now)
        cache.set(key, found, 600)
    return found


def order_conversation_id(*, actor: User, order_id: int) -> int | None:
    """The buyer's conversation about an order, if there is one (for a link on the order page)."""
    return (
        Conversation.objects.filter(Q(order_id=order_id), buyer=actor).values_list("pk", flat=True).first()
        if actor.is_authenticated
        else None
    )
