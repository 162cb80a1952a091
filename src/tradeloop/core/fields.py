from django.db import models


def amount_field(verbose_name: str | None = None, **kwargs) -> models.DecimalField:
    """A money amount: DECIMAL(18, 4); the currency lives in a sibling `currency` field."""
    kwargs.setdefault("default", 0)
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=4, **kwargs)


def currency_field(**kwargs) -> models.CharField:
    kwargs.setdefault("default", "CNY")
    return models.CharField(max_length=3, **kwargs)
