"""Who may use a coupon with an audience: the apps above (crm's segment campaigns) register a rule here from their
AppConfig.ready(), so promotions never imports them.

A rule takes the ids of the promotions with its audience that a buyer entered and answers the ids that buyer may
use. Promotions without an audience cost nothing: no rule is asked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

Rule = Callable[[list[int], object], set[int]]  # (promotion ids, buyer User) -> the ids the buyer may use

_RULES: dict[str, Rule] = {}


def register(audience: str, rule: Rule) -> None:
    _RULES[audience] = rule


def known(audience: str) -> bool:
    return audience in _RULES


def refused(buyer, promotions: Iterable) -> frozenset[int]:
    """The ids among `promotions` this buyer may not use (an anonymous buyer: every one with an audience)."""
    by_audience: dict[str, list[int]] = defaultdict(list)
    for promotion in promotions:
        if promotion.audience:
            by_audience[promotion.audience].append(promotion.pk)
    if not by_audience:
        return frozenset()
    signed_in = getattr(buyer, "is_authenticated", False)
    out: set[int] = set()
    for audience, ids in by_audience.items():
        rule = _RULES.get(audience)
        allowed = rule(ids, buyer) if rule and signed_in else set()
        out.update(i for i in ids if i not in allowed)
    return frozenset(out)
