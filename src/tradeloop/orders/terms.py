"""Payment terms: when the buyer pays an order. A short code travels on quotes, companies and orders.

    prepay            pay before the goods ship (B2C orders have no code and mean the same)
    net30             ship on credit; an invoice issued at shipping falls due 30 days later
    deposit30-net30   30 % invoiced when the order is confirmed, the balance at shipping, due 30 days later

Terms other than prepay are *on credit*: the order is confirmed without payment, within the buyer's credit limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext, ngettext

from tradeloop.core.errors import ValidationFailed
from tradeloop.core.money import quantize

PREPAY, NET, DEPOSIT = "prepay", "net", "deposit"
NET_DAYS = (7, 15, 30, 60, 90)
_CODE = re.compile(r"^(?:net(?P<net>\d{1,3})|deposit(?P<percent>\d{1,2})-net(?P<days>\d{1,3}))$")


@dataclass(frozen=True)
class Terms:
    kind: str
    days: int = 0  # net days after the invoice is issued
    deposit_percent: int = 0

    @property
    def code(self) -> str:
        if self.kind == PREPAY:
            return PREPAY
        if self.kind == NET:
            return f"net{self.days}"
        return f"deposit{self.deposit_percent}-net{self.days}"

    @property
    def on_credit(self) -> bool:
        return self.kind != PREPAY

    @property
    def label(self) -> str:
        if self.kind == PREPAY:
            return gettext("Pay before shipping")
        net = ngettext("Net %(days)s day", "Net %(days)s days", self.days) % {"days": self.days}
        if self.kind == NET:
            return net
        return gettext("%(percent)s%% deposit, balance %(net)s") % {"percent": self.deposit_percent, "net": net}

    def deposit_of(self, total: Decimal, currency: str) -> Decimal:
        """The part of `total` invoiced when the order is confirmed (0 unless deposit terms)."""
        return quantize(Decimal(total) * self.deposit_percent / 100, currency)

    def due_date(self, issued_at: datetime) -> datetime:
        return issued_at + timedelta(days=self.days)


PREPAY_TERMS = Terms(PREPAY)
TERMS_CHOICES: tuple[str, ...] = (PREPAY, *(f"net{d}" for d in NET_DAYS), "deposit30-net30")


def parse_terms(code: str | None) -> Terms:
    """A code into Terms; "" means prepay. Unknown codes are refused (field `payment_terms`, code `bad_terms`)."""
    code = (code or PREPAY).strip().lower()
    if code == PREPAY:
        return PREPAY_TERMS
    found = _CODE.match(code)
    terms = None
    if found and found["net"]:
        terms = Terms(NET, days=int(found["net"]))
    elif found:
        terms = Terms(DEPOSIT, days=int(found["days"]), deposit_percent=int(found["percent"]))
    if terms is None or not 1 <= terms.days <= 180 or (terms.kind == DEPOSIT and not 1 <= terms.deposit_percent <= 90):
        raise ValidationFailed(
            gettext("Unknown payment terms %(code)s: use one of %(choices)s.")
            % {"code": code, "choices": ", ".join(TERMS_CHOICES)},
            field="payment_terms",
            code="bad_terms",
        )
    return terms


def terms_choices() -> list[tuple[str, str]]:
    """(code, label) pairs for forms, in the reader's language."""
    return [(code, parse_terms(code).label) for code in TERMS_CHOICES]
