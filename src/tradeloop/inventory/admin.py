"""Operators see warehouses, stock and its history; levels change through the services (console, API), so the
counters are read-only here: an edit in admin would bypass the movements and the variant's available total."""

from django.contrib import admin

from tradeloop.core.admin import ReadOnlyAdmin, ReadOnlyInline
from tradeloop.inventory.models import Receipt, ReceiptLine, Reservation, Stock, StockMovement, SupplySource, Warehouse


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "seller", "city", "priority", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code", "seller__name")
    list_select_related = ("seller",)
    raw_id_fields = ("seller",)


class MovementInline(admin.TabularInline):
    model = StockMovement
    extra = 0
    can_delete = False
    fields = ("at", "reason", "on_hand_delta", "reserved_delta", "ref", "note", "actor")
    readonly_fields = fields
    ordering = ("-at", "-id")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Stock)
class StockAdmin(admin.ModelAdmin):
    list_display = ("variant", "warehouse", "on_hand", "reserved", "low_stock_threshold")
    search_fields = ("variant__sku", "variant__product__title", "variant__product__title_zh", "warehouse__name")
    list_select_related = ("variant__product", "warehouse")
    raw_id_fields = ("variant", "warehouse")
    readonly_fields = ("on_hand", "reserved")
    inlines = [MovementInline]
    show_full_result_count = False


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    list_display = ("at", "stock", "reason", "on_hand_delta", "reserved_delta", "ref", "actor")
    list_filter = ("reason",)
    search_fields = ("ref", "stock__variant__sku", "note")
    list_select_related = ("stock__variant__product", "stock__warehouse", "actor")
    raw_id_fields = ("stock", "actor")
    date_hierarchy = "at"
    show_full_result_count = False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the stock ledger is append-only


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    list_display = ("ref", "stock", "quantity", "state", "expires_at")
    list_filter = ("state",)
    search_fields = ("ref", "stock__variant__sku")
    list_select_related = ("stock__variant__product", "stock__warehouse")
    raw_id_fields = ("stock",)
    readonly_fields = ("state",)
    show_full_result_count = False


@admin.register(SupplySource)
class SupplySourceAdmin(admin.ModelAdmin):
    list_display = ("merchant", "variant", "supplier_variant", "units_per_pack", "created_at")
    list_select_related = ("merchant", "variant__product", "supplier_variant__product")
    search_fields = ("merchant__name", "variant__sku", "supplier_variant__sku")
    raw_id_fields = ("merchant", "variant", "supplier_variant")


class ReceiptLineInline(ReadOnlyInline):
    model = ReceiptLine
    readonly_fields = ("line_ref", "supplier_variant", "variant", "quantity", "units")


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    """Goods received are a record: they raised the stock when they were made."""

    list_display = ("merchant", "warehouse", "purchase_ref", "reference", "received_at")
    list_select_related = ("merchant", "warehouse")
    search_fields = ("merchant__name", "purchase_ref", "reference")
    inlines = [ReceiptLineInline]


@admin.register(ReceiptLine)
class ReceiptLineAdmin(ReadOnlyAdmin):
    list_display = ("receipt", "line_ref", "variant", "quantity", "units")
    list_select_related = ("receipt", "variant__product")
    search_fields = ("line_ref", "variant__sku")
