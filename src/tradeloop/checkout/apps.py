from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "tradeloop.checkout"
    label = "checkout"

    def ready(self) -> None:
        from tradeloop.checkout import receivers

        receivers.connect()
