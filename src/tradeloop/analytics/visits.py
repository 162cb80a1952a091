"""Counting page visits without slowing the page: a view calls `record_visit(...)`, which only bumps a counter in a
buffer (no database write in the request); the beat runs `flush()` every minute, turning the buffer into
VisitCount rows with one bulk upsert.

The buffer is a Redis hash when the cache is Redis (REDIS_URL; every web process and the worker share it), else an
append-only spool file in the data folder (the embedded site's web processes and its worker share the disk; a
page view appends one short line). A visitor counts once per page and day: the first view from a session (or,
without one, from an address and browser) adds its key to the cache with `cache.add`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
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
from tradeloop.core import clock

KINDS = {choice.value for choice in VisitCount.Kind}
ROBOTS = re.compile(r"bot|crawl|spider|slurp|headless|preview", re.IGNORECASE)
VISITOR_TTL = 36 * 3600
HASH = "analytics:visits"
Key = tuple[date, str, int, int]  # day, kind, object id, seller id (0: none)


def _visitor(request) -> str:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        return "s" + session.session_key
    meta = request.META
    raw = f"{meta.get('REMOTE_ADDR', '')}|{meta.get('HTTP_USER_AGENT', '')}"
    return "a" + hashlib.blake2b(raw.encode(), digest_size=10).hexdigest()


def record_visit(request, kind: str, object_id: int, seller_id: int | None) -> None:
    """Count one view of a page (and a visitor, the first time today). No database query; robots are not counted."""
    if kind not in KINDS or ROBOTS.search(request.META.get("HTTP_USER_AGENT", "")):
        return
    if request.method != "GET":
        return
    day = timezone.localdate(clock.now())
    new_visitor = cache.add(f"analytics:seen:{day}:{kind}:{object_id}:{_visitor(request)}", 1, VISITOR_TTL)
    _buffer().add((day, kind, int(object_id), int(seller_id or 0)), new_visitor)


# --- buffers -----------------------------------------------------------------------------------------------------


def _field(key: Key) -> str:
    day, kind, object_id, seller_id = key
    return f"{day.isoformat()}|{kind}|{object_id}|{seller_id}"


def _parse(field: str) -> Key | None:
    try:
        day, kind, object_id, seller_id = field.split("|")
        return date.fromisoformat(day), kind, int(object_id), int(seller_id)
    except ValueError:
        return None


class RedisBuffer:
    """HINCRBY into one hash per counter; the flush renames the hash away atomically, so no increment is lost."""

    def __init__(self, backend: RedisCache):
        self.client = backend._cache.get_client(write=True)
        self.views_key = backend.make_key(HASH + ":views")
        self.visitors_key = backend.make_key(HASH + ":visitors")

    def add(self, key: Key, new_visitor: bool) -> None:
        field = _field(key)
        pipe = self.client.pipeline(transaction=False)
        pipe.hincrby(self.views_key, field, 1)
        if new_visitor:
            pipe.hincrby(self.visitors_key, field, 1)
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


class SpoolBuffer:
    """One line per view appended to a file (O_APPEND: whole lines, from any process); the flush renames the file
    aside and reads the spools set aside at least `grace` seconds ago (a writer may still hold the old one open)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / "visits.spool"

    def add(self, key: Key, new_visitor: bool) -> None:
        line = f"{_field(key)}|{int(new_visitor)}\n".encode()
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
                field, _, new_visitor = line.rpartition("|")
                if parsed := _parse(field):
                    views[parsed] += 1
                    visitors[parsed] += new_visitor == "1"
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
