from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "tradeloop.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # the index follows the catalog: products and variants saved or deleted
        from tradeloop.search import receivers

        receivers.register()
