from django.contrib import admin

from tradeloop.core.models import Event, IdempotencyKey


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records of what happened (money, goods received): only the services write them, the operator reads."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    """Remembered answers of money-moving POSTs (read-only: they are evidence of what a client was told)."""

    list_display = ("created_at", "scope", "key", "user", "status_code")
    list_filter = ("scope", "status_code")
    search_fields = ("key", "scope", "user__email")
    list_select_related = ("user",)
    readonly_fields = [f.name for f in IdempotencyKey._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
