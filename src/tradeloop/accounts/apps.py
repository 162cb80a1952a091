from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tradeloop.accounts"
    label = "accounts"
