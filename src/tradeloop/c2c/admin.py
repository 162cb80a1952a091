"""The operator's back office for c2c: every table, records read-only."""

from django.contrib import admin

from tradeloop.c2c.models import Alert, SavedSearch, Watch
from tradeloop.core.admin import ReadOnlyAdmin

# --- watching and saved searches (watching.py) ---------------------------------------------------------------------


@admin.register(Watch)
class WatchAdmin(ReadOnlyAdmin):
    list_display = ("user", "product", "price_seen", "created_at")
    list_select_related = ("user", "product")
    search_fields = ("user__email", "product__title", "product__title_zh")
    raw_id_fields = ("user", "product")


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("user", "query", "category", "city", "max_price", "created_at")
    list_select_related = ("user", "category")
    search_fields = ("user__email", "query", "city")
    raw_id_fields = ("user", "category")


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("user", "kind", "product", "old_price", "new_price", "created_at", "read_at")
    list_filter = ("kind",)
    list_select_related = ("user", "product")
    search_fields = ("user__email", "product__title")
