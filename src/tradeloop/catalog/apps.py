from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "tradeloop.catalog"
    label = "catalog"

    def ready(self) -> None:
        from tradeloop.catalog import signals  # noqa: F401
