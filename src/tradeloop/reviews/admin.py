"""The operator's back office for reviews: the moderation queue (hide with a reason, show again). A change of state
goes through reviews.services, so the reviewed place's rating follows."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.core.errors import DomainError
from tradeloop.reviews import services
from tradeloop.reviews.models import Review, ReviewPhoto


class ReviewPhotoInline(admin.TabularInline):
    model = ReviewPhoto
    extra = 0
    readonly_fields = ("image", "position")
    can_delete = False


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
    list_display = ("pk", "target_kind", "target_id", "seller", "author", "stars", "state", "created_at")
    list_filter = ("state", "target_kind", "stars")
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
    )
    inlines = [ReviewPhotoInline]
    actions = ["show_again"]

    def has_add_permission(self, request):
        return False  # only a trade record makes a review

    def save_model(self, request, obj, form, change):
        if "state" not in form.changed_data:
            return  # nothing else is the operator's to change
        try:
            if obj.state == Review.State.HIDDEN:
                services.hide(actor=request.user, review_id=obj.pk, reason=obj.hidden_reason)
            else:
                services.show(actor=request.user, review_id=obj.pk)
        except DomainError as exc:
            messages.error(request, exc.message)

    @admin.action(description=_("Show the selected reviews again"))
    def show_again(self, request, queryset):
        shown = 0
        for review in queryset.filter(state=Review.State.HIDDEN):
            services.show(actor=request.user, review_id=review.pk)
            shown += 1
        messages.success(request, gettext("%(n)s reviews shown again.") % {"n": shown})


@admin.register(ReviewPhoto)
class ReviewPhotoAdmin(admin.ModelAdmin):
    list_display = ("review", "position")
    raw_id_fields = ("review",)
