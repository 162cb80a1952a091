"""What search indexes beyond the catalog, as the modes tell it: search sits below the modes and never imports them.

A mode registers
    a document source  ("place"): `documents(ids)` answers a `Document` for each of those ids that should be
                       findable now (the others are taken out of the index), `all_ids()` every id there is (for
                       `tradeloop reindex`), and `cards(ids)` what a results page shows for each (name, link,
                       cover, city, rating, price). The mode calls `changed(name, ids)` when its objects change.
    a seller standing  `levels(seller_ids)` → {seller_id: Standing}: a seller's level ("new", "good", "top",
                       "below"), shown as a facet and folded into ranking by search.ranking.trust_factor.
Registration happens in the mode's AppConfig.ready() (e.g. o2o/search_source.py, c2c/search_levels.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass
class Document:
    """One findable thing as a source describes it (texts raw: search normalises them)."""

    id: int
    kind: str
    title: str
    title_zh: str = ""
    texts: list[str] = field(default_factory=list)  # everything else to match on, any language
    url: str = ""
    cover: str = ""
    category_id: int | None = None
    category_path: str = ""
    price: Decimal | None = None
    currency: str = "CNY"
    seller_id: int | None = None
    seller_name: str = ""
    rating: Decimal = Decimal(0)
    rating_count: int = 0
    sold_count: int = 0
    in_stock: bool = True
    latitude: float | None = None
    longitude: float | None = None
    city: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True)
class Card:
    """A result of a source as the results page shows it."""

    title: str
    url: str
    cover: str = ""
    city: str = ""
    district: str = ""
    rating: Decimal = Decimal(0)
    rating_count: int = 0
    price: Decimal | None = None
    currency: str = "CNY"


@dataclass(frozen=True)
class Source:
    name: str
    documents: Callable[[list[int]], list[Document]]
    all_ids: Callable[[], Iterable[int]]
    cards: Callable[[list[int]], dict[int, Card]]


@dataclass(frozen=True)
class Standing:
    level: str  # "new", "good", "top", "below" (the C2C levels), or "" when the seller has none
    trust: float = 1.0  # 1 neutral; above 1 lifts the seller's results, below 1 lowers them


_sources: dict[str, Source] = {}
_standings: list[Callable[[list[int]], dict[int, Standing]]] = []


def register_source(
    name: str,
    *,
    documents: Callable[[list[int]], list[Document]],
    all_ids: Callable[[], Iterable[int]],
    cards: Callable[[list[int]], dict[int, Card]],
) -> None:
    _sources[name] = Source(name=name, documents=documents, all_ids=all_ids, cards=cards)


def register_standing(levels: Callable[[list[int]], dict[int, Standing]]) -> None:
    if levels not in _standings:
        _standings.append(levels)


def source(name: str) -> Source | None:
    return _sources.get(name)


def sources() -> list[Source]:
    return list(_sources.values())


def standings(seller_ids: list[int]) -> dict[int, Standing]:
    """Every registered provider's word on these sellers; a later provider's level wins, trusts multiply."""
    found: dict[int, Standing] = {}
    ids = sorted({i for i in seller_ids if i})
    if not ids:
        return found
    for levels in _standings:
        for seller_id, standing in levels(ids).items():
            before = found.get(seller_id)
            trust = standing.trust * (before.trust if before else 1.0)
            found[seller_id] = Standing(level=standing.level or (before.level if before else ""), trust=trust)
    return found


def changed(name: str, ids: Iterable[int]) -> None:
    """A source's objects changed: reindex them once the writing transaction commits."""
    from tradeloop.search import indexing  # indexing imports the models; sources stays import-light

    indexing.schedule(name, ids)
