"""What orders answers for the layers below: the payment gateway's page asks what a payment is for."""

from __future__ import annotations


def describe_payment(sender, *, payment, **kwargs) -> list:
    from tradeloop.core.money import Money
    from tradeloop.orders import selectors
    from tradeloop.payments.selectors import ItemBought, PayeeShare

    return [
        PayeeShare(
            payee=order.seller.name,
            items=[
                ItemBought(" · ".join(filter(None, (line.product_title, line.variant_name))), line.quantity)
                for line in order.lines.all()
            ],
            amount=Money(order.total, order.currency),
        )
        for order in selectors.paid_by(payment.pk)
    ]


def connect() -> None:
    from tradeloop.payments import signals as payments

    payments.describe_payment.connect(describe_payment, dispatch_uid="orders.describe_payment")
