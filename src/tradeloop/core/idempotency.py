"""Idempotency keys: a POST that creates money movement or an order runs once per (user, scope, key).

The client sends `Idempotency-Key: <anything unique>`. The first request runs and its answer is stored; a replay
with the same key and the same request gets the stored answer; the same key with a different request is refused
with 409 `idempotency_mismatch`. Concurrent duplicates are safe: the key row is inserted (unique constraint) and
held inside the same transaction as the work, so the second request waits for the first, then replays its answer.
If the work raises, everything rolls back, the key included, and the client may retry with the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder

from tradeloop.core import clock
from tradeloop.core.errors import Conflict, ValidationFailed
from tradeloop.core.models import IdempotencyKey
from tradeloop.core.transactions import insert_unless_exists, one_transaction

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 120


def request_hash(request_data: dict) -> str:
    canonical = json.dumps(request_data, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _as_json(body: dict) -> dict:
    """What the database will give back on a replay, so the first answer and replays look the same."""
    return json.loads(json.dumps(body, cls=DjangoJSONEncoder))


def _clean_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(f"{HEADER} must be 1 to {MAX_KEY_LENGTH} characters", field=HEADER)
    return key


def _claim(user, scope: str, key: str, digest: str) -> IdempotencyKey:
    """The new key's row, inserted (the first request: no read before it); a key seen before comes back as an
    unsaved row without a request hash."""
    if user is None:  # NULLs never clash in a unique constraint: look first
        row, created = IdempotencyKey.objects.get_or_create(
            user=None, scope=scope, key=key, defaults={"request_hash": digest, "created_at": clock.now()}
        )
        if created:
            return row
    else:
        row = IdempotencyKey(user=user, scope=scope, key=key, request_hash=digest, created_at=clock.now())
        if insert_unless_exists(row):
            return row
    return IdempotencyKey(user=user, scope=scope, key=key, request_hash=None)


def replay_or_run(
    *, user, scope: str, key: str | None, request_data: dict, run: Callable[[], tuple[int, dict]]
) -> tuple[int, dict]:
    """Run `run()` once for this key and remember its (status, body); replays return what was remembered."""
    if key is None:
        return run()
    key = _clean_key(key)
    user = user if getattr(user, "pk", None) else None
    digest = request_hash(request_data)
    with one_transaction():  # the work joins it: the key and what it did commit together
        row = _claim(user, scope, key, digest)
        if row.request_hash is None:  # a key seen before
            # Waits here while a concurrent first request is still running, then sees its answer.
            row = IdempotencyKey.objects.select_for_update().get(user=user, scope=scope, key=key)
            if row.request_hash != digest:
                raise Conflict(
                    f"this {HEADER} was already used for a different request", code="idempotency_mismatch", field=HEADER
                )
            if row.status_code is not None:
                return row.status_code, row.response
        status, body = run()
        row.status_code, row.response = status, _as_json(body)
        row.save(update_fields=["status_code", "response"])
        return status, row.response
