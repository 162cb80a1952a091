"""The supplier showcase: what a company buyer reads about a supplier on its store page and in the API. The
supplier's profile (year founded, factory size, employees, certifications, main markets, production capacity,
typical MOQ and lead time, an introduction in English and Chinese) and how it answers inquiries.

Response figures come from the inquiry funnel (b2b/funnel.py) over the last 90 days: the inquiries it received
(RFQs sent to it, open ones in its categories, any it quoted; not its own organization's) and the ones it answered
with a quote; the response time is from an RFQ arriving to the supplier's quote. They are shown only from
MIN_INQUIRIES inquiries on. Two queries whatever the history; the store page reads them from the cache.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.b2b.errors import Code
from tradeloop.b2b.models import Rfq, RfqQuote, SupplierProfile
from tradeloop.b2b.rfq_selectors import category_prefixes, supplier_scope
from tradeloop.core import clock
from tradeloop.core.errors import NotFound, ValidationFailed

EDIT = "org.manage"
WINDOW = timedelta(days=90)
MIN_INQUIRIES = 3
CACHE_SECONDS = 600
MAX_ITEMS = 12  # certifications, markets
MAX_ITEM_LENGTH = 40
MAX_TEXT = {"capacity": 300, "capacity_zh": 300, "introduction": 4000, "introduction_zh": 4000}
# the largest figure each number may take (and its smallest)
NUMBERS = {
    "factory_size_m2": (0, 10_000_000),
    "employees": (0, 10_000_000),
    "capacity_per_month": (0, 2_000_000_000),
    "typical_moq": (1, 2_000_000_000),
    "lead_time_days": (0, 3650),
}


# --- reads --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseFigures:
    inquiries: int  # received in the window
    answered: int  # of them, quoted by the supplier
    median: timedelta | None  # from arriving to the supplier's quote, over the answered ones

    @property
    def shown(self) -> bool:
        """Enough inquiries to say something (fewer than MIN_INQUIRIES: nothing is shown)."""
        return self.inquiries >= MIN_INQUIRIES

    @property
    def rate(self) -> int | None:
        """Answered out of received, in whole percent."""
        return round(self.answered * 100 / self.inquiries) if self.inquiries else None

    @property
    def within_hours(self) -> int | None:
        """The median response time in whole hours, to the nearest one (at least 1)."""
        if self.median is None:
            return None
        return max(1, round(self.median.total_seconds() / 3600))

    @property
    def within_days(self) -> int | None:
        """Past two days the median is said in days."""
        hours = self.within_hours
        return math.ceil(hours / 24) if hours is not None and hours > 48 else None


@dataclass
class Showcase:
    supplier: Organization
    profile: SupplierProfile | None
    response: ResponseFigures = field(default_factory=lambda: ResponseFigures(0, 0, None))

    @property
    def has_facts(self) -> bool:
        return self.profile is not None


def response_figures(supplier: Organization, *, now: datetime | None = None) -> ResponseFigures:
    """How the supplier answered the inquiries of the last 90 days (two queries whatever their number)."""
    now = now or clock.now()
    first_quote = RfqQuote.objects.filter(rfq=OuterRef("pk"), supplier=supplier).values("created_at")[:1]
    rows = (
        Rfq.objects.filter(
            supplier_scope(supplier, category_prefixes(supplier)), created_at__gte=now - WINDOW, created_at__lte=now
        )
        .exclude(buyer_org=supplier)
        .annotate(answered_at=Subquery(first_quote))
        .values_list("pk", "created_at", "answered_at")
        .distinct()
    )
    inquiries, times = 0, []
    for _pk, created_at, answered_at in rows:
        inquiries += 1
        if answered_at is not None:
            times.append(max(answered_at - created_at, timedelta(0)))
    return ResponseFigures(inquiries, len(times), statistics.median(times) if times else None)


def _cache_key(supplier_id: int) -> str:
    return f"b2b:showcase:{supplier_id}"


def store_showcase(supplier: Organization) -> Showcase | None:
    """The showcase on a supplier's public store page (None for any other kind of store, with no query). From the
    cache (10 minutes, dropped when the profile changes); three queries when it is cold."""
    if supplier.kind != Organization.Kind.SUPPLIER:
        return None
    key = _cache_key(supplier.pk)
    found = cache.get(key)
    if found is None:
        profile = SupplierProfile.objects.filter(organization=supplier).first()
        found = Showcase(supplier=supplier, profile=profile, response=response_figures(supplier))
        found.supplier = None  # the store page has its own; keep the cached entry small
        cache.set(key, found, CACHE_SECONDS)
    return Showcase(supplier=supplier, profile=found.profile, response=found.response)


def public_showcase(slug: str) -> Showcase:
    """A supplier's showcase by its store's slug; any other store or none: 404."""
    supplier = Organization.objects.filter(slug=slug, is_active=True, kind=Organization.Kind.SUPPLIER).first()
    if supplier is None:
        raise NotFound(gettext("supplier not found"), field="slug")
    return store_showcase(supplier)


def own_profile(actor: User, supplier: Organization) -> SupplierProfile:
    """The supplier's profile for its console (needs org.manage); an unsaved empty one before the first save."""
    require(actor, supplier, EDIT)
    _must_be_supplier(supplier)
    return SupplierProfile.objects.filter(organization=supplier).first() or SupplierProfile(organization=supplier)


