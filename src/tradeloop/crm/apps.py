from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "tradeloop.crm"
    label = "crm"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from tradeloop.crm import receivers

        receivers.connect()
