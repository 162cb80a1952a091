"""The operator's review of seller verifications: the queue (submitted applications, oldest first), each
application's data, documents (opened through trust's guarded view) and history, and the decision form
(approve / reject with a reason / ask for more). Records change only through trust.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.core.admin import ReadOnlyAdmin, ReadOnlyInline
from tradeloop.core.errors import DomainError
from tradeloop.trust import selectors, services
from tradeloop.trust.models import Document, Verification

State = Verification.State


class QueueFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("waiting", _("Waiting for review")), ("all", _("All"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(state=State.SUBMITTED)
        return queryset


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ("kind", "open_link", "content_type", "size", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def open_link(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("trust:document", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, obj.original_name or obj.pk)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            (State.APPROVED, _("Approve")),
            (State.REJECTED, _("Reject")),
            (State.MORE_INFO, _("Ask for more")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason (the seller reads it; needed to reject or ask for more)"),
        required=False,
        max_length=services.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ("organization", "kind", "state", "legal_name", "registration_number", "submitted_at", "decided_at")
    list_filter = (QueueFilter, "state", "organization__kind")
    list_select_related = ("organization",)
    search_fields = ("organization__name", "legal_name", "registration_number", "contact_email")
    ordering = ("submitted_at", "id")  # the queue: oldest first
    fields = (
        "organization",
        "state",
        "review_link",
        "country",
        "legal_name",
        "registration_number",
        "registered_address",
        "contact_name",
        "contact_phone",
        "contact_email",
        "identity_level",
        "reason",
        "submitted_at",
        "decided_at",
        "decided_by",
        "history",
    )
    readonly_fields = fields
    inlines = [DocumentInline]

    @admin.display(description=_("kind"), ordering="organization__kind")
    def kind(self, obj):
        return obj.organization.get_kind_display()

    @admin.display(description=_("review"))
    def review_link(self, obj):
        if obj.pk is None or obj.state != State.SUBMITTED:
            return "—"
        url = reverse("admin:trust_verification_review", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, gettext("Review this application"))

    @admin.display(description=_("history"))
    def history(self, obj):
        rows = selectors.history(obj)
        if not rows:
            return "—"
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} · {} → {} · {} · {}</li>",
                ((e.at.strftime("%Y-%m-%d %H:%M"), e.old or "—", e.new, e.actor or "—", e.reason or "") for e in rows),
            ),
        )

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [path("<int:verification_id>/review/", review, name="trust_verification_review"), *super().get_urls()]

    def review_view(self, request, verification_id: int):
        verification = (
            Verification.objects.select_related("organization")
            .prefetch_related("documents")
            .filter(pk=verification_id)
            .first()
        )
        if verification is None:
            raise Http404("application not found")
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.decide(
                    actor=request.user,
                    verification_id=verification.pk,
                    to=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form.add_error("reason" if exc.field == "reason" else None, exc.message)
            else:
                messages.success(request, gettext("Decision recorded; the seller is told."))
                return redirect("admin:trust_verification_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Review %(org)s") % {"org": verification.organization.name},
            "verification": verification,
            "documents": [(d, reverse("trust:document", args=[d.pk])) for d in verification.documents.all()],
            "history": selectors.history(verification),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/trust/verification_review.html", context, status=400 if form.errors else 200
        )


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("verification", "kind", "original_name", "content_type", "size", "uploaded_at")
    list_filter = ("kind",)
    list_select_related = ("verification__organization",)
    search_fields = ("verification__organization__name", "original_name")
