"""The operator's view of the derived analytics tables (read-only: they are recomputed, never edited)."""

from django.contrib import admin

from tradeloop.analytics.models import DailyProduct, DailySales, VisitCount


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(VisitCount)
class VisitCountAdmin(ReadOnly):
    list_display = ("day", "kind", "object_id", "seller", "views", "visitors")
    list_filter = ("kind",)
    date_hierarchy = "day"
    list_select_related = ("seller",)


@admin.register(DailySales)
class DailySalesAdmin(ReadOnly):
    list_display = ("day", "seller", "currency", "orders", "gmv", "refunded", "visitors", "computed_at")
    date_hierarchy = "day"
    list_select_related = ("seller",)


@admin.register(DailyProduct)
class DailyProductAdmin(ReadOnly):
    list_display = ("day", "seller", "title", "units", "revenue", "currency")
    date_hierarchy = "day"
    list_select_related = ("seller",)
