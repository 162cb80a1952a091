from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "tradeloop.console"
    label = "console"
