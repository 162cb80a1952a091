from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "tradeloop.ledger"
    label = "ledger"
