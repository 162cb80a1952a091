"""Reviews backed by a trade record: the one review system of every mode.

A review exists only for a record that allows it (an O2O voucher redeemed, a booking completed; later a delivered
order line): `record_kind` + `record_id` name that record, at most one review each. The modes register what their
record kinds are (`reviews.records`), so this app never imports them. `target_kind` + `target_id` name what is
reviewed (a place, a product) and `seller` whose it is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tradeloop.core import clock


def review_photo_path(photo: ReviewPhoto, filename: str) -> str:
    return f"reviews/{photo.review_id}/{filename}"


class Review(models.Model):
    class State(models.TextChoices):
        PUBLISHED = "published", pgettext_lazy("review state", "Published")
        HIDDEN = "hidden", pgettext_lazy("review state", "Hidden")

    ALLOWED = {State.PUBLISHED: {State.HIDDEN}, State.HIDDEN: {State.PUBLISHED}}
    TRANSITION_ALSO_SAVES = ("hidden_reason",)

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    seller = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="reviews")
    record_kind = models.CharField(max_length=20)  # e.g. "voucher", "booking"
    record_id = models.BigIntegerField()
    target_kind = models.CharField(max_length=20)  # e.g. "place", "product"
    target_id = models.BigIntegerField()
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PUBLISHED)
    stars = models.PositiveSmallIntegerField(_("stars"))
    scores = models.JSONField(_("sub-scores"), default=dict, blank=True)  # {"service": 5, "environment": 4, ...}
    text = models.TextField(_("review"), blank=True)
    language = models.CharField(max_length=10, blank=True)  # the language it was written in
    visited_at = models.DateTimeField(_("visited"))  # when the record says the visit happened
    editable_until = models.DateTimeField()
    hidden_reason = models.CharField(_("reason hidden"), max_length=240, blank=True)
    reply = models.TextField(_("seller's reply"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_kind", "target_id", "state", "-created_at"], name="review_target"),
            models.Index(fields=["seller", "-created_at"], name="review_seller"),
            models.Index(fields=["author", "-created_at"], name="review_author"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["record_kind", "record_id"], name="review_once_per_record"),
            models.CheckConstraint(condition=Q(stars__gte=1) & Q(stars__lte=5), name="review_stars_1_5"),
        ]

    def __str__(self) -> str:
        return f"review {self.pk} of {self.target_kind} {self.target_id}"


class ReviewPhoto(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=review_photo_path)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("review photo")
        verbose_name_plural = _("review photos")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"photo {self.pk} of review {self.review_id}"
