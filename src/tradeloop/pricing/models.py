"""Pricing's own tables: company price lists (contract prices), public quantity tiers, and per-variant order rules
(minimum order quantity and order multiple). Each price table is read by a price source in `selectors.SOURCES`.

A variant's list price stays the catalog's `Variant.price`; nothing here changes the catalog's tables.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.catalog.models import Variant
from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field

MAX_QUANTITY = 10_000  # as `selectors.MAX_QUANTITY`: no tier or minimum beyond what one line can hold


class PriceList(models.Model):
    """A seller's contract prices for the buyer organizations it is assigned to, valid in a time window.

    When several valid lists of one seller price a variant for a buyer, the highest `priority` wins."""

    seller = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="price_lists", verbose_name=_("seller")
    )
    name = models.CharField(_("name"), max_length=120)
    currency = currency_field(verbose_name=_("currency"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=0, help_text=_("When several lists price the same item, the highest priority wins.")
    )
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    buyers = models.ManyToManyField(
        Organization,
        through="PriceListAssignment",
        related_name="assigned_price_lists",
        blank=True,
        verbose_name=_("companies"),
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["-priority", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "name"], name="price_list_name_unique"),
            models.CheckConstraint(condition=Q(priority__lte=1000), name="price_list_priority_range"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                name="price_list_valid_window",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PriceListAssignment(models.Model):
    """A price list given to a buyer organization: its members buy at the list's prices."""

    price_list = models.ForeignKey(
        PriceList, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("price list")
    )
    buyer = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="price_list_assignments", verbose_name=_("company")
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("price list assignment")
        verbose_name_plural = _("price list assignments")
        ordering = ["price_list", "buyer__name"]
        constraints = [models.UniqueConstraint(fields=["price_list", "buyer"], name="price_list_buyer_unique")]

    def __str__(self) -> str:
        return f"{self.price_list} → {self.buyer}"


class PriceListEntry(models.Model):
    """One contract price: the unit price of a variant from `min_quantity` units. The entry from 1 unit is the
    contract price; entries from more units are the list's own quantity tiers."""

    price_list = models.ForeignKey(
        PriceList, on_delete=models.CASCADE, related_name="entries", verbose_name=_("price list")
    )
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="+", verbose_name=_("variant"))
    min_quantity = models.PositiveIntegerField(_("from quantity"), default=1)
    unit_price = amount_field(_("unit price"))

    class Meta:
        verbose_name = _("price list entry")
        verbose_name_plural = _("price list entries")
        ordering = ["price_list", "variant__sku", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["price_list", "variant", "min_quantity"], name="price_list_entry_unique"),
            models.CheckConstraint(
                condition=Q(min_quantity__gte=1, min_quantity__lte=MAX_QUANTITY), name="price_list_entry_min_range"
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="price_list_entry_price_ge_0"),
        ]

    def __str__(self) -> str:
        return f"{self.price_list}: {self.variant_id} from {self.min_quantity}"


class QuantityTier(models.Model):
    """A public quantity price: from `min_quantity` units every buyer pays `unit_price` a unit. Below the lowest
    tier the catalog's list price applies, so a tier starts at 2 units or more."""

    variant = models.ForeignKey(
        Variant, on_delete=models.CASCADE, related_name="quantity_tiers", verbose_name=_("variant")
    )
    min_quantity = models.PositiveIntegerField(_("from quantity"))
    unit_price = amount_field(_("unit price"))
    currency = currency_field(verbose_name=_("currency"))

    class Meta:
        verbose_name = _("quantity tier")
        verbose_name_plural = _("quantity tiers")
        ordering = ["variant", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "min_quantity"], name="quantity_tier_unique"),
            models.CheckConstraint(
                condition=Q(min_quantity__gte=2, min_quantity__lte=MAX_QUANTITY), name="quantity_tier_min_range"
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="quantity_tier_price_ge_0"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} from {self.min_quantity}"


class OrderRule(models.Model):
    """How a variant may be ordered: at least `min_quantity` units, in multiples of `multiple` (the minimum is
    itself a multiple). Without a rule any quantity from 1 goes."""

    variant = models.OneToOneField(
        Variant, on_delete=models.CASCADE, related_name="order_rule", verbose_name=_("variant")
    )
    min_quantity = models.PositiveIntegerField(_("minimum order quantity"), default=1)
    multiple = models.PositiveIntegerField(_("order multiple"), default=1)

    class Meta:
        verbose_name = _("order rule")
        verbose_name_plural = _("order rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_quantity__gte=1, min_quantity__lte=MAX_QUANTITY), name="order_rule_min_range"
            ),
            models.CheckConstraint(
                condition=Q(multiple__gte=1, multiple__lte=MAX_QUANTITY), name="order_rule_multiple_range"
            ),
            models.CheckConstraint(
                condition=Exact(Mod("min_quantity", "multiple"), 0), name="order_rule_min_is_a_multiple"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}: min {self.min_quantity} × {self.multiple}"
