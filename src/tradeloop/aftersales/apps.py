from django.apps import AppConfig


class AftersalesConfig(AppConfig):
    name = "tradeloop.aftersales"
    label = "aftersales"

    def ready(self) -> None:
        from tradeloop.aftersales.services import on_refund_succeeded
        from tradeloop.payments.signals import refund_succeeded

        refund_succeeded.connect(on_refund_succeeded, dispatch_uid="aftersales.refund_succeeded")
