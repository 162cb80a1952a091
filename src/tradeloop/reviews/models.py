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
        HELD = "held", pgettext_lazy("review state", "Held for moderation")
        HIDDEN = "hidden", pgettext_lazy("review state", "Hidden")

    ALLOWED = {
        State.PUBLISHED: {State.HIDDEN},
        State.HELD: {State.PUBLISHED, State.HIDDEN},  # a suspected duplicate waits for the operator
        State.HIDDEN: {State.PUBLISHED},
    }
    TRANSITION_ALSO_SAVES = ("hidden_reason", "held_reason")

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
    held_reason = models.CharField(_("reason held"), max_length=240, blank=True)  # e.g. "near duplicate of #12"
    helpful_count = models.PositiveIntegerField(_("helpful votes"), default=0)
    open_reports = models.PositiveIntegerField(_("open reports"), default=0)  # the moderation queue's order
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
            models.Index(fields=["-open_reports", "state", "-created_at"], name="review_queue"),
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


class HelpfulVote(models.Model):
    """One person found a review helpful (a second press takes the vote back)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("helpful vote")
        verbose_name_plural = _("helpful votes")
        constraints = [models.UniqueConstraint(fields=["review", "user"], name="helpful_once_per_user")]

    def __str__(self) -> str:
        return f"vote of {self.user_id} for review {self.review_id}"


class ReviewReport(models.Model):
    """Someone tells the operator a review breaks the rules; it stays open until the operator decides."""

    class Reason(models.TextChoices):
        FAKE = "fake", _("Fake or paid review")
        OFFENSIVE = "offensive", _("Offensive or abusive")
        OFF_TOPIC = "off_topic", _("Not about this product or place")
        PRIVATE = "private", _("Shares private information")
        SPAM = "spam", _("Advertising or spam")
        OTHER = "other", _("Something else")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("review report")
        verbose_name_plural = _("review reports")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["review", "reporter"], name="report_once_per_user")]

    def __str__(self) -> str:
        return f"report of review {self.review_id}: {self.reason}"


class Reputation(models.Model):
    """A seller's reputation across the modes, precomputed (reviews.reputation.refresh) so pages read one row."""

    seller = models.OneToOneField("accounts.Organization", on_delete=models.CASCADE, related_name="reputation")
    rating_avg = models.DecimalField(_("rating"), max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(_("ratings"), default=0)
    # per source: {"product": {"avg": "4.50", "count": 2}, "place": …, "c2c": …}
    sources = models.JSONField(default=dict, blank=True)
    positive_rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    response_median_seconds = models.PositiveIntegerField(null=True, blank=True)
    conversations_answered = models.PositiveIntegerField(default=0)
    orders_counted = models.PositiveIntegerField(default=0)  # paid orders of the period: the rates' base
    disputes = models.PositiveIntegerField(default=0)  # returns and disputes opened on them
    dispute_rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    shipped_counted = models.PositiveIntegerField(default=0)
    shipped_on_time = models.PositiveIntegerField(default=0)
    on_time_rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    refreshed_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("seller reputation")
        verbose_name_plural = _("seller reputations")

    def __str__(self) -> str:
        return f"reputation of {self.seller_id}"
