from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.core import clock


class StoreDesign(models.Model):
    """A seller's store page: theme colours and an ordered list of sections, edited as a draft and then published.

    A section is {"type": banner|featured_products|category_grid|coupon_strip|notice, ...its settings}.
    """

    SECTION_TYPES = ("banner", "featured_products", "category_grid", "coupon_strip", "notice")

    seller = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="store_design")
    primary_colour = models.CharField(_("primary colour"), max_length=7, default="#c2410c")
    accent_colour = models.CharField(_("accent colour"), max_length=7, default="#0f766e")
    draft_sections = models.JSONField(default=list, blank=True)
    published_sections = models.JSONField(default=list, blank=True)
    published_primary = models.CharField(max_length=7, blank=True)
    published_accent = models.CharField(max_length=7, blank=True)
    updated_at = models.DateTimeField(default=clock.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("store design")
        verbose_name_plural = _("store designs")

    def __str__(self) -> str:
        return f"store design of {self.seller}"


def banner_path(instance: StoreImage, filename: str) -> str:
    return f"stores/{instance.seller_id}/{filename}"


class StoreImage(models.Model):
    seller = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="store_images")
    image = models.ImageField(upload_to=banner_path)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("store image")
        verbose_name_plural = _("store images")

    def __str__(self) -> str:
        return self.image.name
