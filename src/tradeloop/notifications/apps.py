from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tradeloop.notifications"
    label = "notifications"

    def ready(self) -> None:
        from tradeloop.notifications import receivers

        receivers.connect()
