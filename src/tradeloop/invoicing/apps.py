from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "tradeloop.invoicing"
    label = "invoicing"
    verbose_name = _("Invoices")

    def ready(self) -> None:
        from tradeloop.invoicing import receivers

        receivers.connect()
