"""The value ring: what buyers look for and cannot find, and what they ask merchants for.

`DemandSearch` is one row per (normalised term, region, category, day): how often a search for it returned few or
no results. Suggestions are buyers' public requests to a store or about a product, with votes and a status the
merchant sets; `OrderFeedback` is private "what could be better" after a completed order.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tradeloop.core import clock


class DemandSearch(models.Model):
    term = models.CharField(_("search term"), max_length=120)  # normalised (terms.normalise)
    region = models.CharField(_("region"), max_length=80, blank=True)
    category = models.ForeignKey("catalog.Category", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # 0 when no category: part of the unique key (NULLs never collide in a UNIQUE index)
    category_key = models.BigIntegerField(default=0, editable=False)
    day = models.DateField(_("day"))
    searches = models.PositiveIntegerField(_("searches"), default=0)
    last_results = models.PositiveIntegerField(_("results last time"), default=0)
    sample = models.CharField(_("as typed"), max_length=120, blank=True)  # one term as a buyer typed it
    last_seen = models.DateTimeField(_("last seen"), default=clock.now)

    class Meta:
        verbose_name = _("unmet search")
        verbose_name_plural = _("unmet searches")
        ordering = ["-day", "-searches", "id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "region", "category_key", "day"], name="demand_search_once_a_day"),
        ]
        indexes = [models.Index(fields=["day", "term"], name="demand_search_day")]

    def __str__(self) -> str:
        return f"{self.term} ({self.region or '-'}) {self.day}: {self.searches}"


class Suggestion(models.Model):
    """A buyer's public suggestion to a store (`product` empty) or about one of its products."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("suggestion status", "Open")
        UNDER_REVIEW = "under_review", pgettext_lazy("suggestion status", "Under review")
        PLANNED = "planned", pgettext_lazy("suggestion status", "Planned")
        DONE = "done", pgettext_lazy("suggestion status", "Done")
        DECLINED = "declined", pgettext_lazy("suggestion status", "Declined")

    STATE_FIELD = "status"
    ALLOWED = {
        Status.OPEN: {Status.UNDER_REVIEW, Status.PLANNED, Status.DONE, Status.DECLINED},
        Status.UNDER_REVIEW: {Status.PLANNED, Status.DONE, Status.DECLINED},
        Status.PLANNED: {Status.UNDER_REVIEW, Status.DONE, Status.DECLINED},
        Status.DECLINED: {Status.UNDER_REVIEW},
    }
    TRANSITION_ALSO_SAVES = ("reply", "replied_at")
    CLOSED = (Status.DONE, Status.DECLINED)

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="suggestions")
    seller = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="suggestions")
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="suggestions"
    )
    text = models.CharField(_("suggestion"), max_length=500)
    language = models.CharField(max_length=10, blank=True)  # the language it was written in
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    reply = models.TextField(_("seller's reply"), max_length=1000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["seller", "product", "-vote_count", "-id"], name="suggestion_top"),
            models.Index(fields=["seller", "product", "-created_at", "-id"], name="suggestion_new"),
            models.Index(fields=["author", "-created_at"], name="suggestion_author"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(vote_count__gte=0), name="suggestion_votes_ge_0"),
        ]

    def __str__(self) -> str:
        return f"suggestion {self.pk} to {self.seller_id}"

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED


class SuggestionVote(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("suggestion vote")
        verbose_name_plural = _("suggestion votes")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "voter"], name="suggestion_vote_once")]

    def __str__(self) -> str:
        return f"vote of {self.voter_id} on {self.suggestion_id}"


class OrderFeedback(models.Model):
    """Private "what could be better" after a completed order: for the seller only, one per order."""

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="+")
    seller = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("what could be better"), max_length=500)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("order feedback")
        verbose_name_plural = _("order feedback")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["seller", "-created_at", "-id"], name="order_feedback_seller")]

    def __str__(self) -> str:
        return f"feedback on order {self.order_id}"
