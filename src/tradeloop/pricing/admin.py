"""Operator back office for pricing: sellers' price lists (with their prices and companies), public quantity tiers
and order rules can be inspected and corrected. Saving forgets the product pages' cached price tables."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tradeloop.pricing.models import OrderRule, PriceList, PriceListAssignment, PriceListEntry, QuantityTier
from tradeloop.pricing.selectors import forget_display


class AssignmentInline(admin.TabularInline):
    model = PriceListAssignment
    extra = 0
    fields = ("buyer", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("buyer",)


class EntryInline(admin.TabularInline):
    model = PriceListEntry
    extra = 0
    fields = ("variant", "min_quantity", "unit_price")
    raw_id_fields = ("variant",)


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = ("name", "seller", "currency", "priority", "valid_from", "valid_until", "is_active")
    list_filter = ("is_active", "currency")
    list_select_related = ("seller",)
    search_fields = ("name", "seller__name")
    autocomplete_fields = ("seller",)
    readonly_fields = ("created_at",)
    inlines = [AssignmentInline, EntryInline]
    actions = ("switch_off",)

    @admin.action(description=_("Switch the selected price lists off"))
    def switch_off(self, request, queryset):
        queryset.update(is_active=False)


class VariantDisplayAdmin(admin.ModelAdmin):
    """A row that shows on a product page (a tier, an order rule): saving or deleting it refreshes the page's cache."""

    list_select_related = ("variant__product",)
    search_fields = ("variant__sku", "variant__product__title")
    raw_id_fields = ("variant",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_display([obj.variant_id])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_display([obj.variant_id])


@admin.register(QuantityTier)
class QuantityTierAdmin(VariantDisplayAdmin):
    list_display = ("variant", "min_quantity", "unit_price", "currency")


@admin.register(OrderRule)
class OrderRuleAdmin(VariantDisplayAdmin):
    list_display = ("variant", "min_quantity", "multiple")


@admin.register(PriceListAssignment)
class PriceListAssignmentAdmin(admin.ModelAdmin):
    list_display = ("price_list", "buyer", "created_at")
    list_select_related = ("price_list", "buyer")
    search_fields = ("price_list__name", "buyer__name")
    autocomplete_fields = ("buyer",)
    raw_id_fields = ("price_list",)


@admin.register(PriceListEntry)
class PriceListEntryAdmin(admin.ModelAdmin):
    list_display = ("price_list", "variant", "min_quantity", "unit_price")
    list_select_related = ("price_list", "variant__product")
    search_fields = ("price_list__name", "variant__sku")
    raw_id_fields = ("price_list", "variant")
