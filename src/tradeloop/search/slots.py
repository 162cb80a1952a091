"""Marked slots in search results, filled by higher apps (sponsored placement) without search importing them.

A provider is `fn(query, result, request) -> list` of slot items (whatever the provider's template shows); the
results page and the search API ask `fill(...)`. A provider that fails is logged and skipped: a slot never breaks a
search.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

Provider = Callable[..., list]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    _providers[name] = provider


def fill(query, result, request) -> dict[str, list]:
    """{provider name: its slot items} for one search (an empty dict when no provider has any)."""
    found: dict[str, list] = {}
    for name, provider in _providers.items():
        try:
            items = provider(query, result, request)
        except Exception:  # a slot must never break the search itself
            log.exception("search slot provider %s failed", name)
            continue
        if items:
            found[name] = items
    return found
