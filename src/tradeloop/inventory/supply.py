"""Supply: a merchant that sells also buys on the platform. A supply source says which supplier variant restocks
one of the merchant's own variants, and how many of the merchant's units a pack holds. A goods receipt records
what of a purchase order line arrived: the merchant's stock rises by received × pack, in the same transaction,
under the stock discipline of `inventory.services` (the merchant's variant rows locked first), and the receipt
line keeps the stock movement it made.

Purchase orders belong to `orders`, above this app: the caller (checkout.purchases) reads the order lines, locks
them, and hands each line over as a `ReceiveLine` with its ref ("order-line:17") and the units shipped so far.
Here, under the variant locks, a line never receives more than shipped minus what its earlier receipts took.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet, Sum
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Product, Variant
from tradeloop.core import clock
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.inventory.errors import Code
from tradeloop.inventory.models import Receipt, ReceiptLine, Stock, StockMovement, SupplySource, Warehouse
from tradeloop.inventory.services import MAX_UNITS, _lock_variants, _refresh_variants, _stock_row

CAPABILITY = "catalog.manage"
MAX_PACK = 100_000


# ---------- supply sources ----------


def sources(*, actor: User, merchant: Organization) -> list[SupplySource]:
    """The merchant's supply sources with both variants and the supplier: one query."""
    require(actor, merchant, CAPABILITY)
    return list(
        SupplySource.objects.filter(merchant=merchant)
        .select_related("variant__product", "supplier_variant__product__seller")
        .order_by("id")
    )


def sources_for(merchant: Organization, supplier_variant_ids) -> list[SupplySource]:
    """The merchant's sources for these supplier variants (one query; the caller has checked the actor)."""
    return list(
        SupplySource.objects.filter(merchant=merchant, supplier_variant_id__in=list(supplier_variant_ids))
        .select_related("variant__product")
        .order_by("id")
    )


def _own_source(actor: User, source_id) -> SupplySource:
    found = (
        SupplySource.objects.select_related("variant__product", "supplier_variant__product__seller")
        .filter(pk=source_id if str(source_id).isdigit() else None)
        .first()
    )
    if found is None:
        raise NotFound(gettext("Supply source not found."), field="supply_source")
    try:
        require(actor, found.merchant_id, CAPABILITY)
    except NotFound as exc:
        raise NotFound(gettext("Supply source not found."), field="supply_source") from exc
    return found


def source(*, actor: User, source_id: int) -> SupplySource:
    return _own_source(actor, source_id)


def _pack(value) -> int:
    if isinstance(value, bool):
        raise ValidationFailed(gettext("Enter a whole number."), field="units_per_pack")
    try:
        pack = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(gettext("Enter a whole number."), field="units_per_pack") from exc
    if not 1 <= pack <= MAX_PACK:
        raise ValidationFailed(
            gettext("A pack holds from 1 to %(max)s units.") % {"max": MAX_PACK}, field="units_per_pack"
        )
    return pack


def _variants(merchant: Organization, variant_id, supplier_variant_id) -> tuple[Variant, Variant]:
    own = Variant.objects.filter(pk=variant_id, product__seller=merchant).select_related("product").first()
    if own is None:
        raise NotFound(gettext("None of your products has this variant."), field="variant")
    supplied = (
        Variant.objects.filter(
            pk=supplier_variant_id,
            product__status=Product.Status.PUBLISHED,
            product__kind=Product.Kind.PHYSICAL,
            product__seller__is_active=True,
        )
        .exclude(product__seller=merchant)
        .select_related("product__seller")
        .first()
    )
    if supplied is None:
        raise NotFound(gettext("That supplier's product is not for sale."), field="supplier_variant")
    return own, supplied


