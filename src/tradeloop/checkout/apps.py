from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckoutConfig(AppConfig):
    name = "tradeloop.checkout"
    label = "checkout"
    verbose_name = _("Cart and checkout")

    def ready(self) -> None:
        from tradeloop.checkout import receivers

        receivers.connect()
