"""Operators see payments, refunds, webhook events and payouts (read-only: states change through the services)
and manage commission rules."""

from django.contrib import admin

from tradeloop.payments.models import CommissionRule, Payment, Payout, Refund, WebhookEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RefundInline(admin.TabularInline):
    model = Refund
    fields = ("ref", "amount", "currency", "state", "reason", "provider_ref", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("token", "payer", "purpose", "amount", "currency", "captured_amount", "refunded_amount", "state")
    list_filter = ("state", "provider", "currency")
    search_fields = ("token", "provider_ref", "purpose", "payer__email")
    date_hierarchy = "created_at"
    list_select_related = ("payer",)
    inlines = [RefundInline]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("ref", "payment", "amount", "currency", "state", "created_at")
    list_filter = ("state",)
    search_fields = ("ref", "provider_ref", "payment__token")
    list_select_related = ("payment",)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "provider", "event_id", "kind", "processed_at")
    list_filter = ("provider", "kind")
    search_fields = ("event_id",)
    date_hierarchy = "received_at"


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "seller", "amount", "currency", "state", "paid_at", "provider_ref")
    list_filter = ("state", "provider", "currency")
    search_fields = ("seller__name", "provider_ref")
    date_hierarchy = "created_at"
    list_select_related = ("seller",)


@admin.register(CommissionRule)
class CommissionRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "category", "seller_kind", "rate")
    list_filter = ("seller_kind",)
    search_fields = ("category__name",)
    list_select_related = ("category",)
    autocomplete_fields = ("category",)
