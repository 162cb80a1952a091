"""The operator's view of the search index: what is indexed (read only; `tradeloop reindex` rebuilds it) and the
spelling vocabulary."""

from django.contrib import admin

from tradeloop.search.models import SearchDocument, SearchTerm


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "price", "currency", "rating", "sold_count", "in_stock", "seller_level", "city")
    list_filter = ("source", "kind", "in_stock", "seller_level")
    search_fields = ("title", "title_zh", "body")
    readonly_fields = [f.name for f in SearchDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    list_display = ("word", "term", "docs")
    search_fields = ("word", "term")
    ordering = ("-docs", "word")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
