from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "tradeloop.inventory"
    label = "inventory"
