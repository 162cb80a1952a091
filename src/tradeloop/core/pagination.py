"""Keyset (cursor) pagination: no OFFSET, no COUNT(*), the same cost on page 1 and page 10,000."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from tradeloop.core.errors import ValidationFailed


@dataclass
class Page:
    items: list
    next_cursor: str | None


def encode_cursor(values: list) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else str(v) for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(gettext("malformed cursor"), field="cursor") from exc
    # encode_cursor writes only strings; anything else (a null, a number) was not made by us.
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationFailed(gettext("malformed cursor"), field="cursor")
    return values


def _coerce(qs: QuerySet, field: str, value: str):
    model_field = qs.model._meta.get_field(field)
    try:
        return model_field.to_python(value)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a bad cursor
        raise ValidationFailed(gettext("malformed cursor"), field="cursor") from exc


def keyset_page(qs: QuerySet, *, order: tuple[str, ...], cursor: str | None, limit: int) -> Page:
    """`order` like ("-created_at", "-id"); the last key must be unique."""
    if not 1 <= limit <= 100:
        raise ValidationFailed(gettext("limit must be between 1 and 100"), field="limit")
    qs = qs.order_by(*order)
    if cursor:
        values = decode_cursor(cursor)
        if len(values) != len(order):
            raise ValidationFailed(gettext("malformed cursor"), field="cursor")
        qs = qs.filter(_after(qs, order, values))
    rows = list(qs[: limit + 1])
    items = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = encode_cursor([_value(last, key.lstrip("-")) for key in order])
    return Page(items=items, next_cursor=next_cursor)


def _value(obj, field: str):
    value = getattr(obj, field)
    return str(value) if isinstance(value, Decimal) else value


def _after(qs: QuerySet, order: tuple[str, ...], values: list[str]) -> Q:
    """(a, b) after (x, y) in the given directions: a > x OR (a = x AND b > y) ..."""
    condition = Q()
    equal_so_far = Q()
    for key, raw in zip(order, values, strict=True):
        field = key.lstrip("-")
        value = _coerce(qs, field, raw)
        lookup = "lt" if key.startswith("-") else "gt"
        condition |= equal_so_far & Q(**{f"{field}__{lookup}": value})
        equal_so_far &= Q(**{field: value})
    return condition
