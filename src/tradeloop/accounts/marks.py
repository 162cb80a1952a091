"""Marks on a seller that a higher layer gives (trust: verified), for lower layers' outputs (the catalog API's seller).
`register_verified(fn)` with fn(seller_ids) -> the verified ones; `verified_ids(ids)` asks every registered one."""

from __future__ import annotations

from collections.abc import Callable, Iterable

_verified: list[Callable[[Iterable[int]], set[int]]] = []


def register_verified(fn: Callable[[Iterable[int]], set[int]]) -> None:
    if fn not in _verified:
        _verified.append(fn)


def verified_ids(seller_ids: Iterable[int]) -> set[int]:
    ids = [i for i in seller_ids if i]
    found: set[int] = set()
    for fn in _verified:
        found |= set(fn(ids))
    return found
