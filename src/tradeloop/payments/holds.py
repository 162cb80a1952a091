"""Payout holds: a higher layer (trust: sellers not yet verified) tells payments whose payouts wait, and why.

`register(fn, reason=…, url_name=…)` with fn(seller_ids) -> the held ones among them; `held_ids(ids)` asks every
registered check, `held(seller)` one seller, `reasons(seller)` what the seller reads (and where to fix it: a URL name
reversed with the organization id). Payments never imports who registers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

HoldCheck = Callable[[list[int]], set[int]]


@dataclass(frozen=True)
class Hold:
    check: HoldCheck
    reason: object = ""  # a (lazy) message the seller reads
    url_name: str = ""  # where the seller lifts the hold, reversed with the organization id


_holds: list[Hold] = []


def register(fn: HoldCheck, *, reason: object = "", url_name: str = "") -> None:
    if all(h.check is not fn for h in _holds):
        _holds.append(Hold(fn, reason, url_name))


def held_ids(seller_ids: Iterable[int]) -> set[int]:
    ids = sorted({i for i in seller_ids if i})
    found: set[int] = set()
    if not ids:
        return found
    for hold in _holds:
        found |= set(hold.check(ids))
    return found


def held(seller) -> bool:
    seller_id = getattr(seller, "pk", seller)
    return bool(seller_id) and seller_id in held_ids([seller_id])


def reasons(seller) -> list[Hold]:
    """The holds on this seller's payouts (empty: none)."""
    seller_id = getattr(seller, "pk", seller)
    if not seller_id:
        return []
    return [h for h in _holds if seller_id in h.check([seller_id])]
