from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "tradeloop.payments"
    label = "payments"
