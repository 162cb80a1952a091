"""Operators see the ledger read-only: accounts with their balances (one annotated query), transactions with entries.

Nothing here can be edited: a correction is a new balanced transaction, posted by a service.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tradeloop.core.money import format_money
from tradeloop.ledger.models import Account, Entry, Transaction
from tradeloop.ledger.selectors import with_balances


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EntryInline(admin.TabularInline):
    model = Entry
    fields = ("account", "amount", "currency")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account")


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "currency", "owner", "balance")
    list_filter = ("kind", "currency")
    search_fields = ("code", "name", "owner__name")
    list_select_related = ("owner",)

    def get_queryset(self, request):
        return with_balances(super().get_queryset(request))

    @admin.display(description=_("balance"), ordering="balance_amount")
    def balance(self, obj: Account) -> str:
        return format_money(obj.balance_amount, obj.currency)


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ("at", "ref", "memo")
    search_fields = ("ref", "memo")
    date_hierarchy = "at"
    inlines = [EntryInline]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "transaction", "account", "amount", "currency")
    list_filter = ("currency", "account__kind")
    search_fields = ("transaction__ref", "account__code")
    list_select_related = ("transaction", "account")
