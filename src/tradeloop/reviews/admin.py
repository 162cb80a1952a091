"""The operator's back office for reviews: the moderation queue (hide with a reason, show again)."""

from django.contrib import admin

from tradeloop.reviews.models import Review, ReviewPhoto


class ReviewPhotoInline(admin.TabularInline):
    model = ReviewPhoto
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("pk", "target_kind", "target_id", "seller", "author", "stars", "state", "created_at")
    list_filter = ("state", "target_kind", "stars")
    list_select_related = ("seller", "author")
    search_fields = ("text", "author__email", "seller__name")
    readonly_fields = ("author", "seller", "record_kind", "record_id", "target_kind", "target_id", "visited_at")
    inlines = [ReviewPhotoInline]


@admin.register(ReviewPhoto)
class ReviewPhotoAdmin(admin.ModelAdmin):
    list_display = ("review", "position")
    raw_id_fields = ("review",)
