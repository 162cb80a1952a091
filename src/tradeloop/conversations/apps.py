from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "tradeloop.conversations"
    label = "conversations"
