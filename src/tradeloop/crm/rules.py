"""Segment rules: each a condition on the summary rows (crm.models.Customer), all combined with AND into one Q.

A rule is `{"kind": ..., "value": ...}`. Time rules count days back from `core.clock.now()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tradeloop.core.errors import ValidationFailed
from tradeloop.crm.errors import Code

MAX_RULES = 10
MAX_DAYS = 3650


@dataclass(frozen=True)
class Kind:
    code: str
    label: object  # lazy text
    value: str  # "amount", "count", "days", "text", "tag", "none"


KINDS = {
    k.code: k
    for k in (
        Kind("spent_over", gettext_lazy("Spent more than"), "amount"),
        Kind("min_orders", gettext_lazy("At least this many orders"), "count"),
        Kind("no_order_for_days", gettext_lazy("No order for (days)"), "days"),
        Kind("ordered_within_days", gettext_lazy("Last order within (days)"), "days"),
        Kind("city_is", gettext_lazy("City is"), "text"),
        Kind("company_is", gettext_lazy("Company is"), "text"),
        Kind("has_company", gettext_lazy("Buys for a company"), "none"),
        Kind("has_tag", gettext_lazy("Has tag"), "tag"),
    )
}


def _field(index: int) -> str:
    return f"rules[{index}].value"


def _clean_value(kind: Kind, raw, index: int, tag_ids: set[int]):
    if kind.value == "none":
        return True
    if kind.value == "amount":
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            raise ValidationFailed(_("Enter an amount."), field=_field(index)) from None
        if not value.is_finite() or value < 0 or value >= Decimal("1e14"):
            raise ValidationFailed(_("Enter an amount of 0 or more."), field=_field(index))
        return str(value.quantize(Decimal("0.01")))
    if kind.value in ("count", "days", "tag"):
        if isinstance(raw, bool):
            raise ValidationFailed(_("Enter a whole number."), field=_field(index))
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            raise ValidationFailed(_("Enter a whole number."), field=_field(index)) from None
        top = MAX_DAYS if kind.value == "days" else 2**31 - 1
        if not 1 <= value <= top:
            raise ValidationFailed(_("Enter a whole number from 1 to %(top)s.") % {"top": top}, field=_field(index))
        if kind.value == "tag" and value not in tag_ids:
            raise ValidationFailed(_("Choose one of your tags."), field=_field(index))
        return value
    value = str(raw or "").strip()
    if not value or len(value) > 120 or "\x00" in value:
        raise ValidationFailed(_("Enter a name of at most 120 characters."), field=_field(index))
    return value


def clean(raw, *, tag_ids: set[int]) -> list[dict]:
    """The rules as stored, or ValidationFailed naming the rule at fault (`rules[2].value`)."""
    if not isinstance(raw, list) or not raw:
        raise ValidationFailed(_("Add at least one condition."), field="rules")
    if len(raw) > MAX_RULES:
        raise ValidationFailed(_("At most %(n)s conditions.") % {"n": MAX_RULES}, field="rules")
    out = []
    for index, rule in enumerate(raw):
        if not isinstance(rule, dict) or rule.get("kind") not in KINDS:
            raise ValidationFailed(_("Unknown condition."), field=f"rules[{index}].kind", code=Code.UNKNOWN_RULE)
        kind = KINDS[rule["kind"]]
        out.append({"kind": kind.code, "value": _clean_value(kind, rule.get("value"), index, tag_ids)})
    return out


def to_q(rules: list[dict], *, now: datetime) -> Q:
    """One Q over crm.models.Customer for stored (clean) rules."""
    from tradeloop.crm.models import CustomerTag

    q = Q()
    for rule in rules:
        kind, value = rule["kind"], rule.get("value")
        if kind == "spent_over":
            q &= Q(lifetime_value__gt=Decimal(value))
        elif kind == "min_orders":
            q &= Q(orders_count__gte=int(value))
        elif kind == "no_order_for_days":
            q &= Q(last_order_at__lte=now - timedelta(days=int(value)))
        elif kind == "ordered_within_days":
            q &= Q(last_order_at__gt=now - timedelta(days=int(value)))
        elif kind == "city_is":
            q &= Q(city__iexact=value)
        elif kind == "company_is":
            q &= Q(company_name__iexact=value)
        elif kind == "has_company":
            q &= Q(company__isnull=False)
        elif kind == "has_tag":
            q &= Q(pk__in=CustomerTag.objects.filter(tag_id=int(value)).values("customer_id"))
    return q


def describe(rule: dict, tag_names: dict[int, str]) -> str:
    """A rule as a person reads it, in the current language."""
    kind = KINDS.get(rule.get("kind"))
    if kind is None:
        return "?"
    if kind.value == "none":
        return str(kind.label)
    value = rule.get("value")
    if kind.value == "tag":
        value = tag_names.get(int(value), "?")
    return f"{kind.label}: {value}"
