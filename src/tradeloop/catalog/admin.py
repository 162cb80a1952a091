from django.contrib import admin

from tradeloop.catalog.models import Category, Product, ProductImage, Variant


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("path", "name", "name_zh", "depth", "position")
    search_fields = ("name", "name_zh", "slug")
    list_filter = ("depth",)
    prepopulated_fields = {"slug": ("name",)}


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ("sku", "name", "name_zh", "price", "compare_at_price", "currency", "stock", "weight_grams", "is_active")
    readonly_fields = ("stock",)  # stock changes through inventory (per warehouse, recorded); this is its total


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ("image", "thumbnail", "alt", "position")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "seller",
        "kind",
        "status",
        "price_from",
        "currency",
        "in_stock",
        "is_featured",
        "created_at",
    )
    list_filter = ("status", "kind", "in_stock", "is_featured", "seller__kind", "category")
    search_fields = ("title", "title_zh", "seller__name", "variants__sku")
    list_select_related = ("seller", "category")
    autocomplete_fields = ("seller", "category")
    readonly_fields = ("price_from", "compare_at_from", "in_stock", "cover", "rating_avg", "rating_count", "sold_count")
    date_hierarchy = "created_at"
    inlines = [VariantInline, ProductImageInline]
    show_full_result_count = False


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
    list_display = ("sku", "product", "name", "price", "currency", "stock", "is_active")
    list_filter = ("is_active", "currency")
    search_fields = ("sku", "name", "name_zh", "product__title", "product__title_zh")
    list_select_related = ("product",)
    autocomplete_fields = ("product",)
    readonly_fields = ("stock",)  # stock changes through inventory (per warehouse, recorded); this is its total
    show_full_result_count = False


@admin.register(ProductImage)
class ProductImageAdmin(admin.ModelAdmin):
    list_display = ("product", "alt", "position", "image")
    search_fields = ("product__title", "product__title_zh", "alt")
    list_select_related = ("product",)
    autocomplete_fields = ("product",)
