"""Operator back office for promotions: platform-wide ones (no seller) are made here; sellers' ones can be inspected
and switched off. Codes are saved upper-case, as the pricing compares them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tradeloop.promotions.models import Promotion, Redemption
from tradeloop.promotions.services import forget_cached, normalise_code


class RedemptionInline(admin.TabularInline):
    model = Redemption
    extra = 0
    fields = ("order_ref", "user", "amount", "units", "created_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    max_num = 0


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "seller",
        "kind",
        "value",
        "scope",
        "starts_at",
        "ends_at",
        "used_count",
        "usage_limit",
        "is_active",
    )
    list_filter = ("is_active", "kind", "scope", "stackable", ("seller", admin.EmptyFieldListFilter))
    list_select_related = ("seller",)
    search_fields = ("name", "code", "seller__name")
    autocomplete_fields = ("seller", "categories", "products")
    readonly_fields = ("used_count", "flash_sold", "created_at")
    date_hierarchy = "starts_at"
    actions = ("switch_off", "switch_on")
    inlines = [RedemptionInline]
    fieldsets = (
        (None, {"fields": ("name", "seller", "code", "kind", "value", "buy_quantity", "get_quantity", "stackable")}),
        (_("Applies to"), {"fields": ("scope", "categories", "products", "min_spend", "currency")}),
        (
            _("When and how often"),
            {"fields": ("starts_at", "ends_at", "usage_limit", "per_customer_limit", "used_count")},
        ),
        (_("Flash sale"), {"fields": ("flash_stock_cap", "flash_sold")}),
        (_("Visibility"), {"fields": ("is_public", "is_active", "created_at")}),
    )

    def save_model(self, request, obj, form, change):
        obj.code = normalise_code(obj.code)
        super().save_model(request, obj, form, change)
        forget_cached(obj.seller_id)

    @admin.action(description=_("Switch the selected promotions off"))
    def switch_off(self, request, queryset):
        self._switch(queryset, False)

    @admin.action(description=_("Switch the selected promotions on"))
    def switch_on(self, request, queryset):
        self._switch(queryset, True)

    def _switch(self, queryset, active: bool) -> None:
        sellers = set(queryset.values_list("seller_id", flat=True))
        queryset.update(is_active=active)
        for seller_id in sellers:
            forget_cached(seller_id)


@admin.register(Redemption)
class RedemptionAdmin(admin.ModelAdmin):
    list_display = ("promotion", "order_ref", "user", "amount", "units", "created_at")
    list_select_related = ("promotion", "user")
    search_fields = ("order_ref", "promotion__name", "promotion__code", "user__email")
    readonly_fields = ("promotion", "user", "order_ref", "amount", "units", "created_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # redemptions are taken by orders, never typed in
