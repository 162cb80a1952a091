"""Fulfilment reads: a seller's shipping methods, the shipments of an order. Fixed query counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.fulfilment.models import Shipment, ShipmentLine, ShippingMethod
from tradeloop.orders.models import Order

SHIPPING_CAPABILITY = "orders.fulfil"  # who ships also decides how, and at what price


def shipping_methods(*, actor: User, seller: Organization) -> QuerySet[ShippingMethod]:
    """Every shipping method of the seller, active or not (for the people who manage them)."""
    require(actor, seller, SHIPPING_CAPABILITY)
    return ShippingMethod.objects.filter(seller=seller).order_by("position", "id")


def active_shipping_methods(seller_ids: Iterable[int]) -> dict[int, list[ShippingMethod]]:
    """What buyers may choose at checkout, per seller (one query for any number of sellers)."""
    found: dict[int, list[ShippingMethod]] = defaultdict(list)
    rows = ShippingMethod.objects.filter(seller_id__in=list(seller_ids), is_active=True).order_by(
        "seller_id", "position", "id"
    )
    for method in rows:
        found[method.seller_id].append(method)
    return dict(found)


def _with_lines(qs: QuerySet[Shipment]) -> QuerySet[Shipment]:
    return qs.prefetch_related(
        Prefetch("lines", ShipmentLine.objects.select_related("order_line").order_by("order_line_id"))
    ).order_by("shipped_at", "id")


def order_shipments(order: Order) -> list[Shipment]:
    """The parcels of an order the caller may already see (scoped by the orders selectors), with their lines."""
    return list(_with_lines(Shipment.objects.filter(order=order)))


def shipments_by_order(order_ids: Iterable[int]) -> dict[int, list[Shipment]]:
    """Shipments of many orders at once (two queries), e.g. for a list of orders."""
    found: dict[int, list[Shipment]] = defaultdict(list)
    for shipment in _with_lines(Shipment.objects.filter(order_id__in=list(order_ids))):
        found[shipment.order_id].append(shipment)
    return dict(found)
