from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.catalog.models import Category, Product
from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field


class Promotion(models.Model):
    """A discount rule: a coupon (has a code) or automatic (no code); a flash sale has its own stock cap."""

    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percentage off")
        FIXED = "fixed", _("Fixed amount off")
        FREE_SHIPPING = "free_shipping", _("Free shipping")
        BUY_X_GET_Y = "bxgy", _("Buy X get Y free")

    class Scope(models.TextChoices):
        ORDER = "order", _("Whole order")
        SELLER = "seller", _("A seller's goods")
        CATEGORY = "category", _("Categories")
        PRODUCT = "product", _("Products")

    seller = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="promotions",
        help_text="Empty: a platform-wide promotion run by the operator",
    )
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("coupon code"), max_length=40, blank=True, help_text="Empty: applies automatically")
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, default=0)
    buy_quantity = models.PositiveSmallIntegerField(default=0)
    get_quantity = models.PositiveSmallIntegerField(default=0)
    scope = models.CharField(_("applies to"), max_length=10, choices=Scope.choices, default=Scope.ORDER)
    categories = models.ManyToManyField(Category, blank=True, related_name="+")
    products = models.ManyToManyField(Product, blank=True, related_name="+")
    min_spend = amount_field(_("minimum spend"))
    currency = currency_field()
    starts_at = models.DateTimeField(_("starts"), default=clock.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    usage_limit = models.PositiveIntegerField(_("uses in total"), null=True, blank=True)
    per_customer_limit = models.PositiveIntegerField(_("uses per customer"), null=True, blank=True)
    used_count = models.PositiveIntegerField(default=0)
    flash_stock_cap = models.PositiveIntegerField(_("flash-sale units"), null=True, blank=True)
    flash_sold = models.PositiveIntegerField(default=0)
    stackable = models.BooleanField(_("combines with other promotions"), default=False)
    is_public = models.BooleanField(
        _("show in the store's coupon strip"), default=True, help_text="A coupon only some buyers are told about: off"
    )
    is_active = models.BooleanField(default=True)
    audience = models.CharField(
        max_length=40,
        blank=True,
        help_text="Empty: anyone with the code. Else the registered rule (promotions.eligibility) naming who may use it",
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "code"], condition=~Q(code=""), name="coupon_code_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="promotion_value_ge_0"),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(used_count__lte=F("usage_limit")),
                name="promotion_within_limit",
            ),
            models.CheckConstraint(
                condition=Q(flash_stock_cap__isnull=True) | Q(flash_sold__lte=F("flash_stock_cap")),
                name="flash_within_cap",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Redemption(models.Model):
    """A promotion used on an order. Counts for the per-customer limit; released if the order is cancelled unpaid."""

    promotion = models.ForeignKey(Promotion, on_delete=models.PROTECT, related_name="redemptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    order_ref = models.CharField(max_length=40, db_index=True)
    amount = amount_field()
    units = models.PositiveIntegerField(default=0, help_text="Flash-sale units taken")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("promotion use")
        verbose_name_plural = _("promotion uses")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["promotion", "order_ref"], name="one_redemption_per_order")]

    def __str__(self) -> str:
        return f"{self.promotion} on {self.order_ref}"
