from django.apps import AppConfig


class AftersalesConfig(AppConfig):
    name = "tradeloop.aftersales"
    label = "aftersales"
