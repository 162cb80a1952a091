"""Analytics tables: counted visits per page and day, and the daily sales rollups the dashboard reads.

Both are derived data: VisitCount is filled from the visit buffer by `analytics.visits.flush`, DailySales and
DailyProduct by `analytics.rollups.refresh_day` (idempotent: a day is recomputed from the orders, never added to).
A row with no seller is the platform's (every seller together).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.core.fields import amount_field, currency_field


class VisitCount(models.Model):
    """Page views and visitors (one per visitor cookie/session per page and day) of one page on one local day."""

    class Kind(models.TextChoices):
        PRODUCT = "product", _("Product page")
        STORE = "store", _("Store page")
        PLACE = "place", _("Place page")
        LISTING = "listing", _("Listing page")

    day = models.DateField(_("day"))
    kind = models.CharField(_("page kind"), max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField(_("object id"))
    seller = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("seller")
    )
    views = models.PositiveIntegerField(_("views"), default=0)
    visitors = models.PositiveIntegerField(_("visitors"), default=0)

    class Meta:
        verbose_name = _("visit count")
        verbose_name_plural = _("visit counts")
        ordering = ["-day", "kind", "object_id"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "day"], name="visit_count_once")]
        indexes = [models.Index(fields=["seller", "day"], name="visit_seller_day")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} on {self.day}: {self.views}"


class DailySales(models.Model):
    """One seller's (or, without a seller, the platform's) sales of one local day in one currency.

    Orders count on the day they were placed once paid or confirmed on terms; refunds on the day they were made.
    """

    day = models.DateField(_("day"))
    seller = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("seller")
    )
    currency = currency_field()
    orders = models.PositiveIntegerField(_("orders"), default=0)
    gmv = amount_field(_("GMV"))
    units = models.PositiveIntegerField(_("units sold"), default=0)
    new_customers = models.PositiveIntegerField(_("first orders"), default=0)  # the buyer's first with this seller
    repeat_orders = models.PositiveIntegerField(_("repeat orders"), default=0)  # from a buyer who bought before
    refunds = models.PositiveIntegerField(_("refunds"), default=0)
    refunded = amount_field(_("refunded"))
    visits = models.PositiveIntegerField(_("page views"), default=0)
    visitors = models.PositiveIntegerField(_("visitors"), default=0)
    by_mode = models.JSONField(_("orders per mode"), default=dict, blank=True)  # {"b2c": [orders, "gmv"], …}
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("daily sales")
        verbose_name_plural = _("daily sales")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "day", "currency"], name="daily_sales_once"),
            models.UniqueConstraint(
                fields=["day", "currency"], condition=Q(seller__isnull=True), name="daily_sales_platform_once"
            ),
        ]
        indexes = [models.Index(fields=["seller", "day"], name="daily_sales_seller_day")]

    def __str__(self) -> str:
        return f"{self.seller_id or 'platform'} {self.day}: {self.orders} orders"


class DailyProduct(models.Model):
    """A seller's best-selling products of one day (the top ones only, see rollups.TOP_PER_DAY)."""

    day = models.DateField(_("day"))
    seller = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("seller")
    )
    currency = currency_field()
    product_id = models.BigIntegerField(_("product id"))
    title = models.CharField(_("title"), max_length=200)
    units = models.PositiveIntegerField(_("units sold"), default=0)
    revenue = amount_field(_("revenue"))

    class Meta:
        verbose_name = _("daily product sales")
        verbose_name_plural = _("daily product sales")
        ordering = ["-day", "-revenue"]
        indexes = [models.Index(fields=["seller", "day"], name="daily_product_seller_day")]

    def __str__(self) -> str:
        return f"{self.title} on {self.day}: {self.units}"
