from django.contrib import admin

from tradeloop.notifications.models import EmailLog, Notification, WebhookAttempt, WebhookDelivery, WebhookEndpoint


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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """In-site notices: a support desk checks whether a seller was told about a new order."""

    list_display = ("created_at", "kind", "ref", "recipient", "title", "read_at")
    list_filter = ("kind",)
    search_fields = ("ref", "title", "recipient__email")
    raw_id_fields = ("recipient",)
    readonly_fields = ("recipient", "kind", "ref", "title", "body", "link", "created_at", "read_at")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("at", "status_code", "duration_ms", "error", "response_excerpt")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "organization", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "organization__name")
    raw_id_fields = ("organization",)
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event_type", "event_id", "endpoint", "state", "attempts", "last_status")
    list_filter = ("state", "event_type")
    search_fields = ("event_id", "endpoint__url")
    raw_id_fields = ("endpoint",)
    readonly_fields = ("endpoint", "event_id", "event_key", "event_type", "payload", "created_at")
    inlines = [WebhookAttemptInline]
    show_full_result_count = False


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(admin.ModelAdmin):
    """Every HTTP request we made to an endpoint: what it answered and how long it took."""

    list_display = ("at", "delivery", "status_code", "duration_ms", "error")
    list_filter = ("status_code",)
    search_fields = ("delivery__event_id", "delivery__endpoint__url")
    raw_id_fields = ("delivery",)
    readonly_fields = ("delivery", "at", "status_code", "response_excerpt", "duration_ms", "error")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False
