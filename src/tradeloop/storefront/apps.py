from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "tradeloop.storefront"
    label = "storefront"
