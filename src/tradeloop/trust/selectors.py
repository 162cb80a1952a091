"""Reads of seller verification. The verified sellers are held as one cached map {organization id: identity level},
rebuilt at every change of tier, so badges on any list cost no query (`verified_ids`), and a seller's own tier is
one query (`tier_of_org`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import can, require
from tradeloop.core import states
from tradeloop.core.models import Event
from tradeloop.trust.models import Document, Tier, Verification, tier_of

CACHE_KEY = "trust:verified:v1"
CACHE_SECONDS = 600


def _load_verified() -> dict[int, str]:
    rows = Verification.objects.filter(state=Verification.State.APPROVED).values_list(
        "organization_id", "identity_level"
    )
    return dict(rows)


def verified_map() -> dict[int, str]:
    """{organization id: identity level ("" for a company)} of every verified seller (cached)."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = _load_verified()
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def refresh_cache() -> None:
    """A tier changed: rebuild the map now (this transaction sees its own write) and again once it commits."""

    def rebuild() -> None:
        cache.set(CACHE_KEY, _load_verified(), CACHE_SECONDS)

    rebuild()
    transaction.on_commit(rebuild)


def verified_ids(seller_ids: Iterable[int | None]) -> set[int]:
    """Which of these sellers are verified (no query once the map is cached)."""
    known = verified_map()
    return {i for i in seller_ids if i and i in known}


def is_verified(seller: Organization | int | None) -> bool:
    seller_id = getattr(seller, "pk", seller)
    return bool(seller_id) and seller_id in verified_map()


def held_ids(seller_ids: Iterable[int]) -> set[int]:
    """Sellers whose payouts wait: every selling organization not verified (unverified or under review). Read from
    the database, never the cache: money follows the committed state."""
    ids = {i for i in seller_ids if i}
    if not ids:
        return set()
    selling = Organization.objects.filter(pk__in=ids, kind__in=Organization.SELLING_KINDS).exclude(
        verification__state=Verification.State.APPROVED
    )
    return set(selling.values_list("pk", flat=True))


@dataclass(frozen=True)
class TierInfo:
    tier: str
    level: str = ""
    state: str = ""

    @property
    def verified(self) -> bool:
        return self.tier == Tier.VERIFIED

    @property
    def label(self):
        return Tier(self.tier).label


def tier_of_org(org: Organization | int) -> TierInfo:
    """One query: the organization's tier (and a private seller's identity level)."""
    org_id = getattr(org, "pk", org)
    row = Verification.objects.filter(organization_id=org_id).values_list("state", "identity_level").first()
    if row is None:
        return TierInfo(Tier.UNVERIFIED)
    state, level = row
    return TierInfo(tier_of(state), level if state == Verification.State.APPROVED else "", state)


def verification_for(*, actor: User, organization: Organization) -> Verification | None:
    """The organization's application for one of its members with org.manage (None before the first save)."""
    require(actor, organization, "org.manage")
    return (
        Verification.objects.filter(organization=organization)
        .select_related("organization", "decided_by")
        .prefetch_related("documents")
        .first()
    )


def history(verification: Verification | None) -> list[Event]:
    if verification is None:
        return []
    return list(states.history(verification).order_by("at", "id"))


def document_for(*, actor: User, document_id: int) -> Document | None:
    """A document for a member of its organization (org.manage) or the operator's staff; None for anyone else."""
    doc = Document.objects.select_related("verification__organization").filter(pk=document_id).first()
    if doc is None:
        return None
    if getattr(actor, "is_staff", False) and actor.is_active:
        return doc
    return doc if can(actor, doc.verification.organization, "org.manage") else None


VERIFIED_TRUST = 1.1  # a verified seller's lift in search (search.ranking.trust_factor multiplies it in)


def standings(seller_ids: list[int]):
    from tradeloop.search.sources import Standing

    return {i: Standing(level="", trust=VERIFIED_TRUST) for i in verified_ids(seller_ids)}
