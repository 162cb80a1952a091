from django.contrib import admin

from tradeloop.core.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("at", "subject_type", "subject_id", "old", "new", "actor", "reason")
    list_filter = ("subject_type", "new")
    search_fields = ("subject_type", "reason", "actor__email")
    date_hierarchy = "at"
    list_select_related = ("actor",)
    readonly_fields = [f.name for f in Event._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
