from django.contrib import admin

from tradeloop.fulfilment.models import Shipment, ShipmentLine, ShippingMethod


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = ("name", "seller", "kind", "rate", "free_over", "currency", "delivery_days", "is_active", "position")
    list_filter = ("kind", "is_active", "currency")
    search_fields = ("name", "seller__name")
    list_select_related = ("seller",)
    autocomplete_fields = ("seller",)


class ShipmentLineInline(admin.TabularInline):
    model = ShipmentLine
    extra = 0
    raw_id_fields = ("order_line",)


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    """Operators look parcels up by tracking number; state changes go through the console or the carrier."""

    list_display = ("tracking_number", "carrier", "order", "state", "shipped_at", "delivered_at", "shipped_by")
    list_filter = ("state", "carrier")
    search_fields = ("tracking_number", "carrier", "order__number")
    list_select_related = ("order", "shipped_by")
    raw_id_fields = ("order", "shipped_by")
    readonly_fields = ("state",)
    date_hierarchy = "shipped_at"
    inlines = [ShipmentLineInline]
    show_full_result_count = False


@admin.register(ShipmentLine)
class ShipmentLineAdmin(admin.ModelAdmin):
    list_display = ("shipment", "order_line", "quantity")
    search_fields = ("shipment__tracking_number", "order_line__sku")
    list_select_related = ("shipment", "order_line")
    raw_id_fields = ("shipment", "order_line")
