from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    name = "tradeloop.storefront"
    label = "storefront"
    verbose_name = _("Storefront")

    def ready(self) -> None:
        from tradeloop.storefront import page_cache

        page_cache.setup()
