from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tradeloop.core"
    label = "core"
