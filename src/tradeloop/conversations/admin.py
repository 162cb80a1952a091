"""Operator back office for customer service conversations (read mostly: staff answer in the console)."""

from django.contrib import admin

from tradeloop.conversations.models import Conversation, Message


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ("created_at", "author", "from_seller", "body")
    readonly_fields = ("created_at", "author", "from_seller")
    show_change_link = True


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("subject", "kind", "buyer", "seller", "last_message_at", "first_response_seconds")
    list_filter = ("kind",)
    list_select_related = ("buyer", "seller")
    search_fields = ("subject", "buyer__email", "seller__name", "order__number")
    raw_id_fields = ("buyer", "seller", "product", "order")
    readonly_fields = ("created_at", "last_message_at", "buyer_read_at", "seller_read_at", "first_response_seconds")
    date_hierarchy = "last_message_at"
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("conversation", "author", "from_seller", "created_at")
    list_filter = ("from_seller",)
    list_select_related = ("conversation", "author")
    search_fields = ("body", "author__email", "conversation__subject")
    raw_id_fields = ("conversation", "author")
    date_hierarchy = "created_at"
