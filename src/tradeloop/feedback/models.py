"""The value ring: what buyers look for and cannot find, and what they ask merchants for.

`DemandSearch` is one row per (normalised term, region, category, day): how often a search for it returned few or
no results. Suggestions are buyers' public requests to a store or about a product, with votes and a status the
merchant sets; `OrderFeedback` is private "what could be better" after a completed order.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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
