"""Counts of units, checked the same way wherever a line is written (an order, a proposal)."""

from __future__ import annotations

from django.utils.translation import gettext

from tradeloop.core.errors import ValidationFailed


def require_units(quantity, *, field: str) -> int:
    """A whole number of units, at least one. `True` is not a count, though Python calls it 1."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise ValidationFailed(gettext("Choose a quantity of at least 1."), field=field)
    return quantity
