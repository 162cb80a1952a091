"""What may be reviewed, as the modes tell it: reviews sits below the modes and never imports them.

A mode registers
    a record kind   ("voucher", "booking"): `resolve(record_id, user)` answers the `Record` when that record lets
                    this user review (a voucher the buyer redeemed, a booking completed for the consumer), else None;
                    `waiting(user, limit)` lists the user's records not reviewed yet, newest first.
    a target kind   ("place"): its sub-scores, how to name and link one target, and `on_change(target_id, summary)`,
                    run (in the writing transaction) whenever the published reviews of a target change, so the mode
                    can keep its denormalised rating in step.
Registration happens in the mode's AppConfig.ready() (e.g. o2o/review_records.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.functional import Promise


@dataclass(frozen=True)
class Record:
    """One trade record that allows a review: who may write it, whose it is and what it is about."""

    kind: str
    id: int
    author_id: int
    seller_id: int
    target_kind: str
    target_id: int
    visited_at: datetime
    label: str  # what to show, e.g. "Haircut and wash · redeemed 3 Dec"


@dataclass(frozen=True)
class Summary:
    """The published reviews of one target, reduced to what lists sort and show."""

    count: int
    average: Decimal  # 0 when there are none
    positive: int  # reviews of 4 or 5 stars
    score: Decimal  # Wilson lower bound (95 %) of the positive share


@dataclass(frozen=True)
class Target:
    """A reviewed thing as pages show it."""

    title: str
    url: str


@dataclass(frozen=True)
class RecordKind:
    name: str
    resolve: Callable[[int, object], Record | None]
    waiting: Callable[[object, int], list[Record]]
    mark: str | Promise  # the badge shown on its reviews, e.g. "Verified visit"


@dataclass(frozen=True)
class TargetKind:
    name: str
    scores: Sequence[tuple[str, str | Promise]]  # (key, label) of the sub-scores a review may give
    describe: Callable[[list[int]], dict[int, Target]]  # the (public) targets among these ids
    on_change: Callable[[int, Summary], None]

    @property
    def score_keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.scores)


_records: dict[str, RecordKind] = {}
_targets: dict[str, TargetKind] = {}


def register_record_kind(
    name: str,
    *,
    resolve: Callable[[int, object], Record | None],
    waiting: Callable[[object, int], list[Record]],
    mark: str | Promise,
) -> None:
    _records[name] = RecordKind(name=name, resolve=resolve, waiting=waiting, mark=mark)


def register_target_kind(
    name: str,
    *,
    scores: Sequence[tuple[str, str | Promise]],
    describe: Callable[[list[int]], dict[int, Target]],
    on_change: Callable[[int, Summary], None],
) -> None:
    _targets[name] = TargetKind(name=name, scores=tuple(scores), describe=describe, on_change=on_change)


def record_kind(name: str) -> RecordKind | None:
    return _records.get(name)


def record_kinds() -> list[RecordKind]:
    return list(_records.values())


def target_kind(name: str) -> TargetKind | None:
    return _targets.get(name)


def resolve(kind: str, record_id: int, user) -> Record | None:
    """The record if it lets `user` review it now (an unknown kind: None)."""
    found = _records.get(kind)
    if found is None or not getattr(user, "is_authenticated", False):
        return None
    return found.resolve(record_id, user)


def waiting(user, limit: int = 20) -> list[Record]:
    """The user's records of every kind that wait for a review, newest visit first."""
    if not getattr(user, "is_authenticated", False):
        return []
    every = [record for kind in _records.values() for record in kind.waiting(user, limit)]
    return sorted(every, key=lambda r: r.visited_at, reverse=True)[:limit]
