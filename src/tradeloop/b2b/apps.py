from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class B2bConfig(AppConfig):
    name = "tradeloop.b2b"
    label = "b2b"
    verbose_name = _("B2B trade")

    def ready(self) -> None:
        """Registers b2b's policies with the lower layers (placement gates, buyer context, quote policy)."""
        from tradeloop.b2b import quotes

        quotes.register()  # the quote policy: validity, counters, accept → B2B order
