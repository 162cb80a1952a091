"""The modes give the engine their rules: one `Policy` per negotiation kind, registered by the mode's app.

    negotiation.policies.register(Negotiation.Kind.QUOTE, Policy(validity=timedelta(days=30), on_accept=place_quote))

`on_accept(negotiation, proposal, actor)` runs inside the accepting transaction, under the negotiation's row lock,
and returns a short reference to what it made (an order number); if it raises, nothing is accepted. `check_counter
(negotiation, draft, side)` may refuse a counter with a domain error (e.g. above the asking price).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext

from tradeloop.core.errors import ValidationFailed
from tradeloop.negotiation.errors import Code


def _nothing(negotiation, proposal, actor) -> str:
    return ""


def _any_counter(negotiation, draft, side) -> None:
    return None


@dataclass(frozen=True)
class Policy:
    validity: timedelta = timedelta(days=30)  # a version's default lifetime
    max_rounds: int | None = None  # versions in all, the first included; None: no limit
    on_accept: Callable = _nothing
    check_counter: Callable = _any_counter


_POLICIES: dict[str, Policy] = {}


def register(kind: str, policy: Policy) -> Policy | None:
    """Set the policy of a kind; returns the one it replaces (so tests can put it back)."""
    before = _POLICIES.get(kind)
    _POLICIES[kind] = policy
    return before


def unregister(kind: str) -> None:
    _POLICIES.pop(kind, None)


def policy_for(kind: str) -> Policy:
    try:
        return _POLICIES[kind]
    except KeyError:
        raise ValidationFailed(
            gettext("Negotiations of this kind cannot be opened yet."), field="kind", code=Code.NO_POLICY
        ) from None
