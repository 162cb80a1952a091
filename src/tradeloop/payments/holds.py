"""Payout holds: a higher layer (trust: sellers not yet verified) tells payments whose payouts wait.

`register(fn)` with fn(seller_ids) -> the held ones among them; `held_ids(ids)` asks every registered function,
`held(seller)` one seller. Payments never imports who registers."""

from __future__ import annotations

from collections.abc import Callable, Iterable

HoldCheck = Callable[[list[int]], set[int]]

_checks: list[HoldCheck] = []


def register(fn: HoldCheck) -> None:
    if fn not in _checks:
        _checks.append(fn)


def held_ids(seller_ids: Iterable[int]) -> set[int]:
    ids = sorted({i for i in seller_ids if i})
    found: set[int] = set()
    if not ids:
        return found
    for check in _checks:
        found |= set(check(ids))
    return found


def held(seller) -> bool:
    seller_id = getattr(seller, "pk", seller)
    return bool(seller_id) and seller_id in held_ids([seller_id])
