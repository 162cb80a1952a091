"""Money test builders: plain order rows (the orders app's services are not needed to test the ledger)."""

from __future__ import annotations

import itertools
from decimal import Decimal

from tradeloop.orders.models import Order

_numbers = itertools.count(1)


def paid_order(seller, buyer, total: str = "100.00", rate: str = "0.05", currency: str = "CNY") -> Order:
    return Order.objects.create(
        number=f"T{next(_numbers):08d}",
        buyer=buyer,
        seller=seller,
        currency=currency,
        subtotal=Decimal(total),
        total=Decimal(total),
        commission_rate=Decimal(rate),
        state=Order.State.PAID,
    )
