from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tradeloop.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from tradeloop.notifications import events, invoices, receivers

        receivers.connect()
        invoices.connect()
        events.connect()  # in-site notices and webhook events
