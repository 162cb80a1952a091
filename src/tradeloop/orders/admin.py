"""Orders in the back office: find by number, buyer or SKU; state changes go through the services (and are
recorded in the timeline), so the state and money fields are read-only here."""

from django.contrib import admin

from tradeloop.orders.models import Adjustment, Order, OrderLine


class LineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = (
        "sku",
        "product_title",
        "variant_name",
        "quantity",
        "unit_price",
        "discount",
        "line_total",
        "quantity_shipped",
        "quantity_returned",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AdjustmentInline(admin.TabularInline):
    model = Adjustment
    extra = 0
    fields = ("kind", "label", "code", "amount", "line")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("number", "mode", "state", "seller", "buyer", "total", "currency", "placed_at")
    list_filter = ("state", "mode", "currency")
    search_fields = ("number", "buyer__email", "seller__name", "lines__sku")
    list_select_related = ("seller", "buyer")
    raw_id_fields = ("buyer", "buyer_org", "seller", "payment")
    readonly_fields = (
        "state",
        "subtotal",
        "discount_total",
        "shipping_total",
        "total",
        "refunded_total",
        "commission_rate",
        "paid_at",
        "shipped_at",
        "delivered_at",
        "completed_at",
        "cancelled_at",
    )
    date_hierarchy = "placed_at"
    inlines = [LineInline, AdjustmentInline]
    show_full_result_count = False


@admin.register(OrderLine)
class OrderLineAdmin(admin.ModelAdmin):
    list_display = ("order", "sku", "product_title", "quantity", "unit_price", "line_total", "quantity_shipped")
    search_fields = ("order__number", "sku", "product_title")
    list_select_related = ("order",)
    raw_id_fields = ("order", "variant")
    show_full_result_count = False


@admin.register(Adjustment)
class AdjustmentAdmin(admin.ModelAdmin):
    list_display = ("order", "kind", "label", "code", "amount")
    list_filter = ("kind",)
    search_fields = ("order__number", "code", "label")
    list_select_related = ("order",)
    raw_id_fields = ("order", "line")
    show_full_result_count = False
