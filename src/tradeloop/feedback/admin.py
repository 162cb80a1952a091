"""The operator's back office for the value ring: unmet searches, suggestions with their votes and events, and
private order feedback."""

from django.contrib import admin

from tradeloop.feedback.models import DemandSearch, OrderFeedback, Suggestion, SuggestionVote


@admin.register(DemandSearch)
class DemandSearchAdmin(admin.ModelAdmin):
    list_display = ("term", "region", "category", "day", "searches", "last_results", "last_seen")
    list_filter = ("day",)
    search_fields = ("term", "sample", "region")
    list_select_related = ("category",)
    readonly_fields = ("term", "sample", "region", "category", "day", "searches", "last_results", "last_seen")


class SuggestionVoteInline(admin.TabularInline):
    model = SuggestionVote
    extra = 0
    readonly_fields = ("voter", "created_at")
    can_delete = False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ("pk", "seller", "product", "author", "status", "vote_count", "created_at")
    list_filter = ("status",)
    list_select_related = ("seller", "product", "author")
    search_fields = ("text", "seller__name", "author__email")
    # the status changes only through the store's desk (feedback.services.set_status), so each change is an event
    readonly_fields = (
        "author",
        "seller",
        "product",
        "text",
        "language",
        "status",
        "vote_count",
        "reply",
        "replied_at",
        "created_at",
    )
    inlines = [SuggestionVoteInline]


@admin.register(SuggestionVote)
class SuggestionVoteAdmin(admin.ModelAdmin):
    list_display = ("suggestion", "voter", "created_at")
    list_select_related = ("suggestion", "voter")
    readonly_fields = ("suggestion", "voter", "created_at")


@admin.register(OrderFeedback)
class OrderFeedbackAdmin(admin.ModelAdmin):
    list_display = ("order", "seller", "author", "created_at")
    list_select_related = ("order", "seller", "author")
    search_fields = ("text", "order__number", "seller__name")
    readonly_fields = ("order", "seller", "author", "text", "created_at")
