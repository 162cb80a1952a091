"""Marked slots in search results, filled by higher apps (sponsored placement) without search importing them.

A provider registers `fn(query, result, request) -> list` of slot items, the template that draws them (as `<li>`s
at the top of the results grid; it gets `slots`) and `api(request, item) -> dict` (a `SlotItemOut` of search's API).
The results page and the search API call `fill(...)` once per search. A provider that fails is logged and skipped: a
slot never breaks a search.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Provider:
    name: str
    items: Callable[..., list]
    template: str
    api: Callable[..., dict]


@dataclass(frozen=True)
class Filled:
    provider: Provider
    items: list

    @property
    def template(self) -> str:
        return self.provider.template


_providers: dict[str, Provider] = {}


def register(name: str, items: Callable[..., list], *, template: str, api: Callable[..., dict]) -> None:
    _providers[name] = Provider(name, items, template, api)


def fill(query, result, request) -> list[Filled]:
    """Each provider's slot items for one search (providers with none left out)."""
    found: list[Filled] = []
    for provider in _providers.values():
        try:
            items = provider.items(query, result, request)
        except Exception:  # a slot must never break the search itself
            log.exception("search slot provider %s failed", provider.name)
            continue
        if items:
            found.append(Filled(provider, items))
    return found
