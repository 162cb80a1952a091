"""Operator back office for store decoration: see (and if needed fix) a store's design and its uploaded images."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tradeloop.storefront.models import StoreDesign, StoreImage


@admin.register(StoreDesign)
class StoreDesignAdmin(admin.ModelAdmin):
    list_display = ("seller", "primary_colour", "accent_colour", "sections", "updated_at", "published_at")
    list_select_related = ("seller",)
    search_fields = ("seller__name", "seller__slug")
    autocomplete_fields = ("seller",)
    readonly_fields = ("updated_at", "published_at")

    @admin.display(description=_("published sections"))
    def sections(self, obj: StoreDesign) -> int:
        return len(obj.published_sections or [])


@admin.register(StoreImage)
class StoreImageAdmin(admin.ModelAdmin):
    list_display = ("image", "seller", "created_at")
    list_select_related = ("seller",)
    search_fields = ("seller__name", "image")
    autocomplete_fields = ("seller",)
    date_hierarchy = "created_at"
