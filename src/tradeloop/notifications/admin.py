from django.contrib import admin

from tradeloop.notifications.models import EmailLog


@admin.register(EmailLog)
class EmailLogAdmin(admin.ModelAdmin):
    """What was sent to whom: a support desk checks here whether a buyer got the "shipped" e-mail."""

    list_display = ("sent_at", "kind", "ref", "to", "subject")
    list_filter = ("kind",)
    search_fields = ("to", "ref", "subject")
    date_hierarchy = "sent_at"
    readonly_fields = ("kind", "ref", "to", "subject", "sent_at")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False
