"""Stock: every change of a stock row goes through here, under the variant's row lock, and leaves a StockMovement.

Concurrency discipline (one rule for every path): a transaction that changes the stock of a variant first locks
that variant's row (`SELECT … FOR UPDATE`, many variants in primary-key order so two checkouts never deadlock),
then changes its stock rows with guarded UPDATEs (`WHERE on_hand - reserved >= q`), then recomputes the
denormalised `Variant.stock` (units available across active warehouses) and `Product.in_stock` in the same
transaction. On SQLite the IMMEDIATE transaction mode serialises writers instead of the row lock; the guards
are the same.

ALLOCATION RULE (reserve): a seller's active warehouses are tried in priority order (lowest number first, then
oldest). The first warehouse that can fill the whole quantity fills it; if none can, the quantity is split across
warehouses in priority order, taking all that is available from each until it is filled. If the available total is
short, nothing is reserved and `OutOfStock` is raised.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Variant
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.core.transactions import one_transaction
from tradeloop.inventory.models import Reservation, Stock, StockMovement, Warehouse

Reason = StockMovement.Reason
MAX_UNITS = 2**31 - 1  # the columns are 32-bit integers on PostgreSQL
MANUAL_REASONS = (Reason.ADJUSTMENT, Reason.RECEIVED, Reason.DAMAGED, Reason.COUNT, Reason.IMPORT, Reason.RETURNED)
DEFAULT_WAREHOUSE_CODE = "main"


class OutOfStock(Conflict):
    code = "out_of_stock"

    def __init__(self, sku: str, *, requested: int, available: int):
        super().__init__(
            gettext("Only %(available)s of %(sku)s left (you asked for %(requested)s).")
            % {"available": max(available, 0), "sku": sku, "requested": requested},
            field="quantity",
        )
        self.sku, self.requested, self.available = sku, requested, max(available, 0)


@dataclass(frozen=True)
class ReserveItem:
    variant_id: int
    quantity: int
    ref: str


# ---------- warehouses ----------


def default_warehouse(seller: Organization) -> Warehouse:
    """The seller's first active warehouse by priority; a "Main warehouse" is created on first need."""
    found = seller.warehouses.filter(is_active=True).order_by("priority", "id").first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            warehouse, _ = Warehouse.objects.get_or_create(
                seller=seller, code=DEFAULT_WAREHOUSE_CODE, defaults={"name": gettext("Main warehouse"), "priority": 0}
            )
    except IntegrityError:  # created concurrently
        warehouse = Warehouse.objects.get(seller=seller, code=DEFAULT_WAREHOUSE_CODE)
    if not warehouse.is_active:
        Warehouse.objects.filter(pk=warehouse.pk).update(is_active=True)
        warehouse.is_active = True
    return warehouse


