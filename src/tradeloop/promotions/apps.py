from django.apps import AppConfig


class PromotionsConfig(AppConfig):
    name = "tradeloop.promotions"
    label = "promotions"
