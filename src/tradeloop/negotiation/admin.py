from django.contrib import admin

from tradeloop.negotiation.models import Negotiation, Proposal, ProposalLine


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ProposalInline(ReadOnlyInline):
    model = Proposal
    fields = ("number", "author_side", "author", "shipping", "payment_terms", "valid_until", "created_at")
    readonly_fields = fields
    show_change_link = True


class ProposalLineInline(ReadOnlyInline):
    model = ProposalLine
    fields = ("position", "variant", "description", "quantity", "unit_price", "discount")
    readonly_fields = fields


@admin.register(Negotiation)
class NegotiationAdmin(admin.ModelAdmin):
    """Read-mostly: versions are immutable and every step (counter, accept, expiry) belongs to the services."""

    list_display = ("pk", "kind", "state", "buyer", "buyer_org", "seller", "current_version", "expires_at")
    list_filter = ("kind", "state", "currency")
    search_fields = ("buyer__email", "seller__name", "buyer_org__name", "result_ref")
    list_select_related = ("buyer", "buyer_org", "seller")
    raw_id_fields = ("buyer", "buyer_org", "seller", "product")
    readonly_fields = (
        "kind",
        "state",
        "currency",
        "current_version",
        "expires_at",
        "reminded_version",
        "max_rounds",
        "counter_cap",
        "created_at",
        "decided_at",
        "accepted_version",
        "result_ref",
    )
    date_hierarchy = "created_at"
    inlines = [ProposalInline]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("negotiation", "number", "author_side", "author", "valid_until", "created_at")
    list_select_related = ("negotiation", "author")
    search_fields = ("negotiation__pk", "author__email")
    inlines = [ProposalLineInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProposalLine)
class ProposalLineAdmin(admin.ModelAdmin):
    list_display = ("proposal", "position", "variant", "description", "quantity", "unit_price", "discount")
    list_select_related = ("proposal", "variant")
    search_fields = ("description", "variant__sku")
    raw_id_fields = ("proposal", "variant")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
