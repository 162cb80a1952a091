from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "tradeloop.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from tradeloop.catalog import signals  # noqa: F401
