"""Counting page visits without slowing the page: a view calls `record_visit(...)`, which only bumps a counter in a
buffer (no database write in the request); the beat runs `flush()` every minute, turning the buffer into
VisitCount rows with one bulk upsert.

The buffer is a Redis hash when the cache is Redis (REDIS_URL; every web process and the worker share it), else an
append-only spool file in the data folder (the embedded site's web processes and its worker share the disk). A
page view only counts in its process's memory; the counts go to the buffer a second later at most (a timer thread,
one write for all the views of that second). A visitor counts once per page and day: the first view from a session
(or, without one, from an address and browser) adds its key to the cache with `cache.add`; a process remembers the
keys it added, so a visitor it has seen costs no cache call.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import re
import secrets
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.utils import timezone

from tradeloop.accounts.models import Organization
from tradeloop.analytics.models import VisitCount
from tradeloop.core import clock, page_cache

KINDS = {choice.value for choice in VisitCount.Kind}
ROBOTS = re.compile(r"bot|crawl|spider|slurp|headless|preview", re.IGNORECASE)
VISITOR_TTL = 36 * 3600
HASH = "analytics:visits"
Key = tuple[date, str, int, int]  # day, kind, object id, seller id (0: none)


_seen_here: set[str] = set()  # the cache's "seen" keys this process asked for already
SEEN_HERE_MAX = 100_000


def forget_seen_visitors() -> None:
    """Forget which visitors this process saw (after the cache was cleared: it forgot them too)."""
    _seen_here.clear()


def _visitor(request) -> str:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        return "s" + session.session_key
    meta = request.META
    raw = f"{meta.get('REMOTE_ADDR', '')}|{meta.get('HTTP_USER_AGENT', '')}"
    return "a" + hashlib.blake2b(raw.encode(), digest_size=10).hexdigest()


def record_visit(request, kind: str, object_id: int, seller_id: int | None) -> None:
    """Count one view of a page (and a visitor, the first time today). No database query; robots are not counted.
    A page the page cache stores counts it again on each of its hits (the cache replays this call)."""
    page_cache.note(request, "visit", kind, object_id, seller_id)
    if kind not in KINDS or ROBOTS.search(request.META.get("HTTP_USER_AGENT", "")):
        return
    if request.method != "GET":
        return
    day = timezone.localdate(clock.now())
    seen_key = f"analytics:seen:{day}:{kind}:{object_id}:{_visitor(request)}"
    if seen_key in _seen_here:  # this process asked the cache before: it would answer "seen" again
        new_visitor = False
    else:
        new_visitor = cache.add(seen_key, 1, VISITOR_TTL)
        if len(_seen_here) >= SEEN_HERE_MAX:
            _seen_here.clear()
        _seen_here.add(seen_key)
    _buffer().add((day, kind, int(object_id), int(seller_id or 0)), new_visitor)


# --- buffers -----------------------------------------------------------------------------------------------------


def _field(key: Key) -> str:
    day, kind, object_id, seller_id = key
    return f"{day.isoformat()}|{kind}|{object_id}|{seller_id}"


def _counts(line: str) -> tuple[str, int, int]:
    """A spool line's field, views and new visitors (a line of one view each, `…|seller|0 or 1`, from before)."""
    parts = line.split("|")
    try:
        if len(parts) == 6:
            return "|".join(parts[:4]), int(parts[4]), int(parts[5])
        return "|".join(parts[:4]), 1, int(parts[4] == "1")
    except (ValueError, IndexError):
        return "", 0, 0


def _parse(field: str) -> Key | None:
    try:
        day, kind, object_id, seller_id = field.split("|")
        return date.fromisoformat(day), kind, int(object_id), int(seller_id)
    except ValueError:
        return None


class _HandedOver:
    """A page view counts in this process's memory; the counts go to the shared buffer (`_write`) at most HANDOVER
    seconds later, from a timer thread, or at once when this process flushes. One write a second, not one per view."""

    HANDOVER = 1.0

    def __init__(self):
        self._lock = threading.Lock()
        self._views: Counter = Counter()
        self._visitors: Counter = Counter()
        self._timer: threading.Timer | None = None
        atexit.register(self.hand_over)  # a worker that stops hands over what it counted

    def add(self, key: Key, new_visitor: bool) -> None:
        with self._lock:
            self._views[key] += 1
            if new_visitor:
                self._visitors[key] += 1
            if self._timer is None:
                self._timer = threading.Timer(self.HANDOVER, self.hand_over)
                self._timer.daemon = True
                self._timer.start()

    def hand_over(self) -> None:
        with self._lock:
            views, visitors = self._views, self._visitors
            self._views, self._visitors = Counter(), Counter()
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if views:
            self._write(views, visitors)

    def _write(self, views: Counter, visitors: Counter) -> None:
        raise NotImplementedError


