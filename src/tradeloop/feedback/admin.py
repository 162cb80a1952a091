"""The operator's back office for the value ring: unmet searches, suggestions with their votes and events, and
private order feedback."""

from django.contrib import admin

from tradeloop.feedback.models import DemandSearch


@admin.register(DemandSearch)
class DemandSearchAdmin(admin.ModelAdmin):
    list_display = ("term", "region", "category", "day", "searches", "last_results", "last_seen")
    list_filter = ("day",)
    search_fields = ("term", "sample", "region")
    list_select_related = ("category",)
    readonly_fields = ("term", "sample", "region", "category", "day", "searches", "last_results", "last_seen")
