"""The operator's back office for sponsored placement: campaigns, their days, and clicks; charged clicks found
invalid are refunded (an admin action: the charge goes back to the seller's promotion wallet through the ledger)."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.core.errors import DomainError
from tradeloop.sponsored import services
from tradeloop.sponsored.models import Attribution, Campaign, CampaignItem, Click, DaySpend, DayStat, Keyword


class CampaignItemInline(admin.TabularInline):
    model = CampaignItem
    extra = 0
    readonly_fields = ("source", "object_id", "title", "removed")
    can_delete = False


class KeywordInline(admin.TabularInline):
    model = Keyword
    extra = 0
    readonly_fields = ("text", "terms", "bid")
    exclude = ("lead",)
    can_delete = False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "state", "daily_budget", "default_bid", "currency", "starts_at", "ends_at")
    list_filter = ("state",)
    list_select_related = ("organization",)
    search_fields = ("name", "organization__name")
    # states change through the seller's console and API (sponsored.services.set_state): each change is an event
    readonly_fields = ("organization", "state", "created_at")
    inlines = [CampaignItemInline, KeywordInline]


@admin.register(CampaignItem)
class CampaignItemAdmin(admin.ModelAdmin):
    list_display = ("campaign", "source", "object_id", "title", "removed")
    list_select_related = ("campaign",)
    search_fields = ("title", "campaign__name")
    readonly_fields = ("campaign", "source", "object_id", "title", "removed")


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    list_display = ("text", "campaign", "bid")
    list_select_related = ("campaign",)
    search_fields = ("text", "campaign__name")
    readonly_fields = ("campaign", "text", "terms", "lead", "bid")


@admin.register(DaySpend)
class DaySpendAdmin(admin.ModelAdmin):
    list_display = ("campaign", "day", "budget", "spent")
    list_filter = ("day",)
    list_select_related = ("campaign",)
    readonly_fields = ("campaign", "day", "budget", "spent")


@admin.register(DayStat)
class DayStatAdmin(admin.ModelAdmin):
    list_display = ("campaign", "keyword_id", "day", "impressions", "clicks", "charged", "spend", "orders", "revenue")
    list_filter = ("day",)
    list_select_related = ("campaign",)
    readonly_fields = list_display


@admin.action(description=_("Refund as invalid clicks"))
def refund_invalid(modeladmin, request, queryset):
    done = 0
    for click in queryset.filter(outcome=Click.Outcome.CHARGED):
        try:
            services.refund_click(click_id=click.pk, actor=request.user, reason="marked invalid by the operator")
        except DomainError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
        else:
            done += 1
    modeladmin.message_user(request, gettext("%(n)s clicks refunded.") % {"n": done}, messages.SUCCESS)


@admin.register(Click)
class ClickAdmin(admin.ModelAdmin):
    list_display = ("pk", "campaign", "item", "visitor", "user", "at", "outcome", "amount", "currency")
    list_filter = ("outcome",)
    list_select_related = ("campaign", "item", "user")
    search_fields = ("visitor", "user__email", "campaign__name")
    readonly_fields = [
        "campaign",
        "item",
        "keyword_id",
        "visitor",
        "user",
        "at",
        "outcome",
        "amount",
        "currency",
        "charge_key",
        "user_agent",
    ]
    actions = [refund_invalid]

    def has_add_permission(self, request):
        return False


@admin.register(Attribution)
class AttributionAdmin(admin.ModelAdmin):
    list_display = ("order", "campaign", "click", "revenue", "at")
    list_select_related = ("order", "campaign", "click")
    readonly_fields = ("order", "campaign", "click", "revenue", "at")
