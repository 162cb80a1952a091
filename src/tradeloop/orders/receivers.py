"""What orders answers for the layers below (the payment gateway's page asks what a payment is for), and the sold
counts it keeps in step in catalog."""

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


# an order counts as sold once it is paid (or confirmed on credit terms); it stops counting if it is cancelled after
SOLD_ON = ("paid", "confirmed")
SOLD_STATES = ("paid", "confirmed", "partially_shipped", "shipped", "delivered", "completed")


def count_sold(sender, *, order, old: str, new: str, **kwargs) -> None:
    """Keep catalog.Product.sold_count in step: + the units of each line when the order becomes paid, − when a paid
    order is cancelled (one guarded UPDATE per product)."""
    if new in SOLD_ON and old not in SOLD_STATES:
        sign = 1
    elif new == "cancelled" and old in SOLD_STATES:
        sign = -1
    else:
        return
    from tradeloop.catalog.services import count_sold as add_sold
    from tradeloop.orders.models import OrderLine

    units: dict[int, int] = {}
    for product_id, quantity in OrderLine.objects.filter(order=order).values_list("variant__product_id", "quantity"):
        units[product_id] = units.get(product_id, 0) + sign * quantity
    add_sold(units)


def connect() -> None:
    from tradeloop.orders import signals
    from tradeloop.payments import signals as payments

    payments.describe_payment.connect(describe_payment, dispatch_uid="orders.describe_payment")
    signals.order_changed.connect(count_sold, dispatch_uid="orders.count_sold")
