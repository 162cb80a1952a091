"""Every write of seller verification: the seller's application and documents, submitting it, the operator's
decisions. Each decision is one transaction on the locked application, recorded (core.states) with actor and reason;
the seller's members are told in their language; a change of tier refreshes the badge map, reindexes the seller's
search documents and, on approval, pays out the balance that waited."""

from __future__ import annotations

import logging

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from tradeloop.notifications.services import notify
from tradeloop.search import sources
from tradeloop.search.models import SearchDocument
from tradeloop.trust import selectors
from tradeloop.trust.errors import Code
from tradeloop.trust.models import Document, IdentityLevel, Verification

log = logging.getLogger(__name__)

State = Verification.State
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_DOCUMENTS = 12
MAX_REASON = 300
TEXT_FIELDS = {
    "legal_name": 200,
    "registration_number": 40,
    "registered_address": 300,
    "contact_name": 120,
    "contact_phone": 40,
    "contact_email": 254,
}

# --- the unified social credit code (GB 32100-2015) ---------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def valid_uscc(code: str) -> bool:
    """18 characters of the code's alphabet whose last one is the check character of the first 17."""
    code = (code or "").strip().upper()
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    return uscc_check_character(code[:17]) == code[17]


def clean_registration_number(value: str, *, country: str) -> str:
    number = (value or "").strip().upper().replace(" ", "")
    if not number:
        return ""
    if country == "CN" and not valid_uscc(number):
        raise ValidationFailed(
            gettext("This is not a valid unified social credit code (18 characters, the last one a check character)."),
            field="registration_number",
            code=Code.BAD_REGISTRATION_NUMBER,
        )
    return number


# --- the seller's side ------------------------------------------------------------------------------------------


def _selling(actor: User, organization: Organization) -> None:
    require(actor, organization, "org.manage")
    if organization.kind not in Organization.SELLING_KINDS:
        raise ValidationFailed(
            gettext("Only a selling organization is verified."), field="organization", code=Code.NOT_SELLING
        )


def _locked(organization: Organization) -> Verification:
    Verification.objects.get_or_create(
        organization=organization, defaults={"country": organization.country or "CN", "created_at": clock.now()}
    )
    return Verification.objects.select_for_update().select_related("organization").get(organization=organization)


def _not_under_review(verification: Verification) -> None:
    if verification.state == State.SUBMITTED:
        raise Conflict(
            gettext("The application is with the operator; wait for the decision before changing it."),
            field="state",
            code=Code.UNDER_REVIEW,
        )


@transaction.atomic
def save_application(*, actor: User, organization: Organization, data: dict) -> Verification:
    """The seller's data (only the given keys change). A verified seller's change of legal name, registration number
    or registered address sends it back to review (its badge goes and payouts wait until re-approved); contact
    changes do not."""
    _selling(actor, organization)
    verification = _locked(organization)
    _not_under_review(verification)
    changes: dict[str, str] = {}
    for name, limit in TEXT_FIELDS.items():
        if name not in data or data[name] is None:
            continue
        value = str(data[name]).replace("\x00", "").strip()
        if len(value) > limit:
            raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": limit}, field=name)
        changes[name] = value
    if "registration_number" in changes:
        changes["registration_number"] = clean_registration_number(
            changes["registration_number"], country=verification.country
        )
    if "contact_email" in changes and changes["contact_email"] and "@" not in changes["contact_email"]:
        raise ValidationFailed(gettext("Enter a valid e-mail address."), field="contact_email")
    if data.get("identity_level") is not None:
        level = str(data["identity_level"])
        if level and level not in IdentityLevel.values:
            raise ValidationFailed(gettext("Choose one of the identity checks."), field="identity_level")
        changes["identity_level"] = level
    legal_changed = any(getattr(verification, f) != changes[f] for f in Verification.LEGAL_FIELDS if f in changes)
    if organization.kind == Organization.Kind.PERSONAL and "identity_level" in changes:
        legal_changed = legal_changed or verification.identity_level != changes["identity_level"]
    for name, value in changes.items():
        setattr(verification, name, value)
    verification.updated_at = clock.now()
    verification.save()
    if verification.state == State.APPROVED and legal_changed:
        _check_complete(verification)
        verification.submitted_at = clock.now()
        verification.reason = ""
        states.transition(verification, State.SUBMITTED, actor=actor, reason="legal data changed: back to review")
        _tier_changed(verification)
    return verification


