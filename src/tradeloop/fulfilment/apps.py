from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    name = "tradeloop.fulfilment"
    label = "fulfilment"
