from django.contrib import admin

from tradeloop.invoicing.models import Invoice, InvoiceLine, InvoicePayment, InvoiceReminder, InvoiceSequence


class ReadOnly(admin.ModelAdmin):
    """Read-only: invoices and their payments are money; only the services write them (console, API)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "sku", "description", "quantity", "unit_price", "amount")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class InvoicePaymentInline(admin.TabularInline):
    model = InvoicePayment
    extra = 0
    can_delete = False
    readonly_fields = ("method", "amount", "currency", "reference", "payment", "recorded_by", "received_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnly):
    list_display = (
        "number",
        "seller",
        "buyer_org",
        "order",
        "kind",
        "state",
        "total",
        "paid_amount",
        "currency",
        "due_at",
    )
    list_filter = ("state", "kind", "currency")
    search_fields = ("number", "order__number", "seller__name", "buyer_org__name")
    list_select_related = ("seller", "buyer_org", "order")
    raw_id_fields = ("seller", "buyer_org", "buyer", "order")
    date_hierarchy = "issued_at"
    inlines = [InvoiceLineInline, InvoicePaymentInline]
    show_full_result_count = False


@admin.register(InvoicePayment)
class InvoicePaymentAdmin(ReadOnly):
    list_display = ("invoice", "method", "amount", "currency", "reference", "received_at", "recorded_by")
    list_filter = ("method", "currency")
    search_fields = ("invoice__number", "reference")
    list_select_related = ("invoice", "recorded_by")
    raw_id_fields = ("invoice", "payment", "recorded_by")


@admin.register(InvoiceReminder)
class InvoiceReminderAdmin(ReadOnly):
    list_display = ("invoice", "key", "sent_at")
    search_fields = ("invoice__number",)
    list_select_related = ("invoice",)


@admin.register(InvoiceSequence)
class InvoiceSequenceAdmin(ReadOnly):
    list_display = ("seller", "year", "last_number")
    list_select_related = ("seller",)
