"""Contact details in messages with a private seller are hidden until the buyer has paid them.

Strangers who swap phone numbers or links before paying leave the platform, and its escrow, behind. So in a
conversation between a buyer and a private seller (Organization.Kind.PERSONAL), phone numbers, links and WeChat IDs
are shown as "[hidden until payment]" until that buyer has paid an order of that seller. Masking happens when a
message is *shown*, not when it is stored: once paid, both sides see the messages as written. Merchants' (B2C, B2B,
O2O) conversations are never masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext

from tradeloop.accounts.models import Organization
from tradeloop.orders.models import Order

_SEP = r"[ \t\-–—]?"
# a WeChat ID after its label: 微信 / wx / vx / WeChat / V信, then an ID of 5–20 letters, digits, _ and -
WECHAT = re.compile(
    r"(?:微信号?|威信|薇信|V信|wechat|weixin|wx|vx)\s*(?:号|id)?\s*[:：]?\s*[A-Za-z][-_A-Za-z0-9]{4,19}",
    re.IGNORECASE,
)
LINK = re.compile(
    r"(?:https?://|www\.)\S+"  # http(s):// or www. links
    r"|\b[A-Za-z0-9][-A-Za-z0-9]*(?:\.[A-Za-z0-9][-A-Za-z0-9]*)*"
    r"\.(?:com|cn|net|org|cc|me|io|top|xyz|shop|info|biz|co|tv|vip)(?:\.cn)?\b(?:/\S*)?",  # domain-like
    re.IGNORECASE,
)
# Chinese mobiles (1[3-9] + 9 digits, optionally +86 / 0086 first, with spaces or dashes), and any other run of
# 7 or more digits (landlines, foreign numbers), separators allowed between them
PHONE = re.compile(
    r"(?:(?:\+|00)\s?86" + _SEP + r")?1[3-9](?:" + _SEP + r"\d){9}(?!\d)"
    r"|(?<!\d)(?!\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d))\+?\d(?:" + _SEP + r"\d){6,}",  # not a date 2026-12-02
)
EMAIL = re.compile(r"[-\w.+]+@[-\w]+(?:\.[-\w]+)+")
RULES = (EMAIL, WECHAT, LINK, PHONE)


def placeholder() -> str:
    """ "[hidden until payment]" (【付款后可见】 in Chinese)."""
    return gettext("[hidden until payment]")


def mask(text: str) -> str:
    """The text with phone numbers, links and WeChat IDs replaced by the placeholder."""
    if not text:
        return text
    hidden = placeholder()
    for rule in RULES:
        text = rule.sub(hidden, text)
    return text


def masked_pairs(pairs: Iterable[tuple[int, int, str]]) -> set[tuple[int, int]]:
    """Of (buyer_id, seller_id, seller_kind) pairs, those whose messages are masked: a private seller the buyer has
    not paid yet (1 query for all of them; none when no private seller is among them)."""
    personal = {(b, s) for b, s, kind in pairs if kind == Organization.Kind.PERSONAL}
    if not personal:
        return set()
    buyers = {b for b, _ in personal}
    sellers = {s for _, s in personal}
    paid = set(
        Order.objects.filter(buyer_id__in=buyers, seller_id__in=sellers, paid_at__isnull=False)
        .values_list("buyer_id", "seller_id")
        .distinct()
    )
    return personal - paid


def is_masked(conversation) -> bool:
    """Whether the conversation's messages are shown masked (1 query for a private seller, else none)."""
    seller = conversation.seller
    pair = (conversation.buyer_id, conversation.seller_id, seller.kind)
    return bool(masked_pairs([pair]))


def mask_messages(messages: Iterable, masked: bool) -> None:
    """Mask the bodies of loaded messages in place (never saved)."""
    if masked:
        for m in messages:
            m.body = mask(m.body)
