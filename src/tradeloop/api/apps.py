from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tradeloop.api"
    label = "api"
