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


# --- escrow and disputes (escrow.py, disputes.py) ------------------------------------------------------------------

from django import forms  # noqa: E402
from django.contrib import messages  # noqa: E402
from django.http import Http404  # noqa: E402
from django.shortcuts import redirect  # noqa: E402
from django.template.response import TemplateResponse  # noqa: E402
from django.urls import path, reverse  # noqa: E402
from django.utils.html import format_html, format_html_join  # noqa: E402
from django.utils.translation import gettext  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from tradeloop.c2c import disputes as dispute_services  # noqa: E402
from tradeloop.c2c.models import Dispute, DisputeMessage, DisputePhoto, Escrow  # noqa: E402
from tradeloop.core.admin import ReadOnlyInline  # noqa: E402
from tradeloop.core.errors import DomainError  # noqa: E402


@admin.register(Escrow)
class EscrowAdmin(ReadOnlyAdmin):
    list_display = ("order", "state", "amount", "currency", "confirm_by", "extended", "held_at", "closed_at")
    list_filter = ("state", "delivery_speed")
    list_select_related = ("order",)
    search_fields = ("order__number", "order__buyer__email")


class DisputeMessageInline(ReadOnlyInline):
    model = DisputeMessage
    fields = ("created_at", "side", "author", "text", "photo_links")
    readonly_fields = fields

    @admin.display(description=_("photos"))
    def photo_links(self, obj):
        links = format_html_join(
            " ",
            '<a href="{}">{}</a>',
            ((reverse("c2c:dispute_photo", args=[obj.dispute_id, p.pk]), p.pk) for p in obj.photos.all()),
        )
        return links or "—"


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=Dispute.Outcome.choices)
    amount = forms.DecimalField(
        label=_("amount to refund (partial refund only)"), required=False, max_digits=18, decimal_places=4
    )
    note = forms.CharField(
        label=_("note to both sides (posted in the thread)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ("pk", "order_number", "reason", "state", "outcome", "opened_at", "answer_by", "refund_amount")
    list_filter = ("state", "reason", "outcome")
    list_select_related = ("escrow__order",)
    search_fields = ("escrow__order__number", "opened_by__email", "description")
    readonly_fields = ("resolve_link",)
    inlines = [DisputeMessageInline]

    @admin.display(description=_("order"))
    def order_number(self, obj):
        return obj.escrow.order.number

    @admin.display(description=_("resolve"))
    def resolve_link(self, obj):
        if obj.pk is None or obj.state not in Dispute.OPEN or obj.state == Dispute.State.RETURNING:
            return "—"
        url = reverse("admin:c2c_dispute_resolve", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, gettext("Resolve this dispute"))

    def get_urls(self):
        resolve = self.admin_site.admin_view(self.resolve_view)
        return [path("<int:dispute_id>/resolve/", resolve, name="c2c_dispute_resolve"), *super().get_urls()]

    def resolve_view(self, request, dispute_id: int):
        dispute = Dispute.objects.select_related("escrow__order").filter(pk=dispute_id).first()
        if dispute is None:
            raise Http404("dispute not found")
        form = ResolveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                dispute_services.resolve(
                    actor=request.user,
                    dispute_id=dispute.pk,
                    outcome=form.cleaned_data["outcome"],
                    amount=form.cleaned_data["amount"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                form.add_error("amount" if exc.field == "amount" else None, exc.message)
            else:
                messages.success(request, gettext("Dispute resolved."))
                return redirect("admin:c2c_dispute_change", dispute.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Resolve dispute %(id)s") % {"id": dispute.pk},
            "dispute": dispute,
            "form": form,
            "opts": self.model._meta,
            "held": dispute_services.ledger.order_money(dispute.escrow.order).in_escrow,
        }
        return TemplateResponse(request, "admin/c2c/dispute_resolve.html", context, status=400 if form.errors else 200)


@admin.register(DisputeMessage)
class DisputeMessageAdmin(ReadOnlyAdmin):
    list_display = ("dispute", "side", "author", "created_at")
    list_filter = ("side",)
    list_select_related = ("dispute", "author")
    search_fields = ("text",)


@admin.register(DisputePhoto)
class DisputePhotoAdmin(ReadOnlyAdmin):
    list_display = ("message", "image")
    list_select_related = ("message",)


# --- ratings and seller standing (ratings.py, standing.py) -------------------------------------------------------

from tradeloop.c2c.models import Rating, SellerStanding  # noqa: E402


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("order", "side", "rater", "ratee_org", "ratee_user", "stars", "created_at", "visible_from")
    list_filter = ("side", "stars")
    list_select_related = ("order", "rater", "ratee_org", "ratee_user")
    search_fields = ("order__number", "rater__email", "ratee_org__name", "ratee_user__email", "text")
    raw_id_fields = ("order", "rater", "ratee_org", "ratee_user")


@admin.register(SellerStanding)
class SellerStandingAdmin(ReadOnlyAdmin):
    """Computed by c2c.standing.refresh (on every change of the record, and nightly)."""

    list_display = (
        "seller",
        "level",
        "completed_sales",
        "rating_avg",
        "rating_count",
        "dispute_rate",
        "late_shipment_rate",
        "refreshed_at",
    )
    list_filter = ("level",)
    list_select_related = ("seller",)
    search_fields = ("seller__name",)


# --- listings (listings.py) ----------------------------------------------------------------------------------------

from tradeloop.c2c.models import Listing, ProhibitedCategory  # noqa: E402


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    """Private listings: changed by their sellers (renew, withdraw, edit) and the expiry sweep, not here."""

    list_display = ("product", "state", "city", "district", "ships", "local_pickup", "expires_at", "renewals")
    list_filter = ("state", "delivery_speed", "ships", "local_pickup")
    list_select_related = ("product",)
    search_fields = ("product__title", "product__title_zh", "city", "product__seller__name")


@admin.register(ProhibitedCategory)
class ProhibitedCategoryAdmin(admin.ModelAdmin):
    """Categories private sellers may not list in (their subtrees too); the reason is shown to the seller."""

    list_display = ("category", "reason", "reason_zh")
    list_select_related = ("category",)
    search_fields = ("category__name", "category__name_zh", "reason")
    raw_id_fields = ("category",)
