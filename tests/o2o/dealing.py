"""Helpers for the deal, voucher and redemption tests: buy a deal and pay for it, read the merchant's money."""

from __future__ import annotations

from decimal import Decimal

from tests import factories
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance
from tradeloop.o2o import deals
from tradeloop.o2o.models import Deal, Voucher
from tradeloop.orders.models import Order


def bought(deal: Deal, buyer=None, quantity: int = 1) -> Order:
    """`quantity` vouchers of the deal bought and paid (a captured sandbox payment)."""
    buyer = buyer or factories.UserFactory()
    order = deals.buy(actor=buyer, deal_id=deal.pk, quantity=quantity)
    factories.pay_placed(order)
    order.refresh_from_db()
    return order


def vouchers_of(order: Order) -> list[Voucher]:
    return list(Voucher.objects.filter(order=order).order_by("id"))


def available(order: Order) -> Decimal:
    return balance(ledger.seller_available(order.seller, order.currency)).amount


def in_escrow(order: Order) -> Decimal:
    return ledger.order_money(order).in_escrow


def net_of(order: Order, amount: Decimal) -> Decimal:
    return amount - (amount * order.commission_rate).quantize(Decimal("0.01"))


def owner(org):
    """The organization's owner (every capability)."""
    return org.memberships.select_related("user").filter(role__code="owner").first().user
