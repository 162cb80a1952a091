"""The operator's back office for o2o: places and their offer are editable, records (vouchers, bookings) read-only."""

from django.contrib import admin

from tradeloop.core.admin import ReadOnlyAdmin
from tradeloop.o2o import geo
from tradeloop.o2o.models import (
    Booking,
    ConsumerRequest,
    DayOff,
    Deal,
    FailedRedemption,
    Place,
    PlacePhoto,
    RequestAnswer,
    Service,
    StaffMember,
    Voucher,
    WorkingHours,
)


class PlacePhotoInline(admin.TabularInline):
    model = PlacePhoto
    extra = 0


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("display_name", "seller", "city", "district", "rating_avg", "rating_count", "is_active")
    list_filter = ("is_active", "city")
    list_select_related = ("seller",)
    search_fields = ("name", "name_zh", "address", "address_zh", "seller__name")
    raw_id_fields = ("seller",)
    filter_horizontal = ("categories",)
    inlines = [PlacePhotoInline]
    readonly_fields = ("geo_cell",)

    def save_model(self, request, obj, form, change):
        # places: an operator who moves a place moves its grid cell with it (nearby search reads only the cells)
        obj.geo_cell = geo.cell_of(obj.latitude, obj.longitude)
        super().save_model(request, obj, form, change)


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    list_display = ("product", "state", "sale_starts_at", "sale_ends_at", "sold_count", "tipping_point", "tipped_at")
    list_filter = ("state",)
    list_select_related = ("product",)
    search_fields = ("product__title", "product__title_zh")
    raw_id_fields = ("product",)
    filter_horizontal = ("places",)
    readonly_fields = ("state", "sold_count", "buyer_count", "tipped_at")


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = ("pk", "deal", "buyer", "state", "valid_until", "redeemed_at", "redeemed_place")
    list_filter = ("state",)
    list_select_related = ("deal__product", "buyer", "redeemed_place")
    search_fields = ("buyer__email", "order__number")


@admin.register(FailedRedemption)
class FailedRedemptionAdmin(ReadOnlyAdmin):
    list_display = ("user", "place", "created_at")
    list_select_related = ("user", "place")


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class DayOffInline(admin.TabularInline):
    model = DayOff
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("product", "duration_minutes", "deposit", "instant_confirm", "is_active")
    list_select_related = ("product",)
    search_fields = ("product__title", "product__title_zh")
    raw_id_fields = ("product",)
    filter_horizontal = ("places",)


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("__str__", "place", "is_active")
    list_select_related = ("place",)
    search_fields = ("name", "name_zh")
    raw_id_fields = ("place", "user")
    filter_horizontal = ("services",)
    inlines = [WorkingHoursInline, DayOffInline]


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ("staff", "weekday", "starts", "ends")
    list_select_related = ("staff",)


@admin.register(DayOff)
class DayOffAdmin(admin.ModelAdmin):
    list_display = ("staff", "day", "reason")
    list_select_related = ("staff",)


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ("pk", "service", "staff", "place", "consumer", "state", "starts_at")
    list_filter = ("state",)
    list_select_related = ("service__product", "staff", "place", "consumer")
    search_fields = ("consumer__email",)


class RequestAnswerInline(admin.TabularInline):
    model = RequestAnswer
    extra = 0
    can_delete = False
    readonly_fields = ("negotiation", "seller", "place", "created_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ConsumerRequest)
class ConsumerRequestAdmin(ReadOnlyAdmin):
    list_display = ("title", "consumer", "category", "city", "state", "wanted_at", "expires_at")
    list_filter = ("state",)
    list_select_related = ("consumer", "category")
    search_fields = ("title", "consumer__email")
    inlines = [RequestAnswerInline]


@admin.register(RequestAnswer)
class RequestAnswerAdmin(ReadOnlyAdmin):
    list_display = ("request", "seller", "negotiation", "created_at")
    list_select_related = ("request", "seller", "negotiation")


@admin.register(PlacePhoto)
class PlacePhotoAdmin(admin.ModelAdmin):
    list_display = ("place", "position")
    raw_id_fields = ("place",)