@transaction.atomic
def save_source(
    *,
    actor: User,
    merchant: Organization,
    variant_id: int,
    supplier_variant_id: int,
    units_per_pack=1,
    note: str = "",
    source_id: int | None = None,
) -> SupplySource:
    """Link one of the merchant's variants to a supplier's variant (or, with source_id, change the link)."""
    require(actor, merchant, CAPABILITY)
    own, supplied = _variants(merchant, variant_id, supplier_variant_id)
    found = _own_source(actor, source_id) if source_id is not None else SupplySource(merchant=merchant)
    if found.merchant_id != merchant.pk:
        raise NotFound(gettext("Supply source not found."), field="supply_source")
    found.variant, found.supplier_variant = own, supplied
    found.units_per_pack = _pack(units_per_pack)
    found.note = (note or "").strip()[:200]
    try:
        with transaction.atomic():
            found.save()
    except IntegrityError as exc:
        raise Conflict(
            gettext("%(sku)s already restocks one of your products.") % {"sku": supplied.sku},
            field="supplier_variant",
            code=Code.DUPLICATE_SOURCE,
        ) from exc
    return found


@transaction.atomic
def delete_source(*, actor: User, source_id: int) -> None:
    """Receipts keep their lines (they name both variants themselves)."""
    _own_source(actor, source_id).delete()


@dataclass(frozen=True)
class Reorder:
    """What to buy again for a low stock row: the source, and a suggested number of the supplier's packs."""

    source: SupplySource
    packs: int

    @property
    def sku(self) -> str:
        return self.source.supplier_variant.sku

    @property
    def quick_order_line(self) -> str:
        return f"{self.sku},{self.packs}"


def suggested_packs(*, available: int, threshold: int, units_per_pack: int) -> int:
    """Enough packs to bring the stock to twice its alert level (at least one pack)."""
    wanted = max(2 * max(threshold, 1) - max(available, 0), 1)
    return max(math.ceil(wanted / units_per_pack), 1)


def reorders(*, merchant: Organization, rows: list[Stock]) -> dict[int, Reorder]:
    """Stock row id → what to reorder, for the rows at or under their alert level that have a supply source (one
    query for all the rows; the caller has checked the actor)."""
    low = [row for row in rows if row.available <= row.low_stock_threshold]
    if not low:
        return {}
    by_variant: dict[int, SupplySource] = {}
    found = SupplySource.objects.filter(merchant=merchant, variant_id__in={row.variant_id for row in low})
    for s in found.select_related("supplier_variant__product__seller").order_by("id"):
        by_variant.setdefault(s.variant_id, s)
    return {
        row.pk: Reorder(
            s,
            suggested_packs(
                available=row.available, threshold=row.low_stock_threshold, units_per_pack=s.units_per_pack
            ),
        )
        for row in low
        if (s := by_variant.get(row.variant_id)) is not None
    }


# ---------- receipts ----------


@dataclass(frozen=True)
class ReceiveLine:
    line_ref: str  # the purchase order line, e.g. "order-line:17"
    supplier_variant_id: int
    sku: str
    quantity: int  # received now, in the supplier's units
    shipped: int  # units the supplier shipped on this line so far


def received_units(line_refs: list[str]) -> dict[str, int]:
    """Units received so far per purchase order line (one query)."""
    rows = (
        ReceiptLine.objects.filter(line_ref__in=line_refs)
        .values("line_ref")
        .order_by()
        .annotate(n=Sum("quantity"))
        .values_list("line_ref", "n")
    )
    return dict(rows)


