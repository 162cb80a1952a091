"""Sources of unmet demand besides searches: a mode registers one from its AppConfig.ready() (b2b: RFQs that no
supplier quoted), so this app never imports the modes.

A source is called with the period and the categories asked about (None: all) and gives `Unmet` items; the
selector normalises their terms and adds them up with the searches by (term, region).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Unmet:
    term: str  # as the buyer wrote it (an RFQ's title)
    region: str  # the buyer's city or region
    category_id: int | None
    seen_at: datetime
    url_name: str = ""  # a page about it in the seller console, reversed with (organization id, ref_id)
    ref_id: int | None = None


# f(*, since, until, category_ids) -> the unmet requests seen in [since, until)
Source = Callable[..., Iterable[Unmet]]
SOURCES: dict[str, Source] = {}


def register_source(name: str, source: Source) -> None:
    SOURCES[name] = source


def unmet(*, since: datetime, until: datetime, category_ids: set[int] | None) -> list[tuple[str, Unmet]]:
    return [
        (name, item)
        for name, source in SOURCES.items()
        for item in source(since=since, until=until, category_ids=category_ids)
    ]
