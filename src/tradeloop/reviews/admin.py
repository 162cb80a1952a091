"""The operator's back office for reviews: the moderation queue (reported reviews first, then those held as near
duplicates; hide with a reason, show, or keep and dismiss the reports), helpful votes, reports, seller reputations.
Every decision goes through reviews.services, so the target's rating follows and the decision is recorded as an event."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.core.errors import DomainError
from tradeloop.core.models import Event
from tradeloop.reviews import reputation, services
from tradeloop.reviews.models import HelpfulVote, Reputation, Review, ReviewPhoto, ReviewReport


class ReviewPhotoInline(admin.TabularInline):
    model = ReviewPhoto
    extra = 0
    readonly_fields = ("image", "position")
    can_delete = False


class ReviewReportInline(admin.TabularInline):
    model = ReviewReport
    extra = 0
    fields = ("reason", "note", "reporter", "created_at", "resolved_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class QueueFilter(admin.SimpleListFilter):
    title = _("moderation")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("waiting", _("Waiting for a decision (reported or held)")), ("reported", _("Reported"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(pk__in=services_queue_ids())
        if self.value() == "reported":
            return queryset.filter(open_reports__gt=0)
        return queryset


def services_queue_ids():
    from tradeloop.reviews.selectors import moderation_queue

    return moderation_queue().values("pk")


class ModerationForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ("state", "hidden_reason")

    def clean(self):
        data = super().clean()
        if data.get("state") == Review.State.HIDDEN and not (data.get("hidden_reason") or "").strip():
            self.add_error("hidden_reason", gettext("Say why the review is hidden."))
        return data


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    form = ModerationForm
    list_display = (
        "pk",
        "target_kind",
        "target_id",
        "seller",
        "author",
        "stars",
        "state",
        "open_reports",
        "held_reason",
        "helpful_count",
        "created_at",
    )
    list_filter = (QueueFilter, "state", "target_kind", "stars")
    ordering = ("-open_reports", "-created_at", "-id")  # reported reviews first
    list_select_related = ("seller", "author")
    search_fields = ("text", "author__email", "seller__name")
    readonly_fields = (
        "author",
        "seller",
        "record_kind",
        "record_id",
        "target_kind",
        "target_id",
        "stars",
        "scores",
        "text",
        "language",
        "visited_at",
        "created_at",
        "edited_at",
        "editable_until",
        "reply",
        "replied_at",
        "held_reason",
        "helpful_count",
        "open_reports",
        "decisions",
    )
    inlines = [ReviewReportInline, ReviewPhotoInline]
    actions = ["show_again", "dismiss_reports"]

    @admin.display(description=_("history"))
    def decisions(self, obj):
        events = Event.objects.filter(subject_type="reviews.review", subject_id=obj.pk).order_by("at", "id")
        return "\n".join(f"{e.at:%Y-%m-%d %H:%M} {e.old or '·'}→{e.new or '·'} {e.reason}" for e in events) or "—"

    def has_add_permission(self, request):
        return False  # only a trade record makes a review

    def save_model(self, request, obj, form, change):
        if "state" not in form.changed_data:
            return  # nothing else is the operator's to change
        try:
            if obj.state == Review.State.HELD:
                messages.error(request, gettext("Choose Published or Hidden: holding is for the duplicate check."))
            elif obj.state == Review.State.HIDDEN:
                services.hide(actor=request.user, review_id=obj.pk, reason=obj.hidden_reason)
            else:
                services.show(actor=request.user, review_id=obj.pk)
        except DomainError as exc:
            messages.error(request, exc.message)

    @admin.action(description=_("Show the selected reviews again"))
    def show_again(self, request, queryset):
        shown = 0
        for review in queryset.filter(state__in=(Review.State.HIDDEN, Review.State.HELD)):
            services.show(actor=request.user, review_id=review.pk)
            shown += 1
        messages.success(request, gettext("%(n)s reviews shown again.") % {"n": shown})


@admin.register(ReviewPhoto)
class ReviewPhotoAdmin(admin.ModelAdmin):
    list_display = ("review", "position")
    raw_id_fields = ("review",)

    @admin.action(description=_("Keep the selected reviews and dismiss their reports"))
    def dismiss_reports(self, request, queryset):
        kept = 0
        for review in queryset.filter(open_reports__gt=0):
            services.dismiss_reports(actor=request.user, review_id=review.pk)
            kept += 1
        messages.success(request, gettext("%(n)s reviews kept, their reports dismissed.") % {"n": kept})


@admin.register(ReviewReport)
class ReviewReportAdmin(admin.ModelAdmin):
    list_display = ("review", "reason", "reporter", "created_at", "resolved_at")
    list_filter = ("reason", ("resolved_at", admin.EmptyFieldListFilter))
    list_select_related = ("review", "reporter")
    raw_id_fields = ("review", "reporter")
    readonly_fields = ("review", "reporter", "reason", "note", "created_at", "resolved_at")

    def has_add_permission(self, request):
        return False


@admin.register(HelpfulVote)
class HelpfulVoteAdmin(admin.ModelAdmin):
    list_display = ("review", "user", "created_at")
    raw_id_fields = ("review", "user")
    list_select_related = ("review", "user")

    def has_add_permission(self, request):
        return False


@admin.register(Reputation)
class ReputationAdmin(admin.ModelAdmin):
    list_display = ("seller", "rating_avg", "rating_count", "dispute_rate", "on_time_rate", "refreshed_at")
    list_select_related = ("seller",)
    search_fields = ("seller__name",)
    readonly_fields = [f.name for f in Reputation._meta.fields]
    actions = ["refresh_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Recompute the selected reputations now"))
    def refresh_now(self, request, queryset):
        for row in queryset:
            reputation.refresh(row.seller_id)
        messages.success(request, gettext("%(n)s reputations recomputed.") % {"n": queryset.count()})
