from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tradeloop.notifications"
    label = "notifications"