def _quantity(value, index: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_UNITS:
        raise ValidationFailed(gettext("Enter a whole number, zero or more."), field=f"lines.{index}.quantity")
    return value


@transaction.atomic
def receive_supply(
    *,
    actor: User,
    merchant: Organization,
    purchase_ref: str,
    warehouse_id: int,
    lines: list[ReceiveLine],
    reference: str = "",
    note: str = "",
) -> Receipt:
    """Goods of a purchase order arrived: each line's quantity (zero: not this time) is recorded and its units
    (× the pack size of the line's supply source) go on hand in the warehouse, as one receipt. A line never takes
    more than shipped minus received before (409 over_receipt); a line whose SKU has no supply source is refused
    (400 no_supply_source). All or nothing."""
    require(actor, merchant, CAPABILITY)
    warehouse = Warehouse.objects.filter(pk=warehouse_id, seller=merchant, is_active=True).first()
    if warehouse is None:
        raise NotFound(gettext("Warehouse not found."), field="warehouse")
    wanted = [(i, line, _quantity(line.quantity, i)) for i, line in enumerate(lines)]
    wanted = [(i, line, q) for i, line, q in wanted if q]
    if not wanted:
        raise ValidationFailed(gettext("Enter how many units arrived."), field="lines", code=Code.NOTHING_TO_RECEIVE)
    by_supplier = {
        s.supplier_variant_id: s
        for s in SupplySource.objects.filter(
            merchant=merchant, supplier_variant_id__in={line.supplier_variant_id for _, line, _ in wanted}
        )
    }
    for i, line, _ in wanted:
        if line.supplier_variant_id not in by_supplier:
            raise ValidationFailed(
                gettext("Link %(sku)s to one of your products first.") % {"sku": line.sku},
                field=f"lines.{i}",
                code=Code.NO_SUPPLY_SOURCE,
            )
    variants = _lock_variants(s.variant_id for s in by_supplier.values())  # serialises receipts of these goods
    before = received_units([line.line_ref for _, line, _ in wanted])
    taking: dict[str, int] = {}
    for i, line, quantity in wanted:
        taken = before.get(line.line_ref, 0) + taking.get(line.line_ref, 0)
        if taken + quantity > line.shipped:
            raise Conflict(
                gettext("Only %(n)s of %(sku)s are left to receive (shipped %(shipped)s, received %(received)s).")
                % {"n": max(line.shipped - taken, 0), "sku": line.sku, "shipped": line.shipped, "received": taken},
                field=f"lines.{i}.quantity",
                code=Code.OVER_RECEIPT,
            )
        taking[line.line_ref] = taking.get(line.line_ref, 0) + quantity
    receipt = Receipt.objects.create(
        merchant=merchant,
        warehouse=warehouse,
        purchase_ref=purchase_ref[:80],
        reference=(reference or "").strip()[:80],
        note=(note or "").strip()[:200],
        actor=actor,
        received_at=clock.now(),
    )
    for _, line, quantity in wanted:
        s = by_supplier[line.supplier_variant_id]
        units = quantity * s.units_per_pack
        stock = _stock_row(variants[s.variant_id], warehouse)
        if not Stock.objects.filter(pk=stock.pk, on_hand__lte=MAX_UNITS - units).update(on_hand=F("on_hand") + units):
            raise ValidationFailed(gettext("That quantity is not allowed here."), field="lines")
        movement = StockMovement.objects.create(
            stock=stock,
            on_hand_delta=units,
            reason=StockMovement.Reason.RECEIVED,
            ref=f"receipt:{receipt.pk}",
            note=(receipt.reference or purchase_ref)[:200],
            actor=actor,
        )
        ReceiptLine.objects.create(
            receipt=receipt,
            line_ref=line.line_ref,
            supplier_variant_id=line.supplier_variant_id,
            variant_id=s.variant_id,
            quantity=quantity,
            units=units,
            movement=movement,
        )
    _refresh_variants(variants)
    return receipt


def receipts(*, actor: User, merchant: Organization, purchase_ref: str) -> QuerySet[Receipt]:
    """A purchase order's receipts with their lines, newest first (two queries)."""
    require(actor, merchant, CAPABILITY)
    return (
        Receipt.objects.filter(merchant=merchant, purchase_ref=purchase_ref)
        .select_related("warehouse", "actor")
        .prefetch_related("lines__variant")
        .order_by("-received_at", "-id")
    )
