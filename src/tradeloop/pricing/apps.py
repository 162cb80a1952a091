from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "tradeloop.pricing"
    label = "pricing"
