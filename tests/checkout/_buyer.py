"""One buyer in the oversell race, run in its own process: plain HTTP, no Django (so it can be spawned cheaply)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

ATTEMPTS = 5


def checkout_with_retries(base_url: str, token: str, address_id: int, key: str) -> tuple[int, str]:
    """A burst of 50 connections can overflow a small test server's accept queue (connection reset): try again,
    with the same Idempotency-Key, so a request that did get through is answered from memory, never run twice.
    A 503 `busy` (SQLite's writers queued past their timeout) is retried the same way, as its Retry-After asks."""
    for attempt in range(ATTEMPTS):
        try:
            answer = checkout(base_url, token, address_id, key)
        except (ConnectionError, urllib.error.URLError):
            if attempt == ATTEMPTS - 1:
                raise
        else:
            if answer != (503, "busy") or attempt == ATTEMPTS - 1:
                return answer
        time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def checkout(base_url: str, token: str, address_id: int, key: str) -> tuple[int, str]:
    """POST /api/v1/checkout as this buyer; (status, error code or "")."""
    request = urllib.request.Request(
        f"{base_url.rstrip('/')}/api/v1/checkout",
        data=json.dumps({"address_id": address_id}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return error.code, json.loads(body).get("code", "")
        except ValueError:
            return error.code, body[:200].decode(errors="replace")


def race_one(barrier, results, base_url: str, token: str, address_id: int, key: str) -> None:
    """Wait until every buyer is ready, then check out at the same moment as the others."""
    barrier.wait(timeout=120)
    try:
        results.put(checkout_with_retries(base_url, token, address_id, key))
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
        results.put((0, repr(exc)))
