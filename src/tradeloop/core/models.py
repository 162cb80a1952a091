from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """Audit trail: one row per state transition or notable change of any aggregate."""

    subject_type = models.CharField(max_length=60)
    subject_id = models.BigIntegerField()
    old = models.CharField(max_length=40, blank=True)
    new = models.CharField(max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"])]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id}: {self.old} → {self.new}"


class IdempotencyKey(models.Model):
    """A POST that creates money movement or an order, remembered by (user, scope, key) with its answer.

    Replaying the same key returns the stored answer; the same key with a different request is a 409.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=120)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_unique")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class PostalAddress(models.Model):
    """Where goods go: a buyer's address book entry, a company's delivery address. Orders keep a `snapshot()`."""

    SNAPSHOT_FIELDS = ("name", "phone", "line1", "line2", "city", "region", "postcode", "country")
    REQUIRED_FIELDS = ("name", "phone", "line1", "city")

    name = models.CharField(_("recipient"), max_length=120)
    phone = models.CharField(_("phone"), max_length=40)
    line1 = models.CharField(_("address"), max_length=240)
    line2 = models.CharField(_("address line 2"), max_length=240, blank=True)
    city = models.CharField(_("city"), max_length=80)
    region = models.CharField(_("province / state"), max_length=80, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="CN")
    is_default = models.BooleanField(_("default address"), default=False)

    class Meta:
        abstract = True

    def snapshot(self) -> dict:
        return {f: getattr(self, f) for f in self.SNAPSHOT_FIELDS}
