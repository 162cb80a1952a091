"""The operator's view of the sellers' customer books: summaries (read-only, derived from orders), tags, notes,
segments and the campaigns sent."""

from django.contrib import admin

from tradeloop.crm.models import Campaign, Customer, CustomerTag, Note, Recipient, Segment, Tag


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Customer)
class CustomerAdmin(ReadOnly):
    list_display = ("name", "email", "seller", "city", "orders_count", "lifetime_value", "currency", "last_order_at")
    list_select_related = ("seller",)
    search_fields = ("name", "email", "company_name", "seller__name")
    list_filter = ("seller",)
    raw_id_fields = ("user", "company", "contact", "seller")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "seller", "created_at")
    list_select_related = ("seller",)
    search_fields = ("name", "seller__name")
    raw_id_fields = ("seller",)


@admin.register(CustomerTag)
class CustomerTagAdmin(ReadOnly):
    list_display = ("customer", "tag")
    list_select_related = ("customer", "tag")
    raw_id_fields = ("customer", "tag")


@admin.register(Note)
class NoteAdmin(ReadOnly):
    list_display = ("customer", "author", "created_at", "text")
    list_select_related = ("customer", "author")
    raw_id_fields = ("customer", "author")


@admin.register(Segment)
class SegmentAdmin(ReadOnly):
    list_display = ("name", "seller", "created_at", "updated_at")
    list_select_related = ("seller",)
    search_fields = ("name", "seller__name")
    raw_id_fields = ("seller", "created_by")


class RecipientInline(admin.TabularInline):
    model = Recipient
    extra = 0
    raw_id_fields = ("customer", "user")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnly):
    list_display = ("subject", "kind", "seller", "segment", "recipients_count", "sent_count", "sent_by", "created_at")
    list_select_related = ("seller", "segment", "sent_by")
    list_filter = ("kind",)
    raw_id_fields = ("seller", "segment", "sent_by")
    inlines = [RecipientInline]


@admin.register(Recipient)
class RecipientAdmin(ReadOnly):
    list_display = ("campaign", "user", "sent_at")
    list_select_related = ("campaign", "user")
    raw_id_fields = ("campaign", "customer", "user")