class RedisBuffer(_HandedOver):
    """HINCRBY into one hash per counter; the flush renames the hash away atomically, so no increment is lost."""

    def __init__(self, backend: RedisCache):
        super().__init__()
        self.client = backend._cache.get_client(write=True)
        self.views_key = backend.make_key(HASH + ":views")
        self.visitors_key = backend.make_key(HASH + ":visitors")

    def _write(self, views: Counter, visitors: Counter) -> None:
        pipe = self.client.pipeline(transaction=False)
        for key, count in views.items():
            pipe.hincrby(self.views_key, _field(key), count)
        for key, count in visitors.items():
            pipe.hincrby(self.visitors_key, _field(key), count)
        pipe.execute()

    def take(self) -> tuple[Counter, Counter]:
        taken = []
        for key in (self.views_key, self.visitors_key):
            aside = f"{key}:flushing:{secrets.token_hex(6)}"
            try:
                self.client.rename(key, aside)
            except Exception:  # noqa: BLE001 - no such key: nothing counted since the last flush
                taken.append(Counter())
                continue
            raw = self.client.hgetall(aside)
            self.client.delete(aside)
            counts = Counter()
            for field, value in raw.items():
                if parsed := _parse(field.decode() if isinstance(field, bytes) else field):
                    counts[parsed] += int(value)
            taken.append(counts)
        return taken[0], taken[1]


class SpoolBuffer(_HandedOver):
    """Lines `day|kind|id|seller|views|visitors` appended to a file (O_APPEND: whole lines, from any process); the
    flush renames the file aside and reads the spools set aside at least `grace` seconds ago (a writer may still
    hold the old one open)."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder
        self.path = folder / "visits.spool"

    def _write(self, views: Counter, visitors: Counter) -> None:
        line = "".join(f"{_field(key)}|{count}|{visitors.get(key, 0)}\n" for key, count in views.items()).encode()
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except FileNotFoundError:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)

    def take(self, grace: float = 2.0) -> tuple[Counter, Counter]:
        views, visitors = Counter(), Counter()
        if self.path.exists():
            with contextlib.suppress(FileNotFoundError):
                os.replace(self.path, self.folder / f"visits.{time.time_ns()}.{secrets.token_hex(3)}.taken")
        for taken in sorted(self.folder.glob("visits.*.taken")):
            if time.time() - taken.stat().st_mtime < grace:
                continue
            for line in taken.read_text(errors="replace").splitlines():
                field, count, new = _counts(line)
                if parsed := _parse(field):
                    views[parsed] += count
                    visitors[parsed] += new
            taken.unlink()
        return views, visitors


_buffers: dict[tuple, tuple[object, RedisBuffer | SpoolBuffer]] = {}  # (the backend it was made for, the buffer)


def _buffer() -> RedisBuffer | SpoolBuffer:
    """This process's buffer for the configured cache and folder (made once: a page view only adds to it)."""
    backend = caches["default"]
    key = (id(backend), getattr(settings, "ANALYTICS_SPOOL_DIR", None), settings.DATA_DIR)
    made_for, found = _buffers.get(key, (None, None))
    if made_for is not backend or found is None:
        if isinstance(backend, RedisCache):
            found = RedisBuffer(backend)
        else:
            found = SpoolBuffer(Path(getattr(settings, "ANALYTICS_SPOOL_DIR", settings.DATA_DIR / "analytics")))
        _buffers[key] = (backend, found)
    return found


# --- flush -------------------------------------------------------------------------------------------------------


def flush(*, grace: float = 2.0) -> int:
    """Move the buffered counts into VisitCount (one bulk upsert adding to what is there); the number of rows."""
    buffer = _buffer()
    buffer.hand_over()  # this process's own views first
    views, visitors = buffer.take(grace) if isinstance(buffer, SpoolBuffer) else buffer.take()
    if not views:
        return 0
    sellers = {seller_id for (_, _, _, seller_id) in views if seller_id}
    known = set(Organization.objects.filter(pk__in=sellers).values_list("pk", flat=True)) if sellers else set()
    merged: dict[tuple[str, int, date], list] = {}
    for (day, kind, object_id, seller_id), count in views.items():
        row = merged.setdefault((kind, object_id, day), [seller_id if seller_id in known else None, 0, 0])
        row[1] += count
        row[2] += visitors.get((day, kind, object_id, seller_id), 0)
    with transaction.atomic():
        existing = {
            (v.kind, v.object_id, v.day): v
            for v in VisitCount.objects.select_for_update().filter(
                day__in={day for (_, _, day) in merged}, object_id__in={oid for (_, oid, _) in merged}
            )
        }
        rows = []
        for (kind, object_id, day), (seller_id, count, new_visitors) in merged.items():
            before = existing.get((kind, object_id, day))
            rows.append(
                VisitCount(
                    kind=kind,
                    object_id=object_id,
                    day=day,
                    seller_id=seller_id,
                    views=count + (before.views if before else 0),
                    visitors=new_visitors + (before.visitors if before else 0),
                )
            )
        VisitCount.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["kind", "object_id", "day"],
            update_fields=["views", "visitors", "seller"],
            batch_size=500,
        )
    return len(rows)
