from django.contrib import admin

from tradeloop.checkout.models import Address, Cart, CartItem, Checkout, RequisitionLine, RequisitionList


class CartItemInline(admin.TabularInline):
    model = CartItem
    extra = 0
    raw_id_fields = ("variant",)


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "session_key", "updated_at")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    inlines = [CartItemInline]
    show_full_result_count = False


@admin.register(CartItem)
class CartItemAdmin(admin.ModelAdmin):
    list_display = ("cart", "variant", "quantity", "added_at")
    search_fields = ("cart__user__email", "variant__sku")
    list_select_related = ("cart__user", "variant__product")
    raw_id_fields = ("cart", "variant")
    show_full_result_count = False


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "city", "country", "is_default")
    list_filter = ("country",)
    search_fields = ("name", "user__email", "city", "phone")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(Checkout)
class CheckoutAdmin(admin.ModelAdmin):
    list_display = ("pk", "buyer", "state", "total", "currency", "created_at", "expires_at")
    list_filter = ("state", "currency")
    search_fields = ("buyer__email", "payment__token")
    list_select_related = ("buyer",)
    raw_id_fields = ("buyer", "payment")
    readonly_fields = ("state", "total", "currency")
    date_hierarchy = "created_at"
    show_full_result_count = False


class RequisitionLineInline(admin.TabularInline):
    model = RequisitionLine
    extra = 0
    raw_id_fields = ("variant",)


@admin.register(RequisitionList)
class RequisitionListAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "updated_at")
    list_select_related = ("user",)
    search_fields = ("name", "user__email")
    raw_id_fields = ("user",)
    inlines = [RequisitionLineInline]


@admin.register(RequisitionLine)
class RequisitionLineAdmin(admin.ModelAdmin):
    list_display = ("requisition", "variant", "quantity", "position")
    list_select_related = ("requisition", "variant__product")
    search_fields = ("requisition__name", "variant__sku")
    raw_id_fields = ("requisition", "variant")
