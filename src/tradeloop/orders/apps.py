from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "tradeloop.orders"
    label = "orders"

    def ready(self) -> None:
        from tradeloop.orders import receivers

        receivers.connect()