def _check_document(upload) -> str:
    """The upload's content type once it is a real image (Pillow opens it) or a PDF, of at most 5 MB."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(gettext("A document may be at most 5 MB."), field="file", code=Code.DOCUMENT_TOO_LARGE)
    if size == 0:
        raise ValidationFailed(gettext("The file is empty."), field="file", code=Code.BAD_DOCUMENT)
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "application/pdf"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            kind = (image.format or "").upper()
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationFailed(
            gettext("Upload a PDF or a picture (JPEG, PNG or WebP)."), field="file", code=Code.BAD_DOCUMENT
        ) from exc
    finally:
        upload.seek(0)
    types = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
    if kind not in types:
        raise ValidationFailed(
            gettext("Upload a PDF or a picture (JPEG, PNG or WebP)."), field="file", code=Code.BAD_DOCUMENT
        )
    return types[kind]


@transaction.atomic
def add_document(*, actor: User, organization: Organization, kind: str, upload) -> Document:
    _selling(actor, organization)
    if kind not in Document.Kind.values:
        raise ValidationFailed(gettext("Choose what kind of document this is."), field="kind")
    content_type = _check_document(upload)
    verification = _locked(organization)
    _not_under_review(verification)
    if verification.documents.count() >= MAX_DOCUMENTS:
        raise ValidationFailed(
            gettext("At most %(n)s documents.") % {"n": MAX_DOCUMENTS}, field="file", code=Code.BAD_DOCUMENT
        )
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
    name = f"{organization.pk}-{kind}.{extension[content_type]}"
    document = Document(
        verification=verification,
        kind=kind,
        content_type=content_type,
        size=upload.size,
        original_name=(getattr(upload, "name", "") or "")[:200],
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    document.file.save(name, upload, save=False)
    document.save()
    return document


@transaction.atomic
def remove_document(*, actor: User, organization: Organization, document_id: int) -> None:
    _selling(actor, organization)
    verification = _locked(organization)
    _not_under_review(verification)
    document = verification.documents.filter(pk=document_id).first()
    if document is None:
        from tradeloop.core.errors import NotFound

        raise NotFound(gettext("No such document."), field="document")
    if verification.state == State.APPROVED:
        raise Conflict(gettext("The documents of a verified seller stay on file."), field="document")
    document.file.delete(save=False)
    document.delete()


def _check_complete(verification: Verification) -> None:
    def missing(field: str, message) -> None:
        raise ValidationFailed(str(message), field=field, code=Code.APPLICATION_INCOMPLETE)

    kinds = set(verification.documents.values_list("kind", flat=True))
    if verification.is_personal:
        if not verification.legal_name:
            missing("legal_name", gettext_lazy("Give your full legal name."))
        if not verification.identity_level:
            missing("identity_level", gettext_lazy("Choose an identity check."))
        if not verification.contact_phone:
            missing("contact_phone", gettext_lazy("Give a phone number."))
        if verification.identity_level != IdentityLevel.PHONE and Document.Kind.ID_FRONT not in kinds:
            missing("documents", gettext_lazy("Upload the front of your ID document."))
        return
    for field, message in (
        ("legal_name", gettext_lazy("Give the legal name.")),
        ("registration_number", gettext_lazy("Give the registration number.")),
        ("registered_address", gettext_lazy("Give the registered address.")),
        ("contact_name", gettext_lazy("Give a contact name.")),
        ("contact_phone", gettext_lazy("Give a contact phone number.")),
    ):
        if not getattr(verification, field):
            missing(field, message)
    if Document.Kind.BUSINESS_LICENCE not in kinds:
        missing("documents", gettext_lazy("Upload the business licence."))


@transaction.atomic
def submit(*, actor: User, organization: Organization) -> Verification:
    """Send the application to the operator's queue (from a draft, a rejection or a request for more)."""
    _selling(actor, organization)
    verification = _locked(organization)
    if verification.state not in (State.DRAFT, State.REJECTED, State.MORE_INFO):
        raise Conflict(
            gettext("This application is already with the operator or approved."),
            field="state",
            code=Code.UNDER_REVIEW,
        )
    _check_complete(verification)
    verification.submitted_at = clock.now()
    verification.reason = ""
    verification.updated_at = clock.now()
    states.transition(verification, State.SUBMITTED, actor=actor, reason="submitted for review")
    _tier_changed(verification)
    return verification


# --- the operator's side ----------------------------------------------------------------------------------------

