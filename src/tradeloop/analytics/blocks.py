"""Per-mode figures on the dashboard, as the modes tell them: analytics sits below the modes and never imports them.

A mode registers a block in its AppConfig.ready():

    register_block("b2b", title=_("Inquiries"), kinds=("merchant", "supplier"), compute=figures)

`compute(seller, start, end)` (seller None: the platform; start/end aware datetimes, end excluded) answers a Block:
a few figures and, optionally, funnel steps. It must run a fixed number of queries whatever the period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.functional import Promise


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    value: object  # an int, a Decimal percentage (kind "percent"), or a Money (kind "money")
    kind: str = "count"  # count | percent | money


@dataclass(frozen=True)
class Step:
    key: str
    label: str | Promise
    value: int


@dataclass(frozen=True)
class Block:
    key: str
    title: str | Promise
    figures: list[Figure] = field(default_factory=list)
    funnel: list[Step] = field(default_factory=list)


@dataclass(frozen=True)
class BlockKind:
    key: str
    title: str | Promise
    kinds: tuple[str, ...] | None
    compute: Callable[[object | None, datetime, datetime], Block]


_blocks: dict[str, BlockKind] = {}


def register_block(
    key: str,
    *,
    title: str | Promise,
    compute: Callable[[object | None, datetime, datetime], Block],
    kinds: tuple[str, ...] | None = None,
) -> None:
    _blocks[key] = BlockKind(key=key, title=title, kinds=tuple(kinds) if kinds else None, compute=compute)


def blocks_for(seller, start: datetime, end: datetime) -> list[Block]:
    """The blocks that apply to this seller's kind (every block for the platform, seller None)."""
    chosen = [b for b in _blocks.values() if seller is None or b.kinds is None or seller.kind in b.kinds]
    return [b.compute(seller, start, end) for b in chosen]