# --- writes -------------------------------------------------------------------------------------------------------


@dataclass
class ProfileIn:
    year_founded: int | None = None
    factory_size_m2: int | None = None
    employees: int | None = None
    certifications: list[str] = field(default_factory=list)
    main_markets: list[str] = field(default_factory=list)
    main_markets_zh: list[str] = field(default_factory=list)
    capacity: str = ""
    capacity_zh: str = ""
    capacity_per_month: int | None = None
    typical_moq: int | None = None
    lead_time_days: int | None = None
    introduction: str = ""
    introduction_zh: str = ""


def _must_be_supplier(org: Organization) -> None:
    if org.kind != Organization.Kind.SUPPLIER:
        raise ValidationFailed(
            gettext("Only a supplier has a showcase for company buyers."), field="org", code=Code.NOT_A_SUPPLIER
        )


def _items(values: list[str], name: str) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        value = " ".join(str(value).split())
        if not value:
            continue
        if len(value) > MAX_ITEM_LENGTH:
            raise ValidationFailed(gettext("Keep each entry to %(n)s characters.") % {"n": MAX_ITEM_LENGTH}, field=name)
        if value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    if len(out) > MAX_ITEMS:
        raise ValidationFailed(gettext("List at most %(n)s entries.") % {"n": MAX_ITEMS}, field=name)
    return out


def clean(data: ProfileIn, *, now: datetime | None = None) -> ProfileIn:
    """The input checked and tidied (raises ValidationFailed on the first bad field)."""
    year = (now or clock.now()).year
    if data.year_founded is not None and not SupplierProfile.FIRST_YEAR <= data.year_founded <= year:
        raise ValidationFailed(
            gettext("Enter a year between %(first)s and %(this)s.")
            % {"first": SupplierProfile.FIRST_YEAR, "this": year},
            field="year_founded",
        )
    for name, (low, high) in NUMBERS.items():
        value = getattr(data, name)
        if value is None:
            continue
        if value < low:
            message = gettext("Enter a number of at least %(n)s.") % {"n": low}
            raise ValidationFailed(message, field=name)
        if value > high:
            raise ValidationFailed(gettext("Enter a number of at most %(n)s.") % {"n": high}, field=name)
    for name, most in MAX_TEXT.items():
        setattr(data, name, getattr(data, name).strip())
        if len(getattr(data, name)) > most:
            raise ValidationFailed(gettext("Keep it to %(n)s characters.") % {"n": most}, field=name)
    for name in ("certifications", "main_markets", "main_markets_zh"):
        setattr(data, name, _items(getattr(data, name), name))
    return data


@transaction.atomic
def save_profile(*, actor: User, supplier: Organization, data: ProfileIn) -> SupplierProfile:
    """Create or replace the supplier's profile (needs org.manage; a supplier organization only)."""
    require(actor, supplier, EDIT)
    _must_be_supplier(supplier)
    data = clean(data)
    values = {name: getattr(data, name) for name in ProfileIn.__dataclass_fields__}
    profile, _ = SupplierProfile.objects.select_for_update().update_or_create(
        organization=supplier, defaults={**values, "updated_at": clock.now()}
    )
    forget(supplier)
    return profile


def forget(supplier: Organization) -> None:
    """Drop the supplier's cached showcase now and again once the change commits (a reader in between may have
    cached the old one)."""
    key = _cache_key(supplier.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
