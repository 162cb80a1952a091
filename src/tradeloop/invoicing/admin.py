from django.contrib import admin

from tradeloop.core.admin import ReadOnlyAdmin as ReadOnly
from tradeloop.core.admin import ReadOnlyInline
from tradeloop.invoicing.models import Invoice, InvoiceLine, InvoicePayment, InvoiceReminder, InvoiceSequence

# Read-only: invoices and their payments are money; only the services write them (console, API).

LINE_FIELDS = ("invoice", "kind", "sku", "description", "quantity", "unit_price", "amount")


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    readonly_fields = LINE_FIELDS[1:]


class InvoicePaymentInline(ReadOnlyInline):
    model = InvoicePayment
    readonly_fields = ("method", "amount", "currency", "reference", "payment", "recorded_by", "received_at")


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


@admin.register(InvoiceLine)
class InvoiceLineAdmin(ReadOnly):
    list_display = LINE_FIELDS
    list_select_related = ("invoice",)
    search_fields = ("invoice__number", "sku", "description")
