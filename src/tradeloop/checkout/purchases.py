"""Purchases: the orders a merchant's organization placed as a buyer (restocking from suppliers on the platform),
and receiving their goods into the merchant's warehouse.

Receiving locks the purchase order's lines (so two receipts of one line queue up), checks what was shipped, and
hands over to `inventory.supply.receive_supply`, which raises the merchant's stock by received × pack size in the
same transaction and never lets a line take more than shipped minus received.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.checkout.errors import Code
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.core.idempotency import replay_or_run
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.inventory import supply
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order, OrderLine

CAPABILITY = supply.CAPABILITY
RECEIVABLE = (Order.State.PARTIALLY_SHIPPED, Order.State.SHIPPED, Order.State.DELIVERED, Order.State.COMPLETED)


def _purchases(merchant: Organization):
    return (
        Order.objects.filter(buyer_org=merchant)
        .select_related("seller")
        .prefetch_related(Prefetch("lines", OrderLine.objects.order_by("id")))
    )


@dataclass
class PurchaseLine:
    line: OrderLine
    received: int
    source: object | None  # inventory.SupplySource for the line's variant, if the merchant linked one

    @property
    def to_receive(self) -> int:
        return max(self.line.quantity_shipped - self.received, 0)


def _with_receipts(merchant: Organization, placed: list[Order]) -> dict[int, list[PurchaseLine]]:
    """Each order's lines with what was received and their supply source: two queries for any number of orders."""
    lines = [line for order in placed for line in order.lines.all()]
    received = supply.received_units([orders.line_ref(line) for line in lines])
    sources = {s.supplier_variant_id: s for s in supply.sources_for(merchant, {line.variant_id for line in lines})}
    return {
        order.pk: [
            PurchaseLine(line, received.get(orders.line_ref(line), 0), sources.get(line.variant_id))
            for line in order.lines.all()
        ]
        for order in placed
    }


def purchase_orders(
    *, actor: User, merchant: Organization, cursor: str | None = None, limit: int = 25
) -> tuple[Page, dict[int, list[PurchaseLine]]]:
    """The orders the organization placed as a buyer, newest first, with what each line received: 5 queries."""
    require(actor, merchant, CAPABILITY)
    page = keyset_page(_purchases(merchant), order=("-placed_at", "-id"), cursor=cursor, limit=limit)
    return page, _with_receipts(merchant, page.items)


def purchase_order(*, actor: User, merchant: Organization, order_id) -> tuple[Order, list[PurchaseLine]]:
    require(actor, merchant, CAPABILITY)
    order = _purchases(merchant).filter(pk=order_id if str(order_id).isdigit() else None).first()
    if order is None:
        raise NotFound(gettext("Purchase order not found."), field="order")
    return order, _with_receipts(merchant, [order])[order.pk]


@transaction.atomic
def _receive(
    *, actor: User, merchant: Organization, order_id: int, quantities: dict[int, int], warehouse_id, reference, note
) -> dict:
    require(actor, merchant, CAPABILITY)
    order = Order.objects.filter(pk=order_id, buyer_org=merchant).first()
    if order is None:
        raise NotFound(gettext("Purchase order not found."), field="order")
    if order.state not in RECEIVABLE:
        raise Conflict(
            gettext("Nothing of order %(number)s has shipped yet.") % {"number": order.number},
            code=Code.NOT_RECEIVABLE,
            field="order",
        )
    lines = {line.pk: line for line in OrderLine.objects.select_for_update().filter(order=order).order_by("id")}
    unknown = [line_id for line_id in quantities if line_id not in lines]
    if unknown:
        raise NotFound(gettext("That line is not on this order."), field="lines")
    if not quantities:
        raise ValidationFailed(gettext("Enter how many units arrived."), field="lines")
    receipt = supply.receive_supply(
        actor=actor,
        merchant=merchant,
        purchase_ref=orders.order_ref(order),
        warehouse_id=warehouse_id,
        reference=reference,
        note=note,
        lines=[
            supply.ReceiveLine(
                line_ref=orders.line_ref(line),
                supplier_variant_id=line.variant_id,
                sku=line.sku,
                quantity=quantities[line_id],
                shipped=line.quantity_shipped,
            )
            for line_id, line in lines.items()
            if line_id in quantities
        ],
    )
    return receipt_dict(receipt, lines)


def receipts_of(*, actor: User, merchant: Organization, order: Order, lines: list[PurchaseLine]) -> list[dict]:
    """The purchase order's receipts, newest first, with their lines named by order line (three queries)."""
    by_line = {line.line.pk: line.line for line in lines}
    found = supply.receipts(actor=actor, merchant=merchant, purchase_ref=orders.order_ref(order))
    return [receipt_dict(r, by_line) for r in found]


def receipt_dict(receipt, lines: dict[int, OrderLine] | None = None) -> dict:
    by_ref = {orders.line_ref(line): line.pk for line in (lines or {}).values()}
    return {
        "id": receipt.pk,
        "warehouse_id": receipt.warehouse_id,
        "reference": receipt.reference,
        "note": receipt.note,
        "received_at": receipt.received_at.isoformat(),
        "lines": [
            {
                "line_id": by_ref.get(r.line_ref),
                "supplier_variant_id": r.supplier_variant_id,
                "variant_id": r.variant_id,
                "quantity": r.quantity,
                "units": r.units,
            }
            for r in receipt.lines.all()
        ],
    }


def receive(
    *,
    actor: User,
    merchant: Organization,
    order_id: int,
    quantities: dict[int, int],
    warehouse_id: int,
    reference: str = "",
    note: str = "",
    key: str | None = None,
) -> tuple[int, dict]:
    """Receive goods of a purchase order (line id → units arrived, in the supplier's units). With an
    Idempotency-Key a repeat answers with the same receipt and adds no stock."""
    request_data = {
        "order": order_id,
        "merchant": merchant.pk,
        "lines": {str(k): v for k, v in sorted(quantities.items())},
        "warehouse": warehouse_id,
        "reference": reference,
        "note": note,
    }
    return replay_or_run(
        user=actor,
        scope="receipt",
        key=key,
        request_data=request_data,
        run=lambda: (
            201,
            _receive(
                actor=actor,
                merchant=merchant,
                order_id=order_id,
                quantities=quantities,
                warehouse_id=warehouse_id,
                reference=reference,
                note=note,
            ),
        ),
    )
