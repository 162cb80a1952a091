"""Demo verification: every demo seller is verified by the operator (legal data on file, a valid unified social credit
code for the companies, an identity check for private sellers) except Zhou Ming (周明), a private seller moving
abroad, who has not applied yet: his Nanjing sale's money sits in his balance, held until he is verified."""

from __future__ import annotations

from tradeloop.accounts.models import Organization, User
from tradeloop.core import clock, states
from tradeloop.trust import selectors, services
from tradeloop.trust.models import IdentityLevel, Verification

UNVERIFIED_SELLER = "Zhou Ming (周明)"
REGION = "330100"  # Hangzhou's administrative division code (illustrative)


def demo_uscc(org_id: int) -> str:
    first17 = f"91{REGION}MA{org_id:07d}"[:17]
    return first17 + services.uscc_check_character(first17)


def load(*, operator: User, orgs: list[Organization]) -> None:
    now = clock.now()
    for org in orgs:
        if org.kind not in Organization.SELLING_KINDS or org.name == UNVERIFIED_SELLER:
            continue
        if Verification.objects.filter(organization=org).exists():
            continue  # loaded before: the loader adds only what is missing
        personal = org.kind == Organization.Kind.PERSONAL
        owner = org.memberships.select_related("user").order_by("pk").first()
        verification = Verification.objects.create(
            organization=org,
            state=Verification.State.APPROVED,
            country=org.country or "CN",
            legal_name=org.name,
            registration_number="" if personal else demo_uscc(org.pk),
            registered_address="" if personal else ", ".join(p for p in (org.address, org.city) if p),
            contact_name=owner.user.display_name if owner else "",
            contact_phone=org.phone or "+86 571 0000 0000",
            contact_email=org.email or (owner.user.email if owner else ""),
            identity_level=IdentityLevel.ID_DOCUMENT if personal else "",
            submitted_at=now,
            decided_at=now,
            decided_by=operator,
            created_at=now,
            updated_at=now,
        )
        states.record(
            verification,
            old=Verification.State.DRAFT,
            new=Verification.State.SUBMITTED,
            actor=owner.user if owner else None,
            reason="submitted for review",
        )
        states.record(
            verification,
            old=Verification.State.SUBMITTED,
            new=Verification.State.APPROVED,
            actor=operator,
            reason="approved",
        )
    selectors.refresh_cache()
