"""Operator back office for b2b: companies (approve / reject, payment terms, credit limit), approvals (read-only)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from tradeloop.b2b import companies, showcase
from tradeloop.b2b.models import (
    Company,
    CompanyAddress,
    OrderApproval,
    Rfq,
    RfqAttachment,
    RfqLine,
    RfqQuote,
    SpendingLimit,
    SupplierProfile,
)
from tradeloop.core.admin import ReadOnlyAdmin, ReadOnlyInline
from tradeloop.core.errors import DomainError
from tradeloop.orders.terms import TERMS_CHOICES


class CompanyAddressInline(admin.TabularInline):
    model = CompanyAddress
    extra = 0
    fields = ("label", "name", "phone", "line1", "city", "country", "is_default")


class CompanyForm(forms.ModelForm):
    payment_terms = forms.ChoiceField(label=_("payment terms"), choices=[(code, code) for code in TERMS_CHOICES])
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Company
        fields = ("registration_number", "tax_id", "website", "payment_terms", "credit_limit", "currency")


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    """The operator approves new companies (action: recorded as an event) and sets their terms and credit limit."""

    form = CompanyForm
    list_display = ("organization", "state", "payment_terms", "credit_limit", "currency", "created_at", "decided_at")
    list_filter = ("state", "payment_terms", "currency")
    search_fields = ("organization__name", "registration_number", "tax_id")
    list_select_related = ("organization",)
    readonly_fields = ("organization", "state", "created_at", "decided_at")
    fields = (
        "organization",
        "state",
        "registration_number",
        "tax_id",
        "website",
        "payment_terms",
        "credit_limit",
        "currency",
        "created_at",
        "decided_at",
    )
    inlines = [CompanyAddressInline]
    actions = ["approve_companies", "reject_companies"]

    def has_add_permission(self, request) -> bool:
        return False  # a company registers itself (web or API)

    def save_model(self, request, obj, form, change) -> None:
        companies.set_terms(
            operator=request.user,
            company=obj,
            payment_terms=form.cleaned_data["payment_terms"],
            credit_limit=form.cleaned_data["credit_limit"],
            currency=form.cleaned_data["currency"],
        )
        Company.objects.filter(pk=obj.pk).update(
            registration_number=obj.registration_number, tax_id=obj.tax_id, website=obj.website
        )

    def _decide(self, request, queryset, to: str, reason: str) -> None:
        done = 0
        for company in queryset:
            try:
                companies.decide(operator=request.user, company=company, to=to, reason=reason)
                done += 1
            except DomainError as refused:
                self.message_user(request, f"{company}: {refused.message}", messages.WARNING)
        if done:
            self.message_user(request, _("%(count)s companies updated.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected companies (they may buy on payment terms)"))
    def approve_companies(self, request, queryset) -> None:
        self._decide(request, queryset, Company.State.APPROVED, str(_("approved by the operator")))

    @admin.action(description=_("Reject the selected companies"))
    def reject_companies(self, request, queryset) -> None:
        self._decide(request, queryset, Company.State.REJECTED, str(_("rejected by the operator")))


@admin.register(SpendingLimit)
class SpendingLimitAdmin(admin.ModelAdmin):
    list_display = ("membership", "amount", "currency", "updated_at")
    list_select_related = ("membership__user", "membership__organization", "membership__role")
    raw_id_fields = ("membership",)


@admin.register(OrderApproval)
class OrderApprovalAdmin(admin.ModelAdmin):
    """Read-only: approvers decide in the company pages; the decision is on the order timeline."""

    list_display = ("order", "company", "requested_by", "decision", "decided_by", "requested_at", "decided_at")
    list_filter = ("decision",)
    list_select_related = ("order", "company__organization", "requested_by", "decided_by")
    search_fields = ("order__number", "company__organization__name", "requested_by__email")
    readonly_fields = [f.name for f in OrderApproval._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CompanyAddress)
class CompanyAddressAdmin(admin.ModelAdmin):
    list_display = ("company", "label", "name", "city", "is_default")
    list_select_related = ("company__organization",)
    search_fields = ("company__organization__name", "label", "name", "city")
    raw_id_fields = ("company",)


class RfqLineInline(ReadOnlyInline):
    model = RfqLine
    readonly_fields = ("position", "variant", "description", "quantity", "target_price")


class RfqQuoteInline(ReadOnlyInline):
    model = RfqQuote
    readonly_fields = ("supplier", "negotiation", "created_at")


@admin.register(Rfq)
class RfqAdmin(ReadOnlyAdmin):
    """Read-only: buyers send RFQs and suppliers quote in the pages and the API; the threads are negotiations."""

    list_display = ("title", "buyer_org", "supplier", "category", "state", "quote_count", "deadline", "created_at")
    list_filter = ("state",)
    list_select_related = ("buyer_org", "supplier", "category")
    search_fields = ("title", "buyer_org__name", "supplier__name")
    inlines = [RfqLineInline, RfqQuoteInline]


@admin.register(RfqLine)
class RfqLineAdmin(ReadOnlyAdmin):
    list_display = ("rfq", "position", "variant", "description", "quantity", "target_price")
    list_select_related = ("rfq", "variant")
    search_fields = ("rfq__title", "description", "variant__sku")


@admin.register(RfqAttachment)
class RfqAttachmentAdmin(ReadOnlyAdmin):
    """Names and sizes only: the files are private and downloaded through the RFQ page."""

    list_display = ("rfq", "name", "content_type", "size", "uploaded_by", "created_at")
    list_select_related = ("rfq", "uploaded_by")
    search_fields = ("rfq__title", "name")
    exclude = ("file",)


@admin.register(RfqQuote)
class RfqQuoteAdmin(ReadOnlyAdmin):
    list_display = ("rfq", "supplier", "negotiation", "created_at")
    list_select_related = ("rfq", "supplier")
    search_fields = ("rfq__title", "supplier__name")


@admin.register(SupplierProfile)
class SupplierProfileAdmin(admin.ModelAdmin):
    """A supplier's showcase for company buyers; the operator may correct it (the store page shows it at once)."""

    list_display = ("organization", "year_founded", "employees", "typical_moq", "lead_time_days", "updated_at")
    list_select_related = ("organization",)
    search_fields = ("organization__name", "organization__slug")
    raw_id_fields = ("organization",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        showcase.forget(obj.organization)
