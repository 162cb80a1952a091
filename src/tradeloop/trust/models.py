"""A selling organization's verification: its application (legal data, or a private seller's identity check), the
documents it uploads, and the operator's decisions. The organization's tier follows from the application's state:
no application, a draft or a rejection is *unverified*; submitted or asked for more is *pending*; approved is
*verified* (with the identity level for a private seller)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tradeloop.core import clock


class _NoUrlStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("verification documents have no public URL: serve them through trust.views.document")


def private_storage() -> FileSystemStorage:
    """Documents live outside the public media folder (which may be served as is): only trust's view reads them.
    A callable, so migrations name it instead of a machine's path."""
    return _NoUrlStorage(location=settings.DATA_DIR / "private")


class Tier(models.TextChoices):
    UNVERIFIED = "unverified", pgettext_lazy("verification tier", "Unverified")
    PENDING = "pending", pgettext_lazy("verification tier", "Under review")
    VERIFIED = "verified", pgettext_lazy("verification tier", "Verified")


class IdentityLevel(models.TextChoices):
    PHONE = "phone", _("Phone number checked")
    ID_DOCUMENT = "id_document", _("ID document checked")
    ID_AND_FACE = "id_face", _("ID document and face checked")


class Verification(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("verification state", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("verification state", "Submitted")
        APPROVED = "approved", pgettext_lazy("verification state", "Approved")
        REJECTED = "rejected", pgettext_lazy("verification state", "Rejected")
        MORE_INFO = "more_info", pgettext_lazy("verification state", "More information requested")

    ALLOWED = {
        State.DRAFT: {State.SUBMITTED},
        State.SUBMITTED: {State.APPROVED, State.REJECTED, State.MORE_INFO},
        State.MORE_INFO: {State.SUBMITTED},
        State.REJECTED: {State.SUBMITTED},
        State.APPROVED: {State.SUBMITTED},  # a verified seller changed its legal data: back to review
    }
    TRANSITION_ALSO_SAVES = ("decided_at", "decided_by", "reason", "submitted_at", "updated_at")
    LEGAL_FIELDS = ("legal_name", "registration_number", "registered_address")
    PENDING_STATES = (State.SUBMITTED, State.MORE_INFO)

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="verification", verbose_name=_("organization")
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    country = models.CharField(_("country"), max_length=2, default="CN")
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    registered_address = models.CharField(_("registered address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    identity_level = models.CharField(_("identity check"), max_length=20, choices=IdentityLevel.choices, blank=True)
    reason = models.CharField(_("operator's reason"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)
    updated_at = models.DateTimeField(_("updated"), default=clock.now)

    class Meta:
        verbose_name = _("seller verification")
        verbose_name_plural = _("seller verifications")
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["state", "submitted_at"], name="trust_verification_queue")]

    def __str__(self) -> str:
        return f"{self.organization} ({self.state})"

    @property
    def tier(self) -> str:
        return tier_of(self.state)

    @property
    def is_personal(self) -> bool:
        return self.organization.kind == "personal"

    @property
    def editable(self) -> bool:
        """The seller may change its data now (an approved seller may too: legal changes go back to review)."""
        return self.state != self.State.SUBMITTED


def tier_of(state: str | None) -> str:
    if state == Verification.State.APPROVED:
        return Tier.VERIFIED
    if state in Verification.PENDING_STATES:
        return Tier.PENDING
    return Tier.UNVERIFIED


class Document(models.Model):
    class Kind(models.TextChoices):
        BUSINESS_LICENCE = "business_licence", _("Business licence")
        ID_FRONT = "id_front", _("ID document, front")
        ID_BACK = "id_back", _("ID document, back")
        CERTIFICATE = "certificate", _("Certificate")
        OTHER = "other", pgettext_lazy("document kind", "Other")

    verification = models.ForeignKey(
        Verification, on_delete=models.CASCADE, related_name="documents", verbose_name=_("seller verification")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to="trust/%Y/%m/", max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=clock.now)

    class Meta:
        verbose_name = _("verification document")
        verbose_name_plural = _("verification documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"
