from django.contrib import admin

from tradeloop.aftersales.models import ReturnLine, ReturnRequest


class ReturnLineInline(admin.TabularInline):
    model = ReturnLine
    extra = 0
    raw_id_fields = ("order_line",)
    readonly_fields = ("order_line", "quantity", "amount")


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    """Read-mostly: approving refunds money and restocks, which only the services do (console or API)."""

    list_display = ("pk", "order", "buyer", "kind", "state", "refund_amount", "currency", "created_at", "decided_at")
    list_filter = ("state", "kind", "currency")
    search_fields = ("order__number", "buyer__email", "reason")
    list_select_related = ("order", "buyer")
    raw_id_fields = ("order", "buyer", "decided_by")
    readonly_fields = ("state", "refund_amount", "currency", "created_at", "decided_at", "decided_by")
    date_hierarchy = "created_at"
    inlines = [ReturnLineInline]
    show_full_result_count = False


@admin.register(ReturnLine)
class ReturnLineAdmin(admin.ModelAdmin):
    list_display = ("request", "order_line", "quantity", "amount")
    search_fields = ("request__order__number", "order_line__sku")
    list_select_related = ("request", "order_line")
    raw_id_fields = ("request", "order_line")
