"""The inquiry funnel of a supplier: how many inquiries it received, quoted, won, lost and saw expire; the
conversion rate, the median time to its first answer and the value won; per week or month.

Each inquiry counts in the period it arrived (a cohort), so a period's numbers never move to another period when
a quote is decided later. Received: the RFQs sent to the supplier, open ones in its categories and any it quoted.
Won: its quote accepted; lost: declined or withdrawn; expired: the last version ran out. A fixed number of queries.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.b2b.models import Rfq, RfqQuote
from tradeloop.b2b.rfq_selectors import category_prefixes, supplier_scope
from tradeloop.core import clock
from tradeloop.core.errors import ValidationFailed
from tradeloop.core.money import Money
from tradeloop.negotiation.models import Negotiation, Proposal

PERIODS = ("week", "month")
VIEW = "orders.view"
State = Negotiation.State
LOST = (State.DECLINED, State.WITHDRAWN)


@dataclass
class Bucket:
    start: date
    label: str
    received: int = 0
    quoted: int = 0
    won: int = 0
    lost: int = 0
    expired: int = 0
    open: int = 0  # quoted, still being negotiated
    value_won: dict[str, Decimal] = field(default_factory=dict)

    @property
    def conversion(self) -> Decimal | None:
        """Won out of received, in percent."""
        return _percent(self.won, self.received)


@dataclass
class Funnel:
    period: str
    buckets: list[Bucket]
    totals: Bucket
    median_first_response: timedelta | None
    quote_rate: Decimal | None  # quoted out of received, in percent
    win_rate: Decimal | None  # won out of decided (won + lost + expired), in percent

    @property
    def value_won(self) -> list[Money]:
        return [Money(amount, currency) for currency, amount in sorted(self.totals.value_won.items())]


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def _start_of(moment: datetime, period: str) -> date:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday()) if period == "week" else day.replace(day=1)


def _back(start: date, period: str) -> date:
    if period == "week":
        return start - timedelta(days=7)
    return (start - timedelta(days=1)).replace(day=1)


def _label(start: date, period: str) -> str:
    if period == "week":
        year, week, _ = start.isocalendar()
        return gettext("Week %(week)s, %(year)s") % {"week": week, "year": year}
    return f"{start:%Y-%m}"


def supplier_funnel(
    actor: User, supplier: Organization, *, period: str = "month", periods: int = 6, now: datetime | None = None
) -> Funnel:
    """The last `periods` weeks or months of the supplier's inquiries, oldest first (needs orders.view)."""
    require(actor, supplier, VIEW)
    if period not in PERIODS:
        raise ValidationFailed(gettext("Choose week or month."), field="period")
    if not 1 <= periods <= 24:
        raise ValidationFailed(gettext("Choose between 1 and 24 periods."), field="periods")
    now = now or clock.now()
    starts = [_start_of(now, period)]
    for _ in range(periods - 1):
        starts.append(_back(starts[-1], period))
    starts.reverse()
    buckets = {start: Bucket(start, _label(start, period)) for start in starts}
    since = timezone.make_aware(datetime.combine(starts[0], datetime.min.time()))

    received = (
        Rfq.objects.filter(supplier_scope(supplier, category_prefixes(supplier)), created_at__gte=since)
        .exclude(buyer_org=supplier)
        .values_list("pk", "created_at")
        .distinct()
    )
    for _pk, created_at in received:
        buckets[_start_of(created_at, period)].received += 1

    won_versions = Proposal.objects.prefetch_related("lines")
    quotes = (
        RfqQuote.objects.filter(supplier=supplier, rfq__created_at__gte=since)
        .select_related("rfq", "negotiation")
        .prefetch_related(Prefetch("negotiation__proposals", queryset=won_versions, to_attr="versions"))
    )
    response_times = []
    for link in quotes:
        bucket = buckets[_start_of(link.rfq.created_at, period)]
        negotiation = link.negotiation
        bucket.quoted += 1
        response_times.append(link.created_at - link.rfq.created_at)
        if negotiation.state == State.ACCEPTED:
            bucket.won += 1
            accepted = next(v for v in negotiation.versions if v.number == negotiation.accepted_version)
            currency = negotiation.currency
            bucket.value_won[currency] = bucket.value_won.get(currency, Decimal(0)) + accepted.total()
        elif negotiation.state in LOST:
            bucket.lost += 1
        elif negotiation.state == State.EXPIRED:
            bucket.expired += 1
        else:
            bucket.open += 1

    totals = Bucket(starts[0], gettext("All"))
    values: dict[str, Decimal] = defaultdict(Decimal)
    for bucket in buckets.values():
        for name in ("received", "quoted", "won", "lost", "expired", "open"):
            setattr(totals, name, getattr(totals, name) + getattr(bucket, name))
        for currency, amount in bucket.value_won.items():
            values[currency] += amount
    totals.value_won = dict(values)
    decided = totals.won + totals.lost + totals.expired
    median = statistics.median(response_times) if response_times else None
    return Funnel(
        period=period,
        buckets=list(buckets.values()),
        totals=totals,
        median_first_response=median,
        quote_rate=_percent(totals.quoted, totals.received),
        win_rate=_percent(totals.won, decided),
    )