DECISIONS = {
    State.APPROVED: (
        gettext_lazy("Your store is verified"),
        gettext_lazy("The operator checked %(org)s's application: your store now shows the verified badge."),
    ),
    State.REJECTED: (
        gettext_lazy("Your verification was rejected"),
        gettext_lazy("The operator rejected %(org)s's application: %(reason)s"),
    ),
    State.MORE_INFO: (
        gettext_lazy("The operator needs more for your verification"),
        gettext_lazy("The operator asks %(org)s for more: %(reason)s"),
    ),
}


def decide(*, actor: User, verification_id: int, to: str, reason: str = "") -> Verification:
    """The operator approves, rejects (a reason needed) or asks for more (a reason needed)."""
    if not (getattr(actor, "is_staff", False) and actor.is_active):
        raise PermissionDenied(gettext("Only the operator's staff review applications."))
    if to not in DECISIONS:
        raise ValidationFailed(gettext("Approve, reject or ask for more."), field="decision")
    reason = (reason or "").replace("\x00", "").strip()
    if to != State.APPROVED and not reason:
        raise ValidationFailed(gettext("Say why: the seller reads it."), field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": MAX_REASON}, field="reason")
    with transaction.atomic():
        verification = Verification.objects.select_for_update().select_related("organization").get(pk=verification_id)
        verification.decided_at = clock.now()
        verification.decided_by = actor
        verification.reason = reason
        verification.updated_at = clock.now()
        states.transition(verification, to, actor=actor, reason=reason or "approved")
        _tier_changed(verification)
        _tell_seller(verification)
    if to == State.APPROVED:
        release_held_payouts(verification.organization)
    return verification


def approve(*, actor: User, verification_id: int, reason: str = "") -> Verification:
    return decide(actor=actor, verification_id=verification_id, to=State.APPROVED, reason=reason)


def reject(*, actor: User, verification_id: int, reason: str) -> Verification:
    return decide(actor=actor, verification_id=verification_id, to=State.REJECTED, reason=reason)


def ask_for_more(*, actor: User, verification_id: int, reason: str) -> Verification:
    return decide(actor=actor, verification_id=verification_id, to=State.MORE_INFO, reason=reason)


def release_held_payouts(organization: Organization) -> list:
    """The seller is verified: the balance that waited is paid out now (what fails stays for the daily run)."""
    from tradeloop.payments import services as payments

    try:
        return payments.run_payouts(now=clock.now(), seller=organization)
    except Exception:  # noqa: BLE001 - the approval stands; the daily payout run pays what is left
        log.exception("trust: releasing held payouts of %s failed", organization.pk)
        return []


def _tell_seller(verification: Verification) -> None:
    org = verification.organization
    title, body = DECISIONS[verification.state]
    link = reverse("trust:console", args=[org.pk])
    ref = f"verification:{verification.pk}:{verification.state}:{verification.decided_at.isoformat()}"
    people = {
        m.user_id: m.user
        for m in org.memberships.select_related("user", "role")
        if m.user.is_active and m.role.grants("org.manage")
    }
    for person in people.values():
        notify(
            recipient=person,
            kind="trust.decision",
            ref=ref,
            title=title,
            body=body,
            params={"org": org.name, "reason": verification.reason},
            link=link,
            email=True,
        )


def _tier_changed(verification: Verification) -> None:
    """The badge map, and the seller's search documents (their standing lifts verified sellers)."""
    selectors.refresh_cache()
    rows = SearchDocument.objects.filter(seller_id=verification.organization_id).values_list("source", "object_id")
    by_source: dict[str, list[int]] = {}
    for source, object_id in rows:
        by_source.setdefault(source, []).append(object_id)
    for source, ids in by_source.items():
        sources.changed(source, ids)


# --- demo and tests ---------------------------------------------------------------------------------------------


def mark_verified(organization: Organization, *, level: str = "", actor: User | None = None) -> Verification:
    """Record an organization as verified without the review (demo data and test factories)."""
    now = clock.now()
    verification, _ = Verification.objects.update_or_create(
        organization=organization,
        defaults={
            "state": State.APPROVED,
            "country": organization.country or "CN",
            "legal_name": organization.name,
            "identity_level": level or (IdentityLevel.ID_DOCUMENT if organization.kind == "personal" else ""),
            "submitted_at": now,
            "decided_at": now,
            "updated_at": now,
        },
    )
    states.record(verification, new=State.APPROVED, actor=actor, reason="verified")
    selectors.refresh_cache()
    return verification
