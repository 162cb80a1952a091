"""What invoicing listens to: an order confirmed or cancelled, a parcel shipped, an invoice's payment captured;
and what it answers: what an invoice's payment pays (the gateway's page)."""

from __future__ import annotations


def on_order_changed(sender, *, order, old, new, **kwargs) -> None:
    from tradeloop.invoicing import services
    from tradeloop.orders.models import Order

    if new == Order.State.CONFIRMED:
        services.issue_deposit_invoice(order=order)
    elif new == Order.State.CANCELLED and old:
        services.void_unpaid_invoices(order=order, actor=kwargs.get("actor"))


def on_shipped(sender, *, shipment, **kwargs) -> None:
    from tradeloop.invoicing import services

    services.issue_shipping_invoice(order=shipment.order)


def on_payment_captured(sender, *, payment, **kwargs) -> None:
    from tradeloop.invoicing import services

    services.on_payment_captured(payment=payment)


def describe_payment(sender, *, payment, **kwargs) -> list:
    from tradeloop.core.money import Money
    from tradeloop.invoicing.models import Invoice
    from tradeloop.invoicing.services import invoice_of_payment
    from tradeloop.payments.selectors import ItemBought, PayeeShare

    invoice_id = invoice_of_payment(payment)
    invoice = Invoice.objects.select_related("seller").filter(pk=invoice_id).first() if invoice_id else None
    if invoice is None:
        return []
    return [
        PayeeShare(
            payee=invoice.seller.name,
            items=[ItemBought(str(invoice.number), 1)],
            amount=Money(payment.amount, payment.currency),
        )
    ]


def connect() -> None:
    from tradeloop.fulfilment import signals as fulfilment
    from tradeloop.invoicing.services import without_open_invoices
    from tradeloop.orders import signals as orders
    from tradeloop.orders.services import register_completion_blocker
    from tradeloop.payments import signals as payments

    orders.order_changed.connect(on_order_changed, dispatch_uid="invoicing.order_changed")
    fulfilment.shipped.connect(on_shipped, dispatch_uid="invoicing.shipped")
    payments.payment_captured.connect(on_payment_captured, dispatch_uid="invoicing.payment_captured")
    payments.describe_payment.connect(describe_payment, dispatch_uid="invoicing.describe_payment")
    register_completion_blocker("invoicing.open_invoices", without_open_invoices)