def _text(value: str | None, *, field: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(gettext("This field is required."), field=field)
    if len(value) > max_length:
        raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": max_length}, field=field)
    return value


def _priority(value) -> int:
    try:
        priority = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(gettext("Priority must be a whole number."), field="priority") from exc
    if not 0 <= priority <= 32767:
        raise ValidationFailed(gettext("Priority must be between 0 and 32767."), field="priority")
    return priority


@transaction.atomic
def create_warehouse(
    *, actor: User, seller: Organization, name: str, code: str = "", city: str = "", address: str = "", priority=10
) -> Warehouse:
    require(actor, seller, "catalog.manage")
    name = _text(name, field="name", max_length=120, required=True)
    code = slugify(code or name)[:30] or f"wh-{seller.warehouses.count() + 1}"
    if seller.warehouses.filter(code=code).exists():
        raise Conflict(gettext("A warehouse with the code %(code)s exists.") % {"code": code}, field="code")
    return Warehouse.objects.create(
        seller=seller,
        code=code,
        name=name,
        city=_text(city, field="city", max_length=80),
        address=_text(address, field="address", max_length=240),
        priority=_priority(priority),
    )


@transaction.atomic
def update_warehouse(*, actor: User, warehouse_id: int, **changes) -> Warehouse:
    """Rename, re-prioritise or (de)activate a warehouse. Deactivating takes its units out of what is for sale."""
    warehouse = seller_warehouse(actor=actor, warehouse_id=warehouse_id)
    unknown = set(changes) - {"name", "city", "address", "priority", "is_active"}
    if unknown:
        raise ValidationFailed(f"unknown field {sorted(unknown)[0]!r}", field=sorted(unknown)[0])
    if "name" in changes:
        warehouse.name = _text(changes["name"], field="name", max_length=120, required=True)
    for name, limit in (("city", 80), ("address", 240)):
        if name in changes:
            setattr(warehouse, name, _text(changes[name], field=name, max_length=limit))
    if "priority" in changes:
        warehouse.priority = _priority(changes["priority"])
    activity_changed = "is_active" in changes and bool(changes["is_active"]) != warehouse.is_active
    if activity_changed:
        if not changes["is_active"] and warehouse.stock_levels.filter(reserved__gt=0).exists():
            raise Conflict(gettext("Units in this warehouse are reserved for unpaid orders."), field="is_active")
        warehouse.is_active = bool(changes["is_active"])
    warehouse.save()
    if activity_changed:
        variant_ids = list(warehouse.stock_levels.values_list("variant_id", flat=True))
        _lock_variants(variant_ids)
        _refresh_variants(variant_ids)
    return warehouse


def seller_warehouse(*, actor: User, warehouse_id: int, capability: str = "catalog.manage") -> Warehouse:
    warehouse = Warehouse.objects.select_related("seller").filter(pk=warehouse_id).first()
    if warehouse is None:
        raise NotFound(gettext("Warehouse not found."), field="warehouse")
    try:
        require(actor, warehouse.seller, capability)
    except NotFound as exc:
        raise NotFound(gettext("Warehouse not found."), field="warehouse") from exc
    return warehouse


# ---------- the locking discipline ----------


def _lock_variants(variant_ids: Iterable[int]) -> dict[int, Variant]:
    ids = sorted(set(variant_ids))
    if not ids:
        return {}
    locked = Variant.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
    return {v.pk: v for v in locked.only("id", "sku", "product_id", "stock")}


def _refresh_variants(variant_ids: Iterable[int], *, flags: bool = True) -> None:
    """Variant.stock := units available across active warehouses; then the products' in-stock flags (`flags=False`:
    the caller knows no variant ran out)."""
    from tradeloop.catalog.services import refresh_stock_flags  # same layer; catalog calls us lazily too

    ids = sorted(set(variant_ids))
    if not ids:
        return
    available = (
        Stock.objects.filter(variant=OuterRef("pk"), warehouse__is_active=True)
        .order_by()
        .values("variant")
        .annotate(units=Sum(F("on_hand") - F("reserved")))
        .values("units")
    )
    Variant.objects.filter(pk__in=ids).update(stock=Coalesce(Subquery(available), Value(0)))
    if flags:
        refresh_stock_flags(Variant.objects.filter(pk__in=ids).values("product_id"))  # a subquery, not a round trip


def _case(values: dict[int, int]) -> Case:
    return Case(
        *(When(pk=pk, then=Value(v)) for pk, v in values.items()), default=Value(0), output_field=IntegerField()
    )


def _units(value, *, field: str, allow_zero: bool = True, allow_negative: bool = False) -> int:
    if isinstance(value, bool):
        raise ValidationFailed(gettext("Enter a whole number."), field=field)
    try:
        units = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(gettext("Enter a whole number."), field=field) from exc
    if units != value and not isinstance(value, str):
        raise ValidationFailed(gettext("Enter a whole number."), field=field)
    if abs(units) > MAX_UNITS or (units < 0 and not allow_negative) or (units == 0 and not allow_zero):
        raise ValidationFailed(gettext("That quantity is not allowed here."), field=field)
    return units


def _reason(reason: str) -> str:
    if reason not in MANUAL_REASONS:
        raise ValidationFailed(gettext("Choose a reason for the change."), field="reason")
    return reason


def _check_seller(actor: User | None, seller_id: int, capability: str = "catalog.manage") -> None:
    if actor is not None:  # None: the platform itself (an import, a return) after its own checks
        require(actor, seller_id, capability)


# ---------- levels and adjustments (people) ----------


def _stock_row(variant: Variant, warehouse: Warehouse) -> Stock:
    stock, _ = Stock.objects.get_or_create(variant=variant, warehouse=warehouse)
    return stock


@transaction.atomic
def set_level(
    *, actor: User | None, variant: Variant, warehouse: Warehouse, on_hand: int, reason: str, note: str = ""
) -> Stock:
    """Set the units on hand in one warehouse (a stock count, goods received). Reserved units cannot be counted away."""
    on_hand = _units(on_hand, field="on_hand")
    reason = _reason(reason)
    note = _text(note, field="note", max_length=200)
    seller_id = Variant.objects.filter(pk=variant.pk).values_list("product__seller_id", flat=True).first()
    _check_seller(actor, seller_id)
    if warehouse.seller_id != seller_id:
        raise NotFound(gettext("Warehouse not found."), field="warehouse")
    _lock_variants([variant.pk])
    stock = _stock_row(variant, warehouse)
    delta = on_hand - stock.on_hand
    if delta == 0:
        return stock
    if not Stock.objects.filter(pk=stock.pk, reserved__lte=on_hand).update(on_hand=on_hand):
        raise Conflict(
            gettext("%(n)s units are reserved for unpaid orders; the level cannot go below that.")
            % {"n": stock.reserved},
            field="on_hand",
        )
    StockMovement.objects.create(stock=stock, on_hand_delta=delta, reason=reason, note=note, actor=actor)
    _refresh_variants([variant.pk])
    stock.on_hand = on_hand
    return stock


@transaction.atomic
def adjust(*, actor: User, stock_id: int, delta: int, reason: str, note: str = "") -> Stock:
    """Add or take away units on hand (goods received, damaged, found in a count). Never below what is reserved."""
    delta = _units(delta, field="delta", allow_zero=False, allow_negative=True)
    reason = _reason(reason)
    note = _text(note, field="note", max_length=200)
    stock = Stock.objects.select_related("warehouse", "variant").filter(pk=stock_id).first()
    if stock is None:
        raise NotFound(gettext("Stock row not found."), field="stock")
    try:
        require(actor, stock.warehouse.seller_id, "catalog.manage")
    except NotFound as exc:
        raise NotFound(gettext("Stock row not found."), field="stock") from exc
    _lock_variants([stock.variant_id])
    guarded = Stock.objects.filter(pk=stock.pk, on_hand__gte=F("reserved") - delta, on_hand__lte=MAX_UNITS - delta)
    if not guarded.update(on_hand=F("on_hand") + delta):
        raise Conflict(gettext("That would take away units that are not there or are reserved."), field="delta")
    StockMovement.objects.create(stock=stock, on_hand_delta=delta, reason=reason, note=note, actor=actor)
    _refresh_variants([stock.variant_id])
    stock.refresh_from_db(fields=["on_hand", "reserved"])
    return stock


@transaction.atomic
def receive(*, actor: User, seller: Organization, sku: str, warehouse_id: int, quantity: int, note: str = "") -> Stock:
    """Goods arrived at a warehouse: `quantity` more units of the seller's variant `sku` there (a row if new)."""
    require(actor, seller, "catalog.manage")
    quantity = _units(quantity, field="quantity", allow_zero=False)
    matches = list(Variant.objects.filter(product__seller=seller, sku__iexact=(sku or "").strip())[:2])
    if not matches:
        raise NotFound(gettext("None of your products has the SKU %(sku)s.") % {"sku": sku}, field="sku")
    if len(matches) > 1:
        raise ValidationFailed(
            gettext("Several products use the SKU %(sku)s; adjust it on its row.") % {"sku": sku}, field="sku"
        )
    warehouse = Warehouse.objects.filter(pk=warehouse_id, seller=seller).first()
    if warehouse is None:
        raise NotFound(gettext("Warehouse not found."), field="warehouse")
    variant = matches[0]
    _lock_variants([variant.pk])
    stock = _stock_row(variant, warehouse)
    return adjust(actor=actor, stock_id=stock.pk, delta=quantity, reason=Reason.RECEIVED, note=note)


@transaction.atomic
def set_threshold(*, actor: User, stock_id: int, threshold: int) -> Stock:
    """The level at or under which the console warns about this row (low-stock alert)."""
    threshold = _units(threshold, field="low_stock_threshold")
    stock = Stock.objects.select_related("warehouse").filter(pk=stock_id).first()
    if stock is None:
        raise NotFound(gettext("Stock row not found."), field="stock")
    try:
        require(actor, stock.warehouse.seller_id, "catalog.manage")
    except NotFound as exc:
        raise NotFound(gettext("Stock row not found."), field="stock") from exc
    Stock.objects.filter(pk=stock.pk).update(low_stock_threshold=threshold)
    stock.low_stock_threshold = threshold
    return stock


@transaction.atomic
def set_available(*, actor: User | None, variant: Variant, available: int, reason: str = Reason.COUNT, note="") -> None:
    """Make `available` units of a variant available in total, changing its default warehouse.

    This is what the simple "stock" field of the product editor, the API's stock count and the CSV import mean:
    with one warehouse it is that warehouse's free units; with several, only the default one moves.
    """
    available = _units(available, field="stock")
    seller = Organization.objects.filter(products__variants=variant).first()
    if seller is None:
        raise NotFound(gettext("Variant not found."), field="variant")
    _check_seller(actor, seller.pk)
    locked = _lock_variants([variant.pk])
    _refresh_variants([variant.pk])  # heal a level written before stock rows existed
    current = Variant.objects.filter(pk=variant.pk).values_list("stock", flat=True).get()
    delta = available - current
    if delta == 0:
        return
    stock = _stock_row(locked[variant.pk], default_warehouse(seller))
    if stock.on_hand + delta < stock.reserved:
        raise Conflict(
            gettext("The default warehouse cannot go that low; adjust the other warehouses on the Stock page."),
            field="stock",
        )
    set_level(  # the actor was checked above; the movement names them
        actor=actor, variant=variant, warehouse=stock.warehouse, on_hand=stock.on_hand + delta, reason=reason, note=note
    )


@transaction.atomic
def set_stock(*, actor: User, variant_id: int, quantity: int) -> Variant:
    """The API's stock count: `quantity` units of the variant available from now on (see `set_available`).

    The variant's row is locked so a concurrent sale is not silently lost, and the change is recorded on the
    variant (old → new) besides the stock movement."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 <= quantity <= MAX_UNITS:
        raise ValidationFailed(gettext("stock must be a whole number, zero or more"), field="stock")
    variant = Variant.objects.select_related("product__seller").filter(pk=variant_id).first()
    if variant is None:
        raise NotFound(gettext("variant not found"), field="variant")
    try:
        require(actor, variant.product.seller, "catalog.manage")
    except NotFound as exc:
        raise NotFound(gettext("variant not found"), field="variant") from exc
    old = _lock_variants([variant.pk])[variant.pk].stock
    set_available(actor=actor, variant=variant, available=quantity)
    variant.refresh_from_db(fields=["stock"])
    states.record(variant, old=str(old), new=str(quantity), actor=actor, reason="stock set")
    return variant


def import_levels(*, seller: Organization, levels: dict[int, int], note: str = "") -> int:
    """Bulk stock from an import: `levels` maps variant id → units on hand in the default warehouse.

    A fixed number of queries for any number of variants (bulk inserts aside, which the database driver may
    batch); the caller has checked the actor. Reserved units stay: an import cannot count away what unpaid
    orders hold. Returns the number of rows changed.
    """
    if not levels:
        return 0
    units = {variant_id: _units(n, field="stock") for variant_id, n in levels.items()}
    warehouse = default_warehouse(seller)
    with transaction.atomic(savepoint=False):
        _lock_variants(units)
        existing = {s.variant_id: s for s in Stock.objects.filter(warehouse=warehouse, variant_id__in=units)}
        created = Stock.objects.bulk_create(
            [Stock(variant_id=v, warehouse=warehouse, on_hand=n) for v, n in units.items() if v not in existing and n]
        )
        targets = {s.pk: max(units[s.variant_id], s.reserved) for s in existing.values()}
        changed = [s for s in existing.values() if targets[s.pk] != s.on_hand]
        if changed:
            Stock.objects.filter(pk__in=[s.pk for s in changed]).update(
                on_hand=_case({s.pk: targets[s.pk] for s in changed})
            )
        deltas = [(s, targets[s.pk] - s.on_hand) for s in changed] + [(s, s.on_hand) for s in created]
        StockMovement.objects.bulk_create(
            StockMovement(stock=s, on_hand_delta=delta, reason=Reason.IMPORT, note=note[:200]) for s, delta in deltas
        )
        _refresh_variants(units)
    return len(deltas)


# ---------- reservations (orders) ----------


def _allocate(rows: list[Stock], quantity: int, taken: dict[int, int]) -> list[tuple[Stock, int]] | None:
    """The allocation rule (see the module docstring); `taken` counts units already promised in this call."""
    free = [(row, row.on_hand - row.reserved - taken.get(row.pk, 0)) for row in rows]
    for row, units in free:
        if units >= quantity:
            return [(row, quantity)]
    if sum(max(units, 0) for _, units in free) < quantity:
        return None
    plan, remaining = [], quantity
    for row, units in free:
        if units > 0 and remaining:
            take = min(units, remaining)
            plan.append((row, take))
            remaining -= take
    return plan


@one_transaction()
def reserve_many(*, items: list[ReserveItem], until: datetime) -> list[Reservation]:
    """Reserve stock for many lines at once (a whole checkout): a fixed number of queries for any number of lines.

    All or nothing: if one line cannot be filled, nothing is reserved and `OutOfStock` names that line's SKU.
    """
    for item in items:
        _units(item.quantity, field="quantity", allow_zero=False)
    variants = _lock_variants(item.variant_id for item in items)
    rows_by_variant: dict[int, list[Stock]] = defaultdict(list)
    stock_rows = Stock.objects.filter(variant_id__in=variants, warehouse__is_active=True).order_by(
        "warehouse__priority", "warehouse_id"
    )
    for row in stock_rows:
        rows_by_variant[row.variant_id].append(row)
    taken: dict[int, int] = defaultdict(int)
    plans: list[tuple[ReserveItem, list[tuple[Stock, int]]]] = []
    for item in items:
        variant = variants.get(item.variant_id)
        if variant is None:
            raise NotFound(gettext("Variant not found."), field="variant")
        rows = rows_by_variant[item.variant_id]
        plan = _allocate(rows, item.quantity, taken)
        if plan is None:
            free = sum(r.on_hand - r.reserved - taken[r.pk] for r in rows)
            raise OutOfStock(variant.sku, requested=item.quantity, available=free)
        for row, units in plan:
            taken[row.pk] += units
        plans.append((item, plan))
    guard = Q()
    for pk, units in taken.items():
        guard |= Q(pk=pk, on_hand__gte=F("reserved") + units)
    if Stock.objects.filter(guard).update(reserved=F("reserved") + _case(taken)) != len(taken):
        raise Conflict(gettext("Stock changed while reserving; please try again."), field="quantity")
    reservations = [
        Reservation(stock=row, ref=item.ref, quantity=units, expires_at=until)
        for item, plan in plans
        for row, units in plan
    ]
    Reservation.objects.bulk_create(reservations)
    StockMovement.objects.bulk_create(
        StockMovement(stock=r.stock, reserved_delta=r.quantity, reason=Reason.RESERVED, ref=r.ref) for r in reservations
    )
    held: dict[int, int] = defaultdict(int)
    for item in items:
        held[item.variant_id] += item.quantity
    ran_out = any(variants[pk].stock - units <= 0 for pk, units in held.items())
    _refresh_variants(variants, flags=ran_out)  # a product still in stock keeps its flag (and its search entry)
    return reservations


def reserve(*, variant: Variant, quantity: int, ref: str, until: datetime) -> list[Reservation]:
    """Reserve `quantity` units of one variant for `ref` (e.g. "order-line:17") until `until`. See ALLOCATION RULE."""
    return reserve_many(items=[ReserveItem(variant.pk, quantity, ref)], until=until)


def _refs(ref: str | Iterable[str]) -> list[str]:
    return [ref] if isinstance(ref, str) else list(ref)


def _held(refs: list[str], *, expired_by: datetime | None = None) -> list[Reservation]:
    """The held reservations for `refs`, locked: their variants first (the discipline), then the rows."""
    held = Reservation.objects.filter(ref__in=refs, state=Reservation.State.HELD)
    if expired_by is not None:
        held = held.filter(expires_at__lte=expired_by)
    _lock_variants(held.values_list("stock__variant_id", flat=True))
    return list(held.select_for_update(of=("self",)).select_related("stock"))


def _finish(reservations: list[Reservation], *, state: str, on_hand_sign: int, reason: str) -> None:
    by_stock: dict[int, int] = defaultdict(int)
    for r in reservations:
        by_stock[r.stock_id] += r.quantity
    amounts = _case(by_stock)
    Stock.objects.filter(pk__in=by_stock).update(
        reserved=F("reserved") - amounts, on_hand=F("on_hand") + on_hand_sign * amounts
    )
    Reservation.objects.filter(pk__in=[r.pk for r in reservations]).update(state=state)
    StockMovement.objects.bulk_create(
        StockMovement(
            stock_id=r.stock_id,
            on_hand_delta=on_hand_sign * r.quantity,
            reserved_delta=-r.quantity,
            reason=reason,
            ref=r.ref,
        )
        for r in reservations
    )


@transaction.atomic
def commit(*, ref: str | Iterable[str]) -> int:
    """The order is paid: reserved units leave stock (on_hand −= q, reserved −= q). Idempotent; returns units."""
    reservations = _held(_refs(ref))
    if reservations:
        _finish(reservations, state=Reservation.State.COMMITTED, on_hand_sign=-1, reason=Reason.SOLD)
    return sum(r.quantity for r in reservations)


@transaction.atomic
def release(*, ref: str | Iterable[str]) -> int:
    """The order will not be paid: reserved units become available again. Idempotent; returns units."""
    reservations = _held(_refs(ref))
    _release(reservations)
    return sum(r.quantity for r in reservations)


def _release(reservations: list[Reservation]) -> None:
    if reservations:
        _finish(reservations, state=Reservation.State.RELEASED, on_hand_sign=0, reason=Reason.RELEASED)
        _refresh_variants({r.stock.variant_id for r in reservations})


def held_units(ref: str | Iterable[str]) -> dict[str, int]:
    """Units still held per ref (a paid order checks its reservations did not lapse)."""
    out: dict[str, int] = defaultdict(int)
    for r_ref, quantity in Reservation.objects.filter(ref__in=_refs(ref), state=Reservation.State.HELD).values_list(
        "ref", "quantity"
    ):
        out[r_ref] += quantity
    return dict(out)


def committed_units(ref: str | Iterable[str]) -> dict[str, int]:
    """Units that left stock per ref (a cancelled paid order puts back only what it really took)."""
    out: dict[str, int] = defaultdict(int)
    committed = Reservation.objects.filter(ref__in=_refs(ref), state=Reservation.State.COMMITTED)
    for r_ref, quantity in committed.values_list("ref", "quantity"):
        out[r_ref] += quantity
    return dict(out)


@transaction.atomic
def restock(
    *, variant: Variant, quantity: int, ref: str, actor: User | None, source_ref: str | None = None, note: str = ""
) -> Stock:
    """Returned goods go back on hand, into the first warehouse they came from (the reservation of `source_ref`,
    e.g. "order-line:17"), else the default warehouse. Idempotent per `ref` (e.g. "return:7:line:3")."""
    quantity = _units(quantity, field="quantity", allow_zero=False)
    seller_id = Variant.objects.filter(pk=variant.pk).values_list("product__seller_id", flat=True).first()
    if seller_id is None:
        raise NotFound(gettext("Variant not found."), field="variant")
    _lock_variants([variant.pk])
    done = StockMovement.objects.filter(ref=ref, reason=Reason.RETURNED, stock__variant=variant).select_related("stock")
    if (previous := done.first()) is not None:
        return previous.stock
    origin = None
    if source_ref:
        origin = (
            Reservation.objects.filter(ref=source_ref, stock__variant=variant, stock__warehouse__is_active=True)
            .order_by("stock__warehouse__priority", "id")
            .select_related("stock")
            .first()
        )
    stock = origin.stock if origin else _stock_row(variant, default_warehouse(Organization.objects.get(pk=seller_id)))
    Stock.objects.filter(pk=stock.pk).update(on_hand=F("on_hand") + quantity)
    StockMovement.objects.create(
        stock=stock, on_hand_delta=quantity, reason=Reason.RETURNED, ref=ref, actor=actor, note=note[:200]
    )
    _refresh_variants([variant.pk])
    stock.refresh_from_db(fields=["on_hand", "reserved"])
    return stock


def sweep_expired_reservations(now: datetime | None = None) -> int:
    """Release every held reservation past its time (an abandoned payment). Idempotent; returns reservations."""
    now = now or clock.now()
    refs = list(
        Reservation.objects.filter(state=Reservation.State.HELD, expires_at__lte=now)
        .values_list("ref", flat=True)
        .distinct()[:1000]
    )
    if not refs:
        return 0
    with transaction.atomic():
        reservations = _held(refs, expired_by=now)
        _release(reservations)
    return len(reservations)
