from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "tradeloop.reviews"
    label = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        from tradeloop.reviews import product_records

        product_records.register()  # delivered order lines review their products
