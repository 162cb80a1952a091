"""Sponsored placement: a seller's campaign promotes some of its own search documents (products, listings, deals,
services, places) for keywords and categories, at a bid per click, within a daily budget.

    Campaign      the seller's campaign: state (draft → active ⇄ paused → ended), dates, daily budget, default bid
    CampaignItem  one promoted search document (source + object id) of the seller
    Keyword       a keyword, normalised like search's index (English stems, Chinese segments); its own bid or none
    DaySpend      per campaign and site day: the budget of that day and what is spent (the guarded row)
    DayStat       per campaign, keyword (0: a category page) and day: impressions, clicks, charges, spend, orders
    Click         every click on a slot; `charge_key` (item, visitor, window) is unique, so one charge per window
    Attribution   an order paid by a visitor who clicked within 7 days, counted for the click's campaign
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.catalog.models import Category
from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field


class Campaign(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    ALLOWED = {
        State.DRAFT: {State.ACTIVE, State.ENDED},
        State.ACTIVE: {State.PAUSED, State.ENDED},
        State.PAUSED: {State.ACTIVE, State.ENDED},
    }

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="campaigns", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=120)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    starts_at = models.DateTimeField(_("starts"), default=clock.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    daily_budget = amount_field(_("daily budget"))
    default_bid = amount_field(_("bid per click"))
    currency = currency_field()
    categories = models.ManyToManyField(Category, blank=True, related_name="+", verbose_name=_("categories"))
    created_at = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(daily_budget__gt=0), name="campaign_budget_gt_0"),
            models.CheckConstraint(condition=Q(default_bid__gt=0), name="campaign_bid_gt_0"),
            models.CheckConstraint(condition=Q(default_bid__lte=F("daily_budget")), name="campaign_bid_le_budget"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")), name="campaign_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignItem(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items", verbose_name=_("campaign"))
    source = models.CharField(_("source"), max_length=10)  # search document source: product, place
    object_id = models.BigIntegerField(_("object id"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    removed = models.BooleanField(_("removed"), default=False)  # taken out of the campaign; its clicks stay

    class Meta:
        verbose_name = _("campaign item")
        verbose_name_plural = _("campaign items")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "source", "object_id"], name="campaign_item_unique")]
        indexes = [models.Index(fields=["source", "object_id"], name="campaign_item_object")]

    def __str__(self) -> str:
        return self.title or f"{self.source} {self.object_id}"


class Keyword(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="keywords", verbose_name=_("campaign")
    )
    text = models.CharField(_("keyword"), max_length=60)
    terms = models.CharField(max_length=200)  # normalised, space-separated, sorted
    lead = models.CharField(max_length=40, db_index=True)  # one of the terms: the lookup key
    bid = amount_field(_("bid per click"), null=True, blank=True, default=None)

    class Meta:
        verbose_name = _("keyword")
        verbose_name_plural = _("keywords")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "terms"], name="keyword_unique"),
            models.CheckConstraint(condition=Q(bid__isnull=True) | Q(bid__gt=0), name="keyword_bid_gt_0"),
        ]

    def __str__(self) -> str:
        return self.text


class DaySpend(models.Model):
    """Spent ≤ budget holds as a CHECK; clicks add to `spent` only by a guarded UPDATE (spent + bid ≤ budget)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="days", verbose_name=_("campaign"))
    day = models.DateField(_("day"))
    budget = amount_field(_("daily budget"))
    spent = amount_field(_("spent"))

    class Meta:
        verbose_name = _("day's spend")
        verbose_name_plural = _("days' spend")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "day"], name="day_spend_unique"),
            models.CheckConstraint(condition=Q(spent__gte=0) & Q(spent__lte=F("budget")), name="day_spend_le_budget"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.day}"


class DayStat(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stats", verbose_name=_("campaign"))
    keyword_id = models.BigIntegerField(default=0)  # 0: shown on a category page (no keyword)
    day = models.DateField(_("day"))
    impressions = models.PositiveIntegerField(_("impressions"), default=0)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)
    charged = models.PositiveIntegerField(_("charged clicks"), default=0)
    spend = amount_field(_("spend"))
    orders = models.PositiveIntegerField(_("orders"), default=0)
    revenue = amount_field(_("revenue"))

    class Meta:
        verbose_name = _("campaign day")
        verbose_name_plural = _("campaign days")
        constraints = [models.UniqueConstraint(fields=["campaign", "keyword_id", "day"], name="day_stat_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.keyword_id} {self.day}"


class Click(models.Model):
    class Outcome(models.TextChoices):
        CHARGED = "charged", _("Charged")
        REPEAT = "repeat", _("Repeated (not charged)")
        BOT = "bot", _("Bot-like (not charged)")
        NO_BUDGET = "no_budget", _("Budget spent (not charged)")
        NO_FUNDS = "no_funds", _("Wallet empty (not charged)")
        INACTIVE = "inactive", _("Campaign not running (not charged)")
        REFUNDED = "refunded", _("Invalid, refunded")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="clicks", verbose_name=_("campaign"))
    item = models.ForeignKey(CampaignItem, on_delete=models.PROTECT, related_name="clicks", verbose_name=_("item"))
    keyword_id = models.BigIntegerField(default=0)
    visitor = models.CharField(_("visitor"), max_length=64, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    amount = amount_field(_("charged"))
    currency = currency_field()
    charge_key = models.CharField(max_length=120, null=True, blank=True, unique=True)  # item:visitor:window
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("sponsored click")
        verbose_name_plural = _("sponsored clicks")
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "-at"], name="sponsored_click_user")]

    def __str__(self) -> str:
        return f"click {self.pk} ({self.outcome})"


class Attribution(models.Model):
    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="+")
    click = models.ForeignKey(Click, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    revenue = amount_field(_("revenue"))
    at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("attributed order")
        verbose_name_plural = _("attributed orders")

    def __str__(self) -> str:
        return f"order {self.order_id} ← click {self.click_id}"
