from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "tradeloop.orders"
    label = "orders"
