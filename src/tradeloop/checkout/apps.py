from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "tradeloop.checkout"
    label = "checkout"
