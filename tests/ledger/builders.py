"""Money test builders: plain order rows (the orders app's services are not needed to test the ledger), paid by a
captured payment that the ledger has received, as the payments app records every capture."""

from __future__ import annotations

import itertools
from decimal import Decimal

from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger
from tradeloop.orders.models import Order
from tradeloop.payments.models import Payment

_numbers = itertools.count(1)


def paid_order(seller, buyer, total: str = "100.00", rate: str = "0.05", currency: str = "CNY") -> Order:
    number = next(_numbers)
    payment = Payment.objects.create(
        token=f"test-{number:08d}",
        payer=buyer,
        purpose="test",
        amount=Decimal(total),
        currency=currency,
        captured_amount=Decimal(total),
        state=Payment.State.CAPTURED,
    )
    ledger.record_payment_received(payment_id=payment.pk, amount=Money(Decimal(total), currency))
    return Order.objects.create(
        number=f"T{number:08d}",
        buyer=buyer,
        seller=seller,
        payment=payment,
        currency=currency,
        subtotal=Decimal(total),
        total=Decimal(total),
        commission_rate=Decimal(rate),
        state=Order.State.PAID,
    )
