from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftersalesConfig(AppConfig):
    name = "tradeloop.aftersales"
    label = "aftersales"
    verbose_name = _("After-sales")

    def ready(self) -> None:
        from tradeloop.aftersales.services import on_refund_succeeded, without_open_returns
        from tradeloop.orders.services import register_completion_blocker
        from tradeloop.payments.signals import refund_succeeded

        refund_succeeded.connect(on_refund_succeeded, dispatch_uid="aftersales.refund_succeeded")
        register_completion_blocker("aftersales.open_returns", without_open_returns)
