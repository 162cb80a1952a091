from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SponsoredConfig(AppConfig):
    name = "tradeloop.sponsored"
    label = "sponsored"
    verbose_name = _("Sponsored placement")

    def ready(self) -> None:
        from tradeloop.core import page_cache
        from tradeloop.sponsored import receivers, views

        receivers.connect()
        page_cache.register_hole("sponsored_category", views.category_slot)
