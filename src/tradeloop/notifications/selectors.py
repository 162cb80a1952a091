"""Reads: a person's notices (keyset pages, unread filter), their unread count (cached per person), webhook lists."""

from __future__ import annotations

from django.core.cache import cache

from tradeloop.core.pagination import Page, keyset_page
from tradeloop.notifications.models import Notification
from tradeloop.notifications.services import UNREAD_TTL, unread_cache_key


def inbox_page(user, *, unread: bool = False, cursor: str | None = None, limit: int = 20) -> Page:
    qs = Notification.objects.filter(recipient=user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return keyset_page(qs, order=("-created_at", "-id"), cursor=cursor, limit=limit)


def unread_count(user, *, fresh: bool = False) -> int:
    """The header's badge: one COUNT on a miss, none while the cached number is fresh (0 for guests, no query).
    `fresh`: count now (the notifications page and the API) and cache that."""
    if user is None or not user.is_authenticated:
        return 0
    key = unread_cache_key(user.pk)
    count = None if fresh else cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_TTL)
    return count
