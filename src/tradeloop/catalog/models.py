from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.core import clock


def reads_chinese(language: str | None = None) -> bool:
    """Whether content is shown in Simplified Chinese: for the language given, else the active one."""
    return (language or get_language() or "").lower().startswith("zh")


def in_language(english, chinese, language: str | None = None):
    """The text (or mapping) for the language, falling back to the other one when it is empty. Content is written
    in English and in Simplified Chinese; every language but Chinese reads the English first."""
    first, second = (chinese, english) if reads_chinese(language) else (english, chinese)
    return first or second


class Category(models.Model):
    """A tree kept as a materialised path ("electronics/adc/"), so a subtree is one `startswith`."""

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_zh = models.CharField(_("Chinese name"), max_length=120, blank=True)
    path = models.CharField(max_length=500, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path if self.parent else ''}{self.slug}/"
        self.depth = self.path.count("/") - 1
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_zh)


class ProductQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Product.Status.PUBLISHED, seller__is_active=True)


class Product(models.Model):
    class Kind(models.TextChoices):
        PHYSICAL = "physical", _("Physical goods")
        LISTING = "listing", _("Second-hand listing")
        DEAL = "deal", _("Local deal")
        SERVICE = "service", _("Service")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    class Condition(models.TextChoices):
        NEW = "new", _("New")
        LIKE_NEW = "like_new", _("Like new")
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")

    ALLOWED = {
        Status.DRAFT: {Status.PUBLISHED},
        Status.PUBLISHED: {Status.UNPUBLISHED},
        Status.UNPUBLISHED: {Status.PUBLISHED},
    }
    STATE_FIELD = "status"
    TRANSITION_ALSO_SAVES = ("published_at",)

    seller = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PHYSICAL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Content in English and in Simplified Chinese; either may be empty (a product needs one title), and
    # `localized()` reads the active language's, falling back to the other.
    title = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Simplified Chinese)"), max_length=200, blank=True)
    slug = models.SlugField(max_length=220, allow_unicode=True)
    description = models.TextField(_("description (English)"), blank=True, help_text="Sanitised HTML")
    description_zh = models.TextField(_("description (Simplified Chinese)"), blank=True, help_text="Sanitised HTML")
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices, default=Condition.NEW)
    attributes = models.JSONField(_("attributes (English)"), default=dict, blank=True)
    attributes_zh = models.JSONField(_("attributes (Simplified Chinese)"), default=dict, blank=True)
    # Denormalised for list pages (kept in step by catalog.services.refresh_summary):
    currency = models.CharField(max_length=3, default="CNY")
    price_from = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    compare_at_from = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    in_stock = models.BooleanField(default=False)
    cover = models.CharField(max_length=300, blank=True)
    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(default=0)
    # units of its paid (or confirmed on terms) order lines, less those of cancelled ones (orders.receivers)
    sold_count = models.PositiveIntegerField(_("sold"), default=0)
    is_featured = models.BooleanField(default=False)
    return_window_days = models.PositiveSmallIntegerField(
        _("return window (days)"),
        null=True,
        blank=True,
        help_text=_("Days after delivery in which buyers may return it without a reason; empty: the platform default."),
    )
    created_at = models.DateTimeField(default=clock.now, db_index=True)
    updated_at = models.DateTimeField(default=clock.now)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="product_feed"),
            models.Index(fields=["status", "price_from", "id"], name="product_price"),
            # The home page's strips and sorts read these in order and stop after a page: flat cost at any size.
            models.Index(fields=["status", "kind", "-created_at", "-id"], name="product_kind_feed"),
            models.Index(
                fields=["status", "-is_featured", "-rating_avg", "-created_at", "-id"], name="product_featured"
            ),
            models.Index(fields=["status", "-rating_avg", "-id"], name="product_rating"),
            models.Index(fields=["seller", "status"], name="product_seller"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price_from__gte=0) | Q(price_from=None), name="product_price_ge_0"),
            models.CheckConstraint(condition=~Q(title="") | ~Q(title_zh=""), name="product_has_title"),
        ]

    def __str__(self) -> str:
        return self.display_title

    TRANSLATED = ("title", "description", "attributes")

    def localized(self, name: str, language: str | None = None):
        """Title, description or attributes in the language (default: the active one), else the other's."""
        if name not in self.TRANSLATED:
            raise ValueError(f"{name!r} is not translated")
        return in_language(getattr(self, name), getattr(self, f"{name}_zh"), language)

    @property
    def display_title(self) -> str:
        return self.localized("title")

    @property
    def display_description(self) -> str:
        return self.localized("description")

    @property
    def display_attributes(self) -> dict:
        return self.localized("attributes")

    @property
    def effective_return_window_days(self) -> int:
        if self.return_window_days is not None:
            return self.return_window_days
        return getattr(settings, "TRADELOOP_RETURN_WINDOW_DAYS", 7)

    @property
    def is_discounted(self) -> bool:
        return bool(self.compare_at_from and self.price_from is not None and self.compare_at_from > self.price_from)


class Variant(models.Model):
    """A SKU: what a buyer actually picks (a size, a colour, a box of 50)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name (English)"), max_length=120, blank=True)
    name_zh = models.CharField(_("name (Simplified Chinese)"), max_length=120, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    price = models.DecimalField(_("price"), max_digits=18, decimal_places=4)
    compare_at_price = models.DecimalField(_("original price"), max_digits=18, decimal_places=4, null=True, blank=True)
    currency = models.CharField(max_length=3, default="CNY")
    stock = models.IntegerField(_("stock"), default=0)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), default=0)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["sku"], name="variant_sku")]  # the importer's and the stock feed's lookup
        constraints = [
            models.UniqueConstraint(fields=["product", "sku"], name="variant_sku_unique_per_product"),
            models.CheckConstraint(condition=Q(price__gte=0), name="variant_price_ge_0"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="variant_stock_ge_0"),
            models.CheckConstraint(
                condition=Q(compare_at_price=None) | Q(compare_at_price__gte=F("price")),
                name="variant_compare_at_ge_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.display_title} — {self.display_name or self.sku}"

    @property
    def display_name(self) -> str:
        """The variant's name in the active language, else the other's."""
        return in_language(self.name, self.name_zh)


def product_image_path(instance: ProductImage, filename: str) -> str:
    return f"products/{instance.product_id}/{filename}"


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=product_image_path)
    thumbnail = models.ImageField(upload_to=product_image_path, blank=True)
    alt = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt or self.image.name
