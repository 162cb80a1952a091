from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.catalog.models import Variant
from tradeloop.core import clock


class Warehouse(models.Model):
    """Where a seller keeps goods. Orders allocate from warehouses in `priority` order (lowest first)."""

    seller = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="warehouses")
    code = models.SlugField(max_length=30)
    name = models.CharField(_("name"), max_length=120)
    city = models.CharField(_("city"), max_length=80, blank=True)
    address = models.CharField(_("address"), max_length=240, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=10)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["seller", "priority", "id"]
        constraints = [models.UniqueConstraint(fields=["seller", "code"], name="warehouse_code_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.seller})"


class Stock(models.Model):
    """Units of one variant in one warehouse. `reserved` units are promised to unpaid orders."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="stock_levels")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="stock_levels")
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    low_stock_threshold = models.PositiveIntegerField(default=5)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["warehouse__priority", "warehouse_id"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "warehouse"], name="one_stock_row_per_place"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_on_hand_ge_0"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stock_reserved_ge_0"),
            models.CheckConstraint(condition=Q(reserved__lte=F("on_hand")), name="stock_reserved_le_on_hand"),
        ]

    def __str__(self) -> str:
        return f"{self.variant.sku} @ {self.warehouse.code}: {self.on_hand} ({self.reserved} reserved)"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class StockMovement(models.Model):
    """Every change of a stock row, with its reason: the stock ledger."""

    class Reason(models.TextChoices):
        ADJUSTMENT = "adjustment", _("Adjustment")
        RECEIVED = "received", _("Goods received")
        DAMAGED = "damaged", _("Damaged or lost")
        COUNT = "count", _("Stock count")
        IMPORT = "import", _("Import")
        RESERVED = "reserved", _("Reserved for an order")
        RELEASED = "released", _("Reservation released")
        SOLD = "sold", _("Sold (shipped out)")
        RETURNED = "returned", _("Returned by a buyer")

    stock = models.ForeignKey(Stock, on_delete=models.CASCADE, related_name="movements")
    on_hand_delta = models.IntegerField(default=0)
    reserved_delta = models.IntegerField(default=0)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    note = models.CharField(max_length=200, blank=True)
    ref = models.CharField(max_length=80, blank=True, help_text="What caused it, e.g. order:42")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.reason} {self.on_hand_delta:+}/{self.reserved_delta:+}"


class Reservation(models.Model):
    """Units held for an order line from one warehouse until paid (committed) or released."""

    class State(models.TextChoices):
        HELD = "held", _("Held")
        COMMITTED = "committed", _("Committed")
        RELEASED = "released", _("Released")

    ALLOWED = {State.HELD: {State.COMMITTED, State.RELEASED}}

    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="reservations")
    ref = models.CharField(max_length=80, db_index=True, help_text="Who holds it, e.g. order-line:17")
    quantity = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.HELD)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("stock reservation")
        verbose_name_plural = _("stock reservations")
        indexes = [models.Index(fields=["state", "expires_at"])]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="reservation_qty_gt_0")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.stock_id} ({self.state})"


class SupplySource(models.Model):
    """Where a merchant buys one of its own variants on the platform: a supplier's variant, in packs of
    `units_per_pack` of the merchant's units (a box of 10 received puts 10 units on hand)."""

    merchant = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="supply_sources")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="supply_sources")
    supplier_variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="supplied_as")
    units_per_pack = models.PositiveIntegerField(_("units per pack"), default=1)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("supply source")
        verbose_name_plural = _("supply sources")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "supplier_variant"], name="one_source_per_supplier_variant"),
            models.CheckConstraint(condition=Q(units_per_pack__gt=0), name="supply_pack_gt_0"),
            models.CheckConstraint(condition=~Q(variant=F("supplier_variant")), name="supply_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} ← {self.supplier_variant_id} × {self.units_per_pack}"


class Receipt(models.Model):
    """Goods of a purchase order (the merchant bought them as a buyer) received into one of its warehouses."""

    merchant = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="receipts")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="receipts")
    purchase_ref = models.CharField(max_length=80, db_index=True, help_text="The purchase order, e.g. order:42")
    reference = models.CharField(_("delivery note"), max_length=80, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"receipt {self.pk} ({self.purchase_ref})"


class ReceiptLine(models.Model):
    """Units of one purchase order line received (in the supplier's units) and what they put on hand."""

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    line_ref = models.CharField(max_length=80, db_index=True, help_text="The purchase order line, e.g. order-line:17")
    supplier_variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity received"))
    units = models.PositiveIntegerField(_("units added to stock"))
    movement = models.OneToOneField(StockMovement, on_delete=models.PROTECT, related_name="receipt_line")

    class Meta:
        verbose_name = _("goods receipt line")
        verbose_name_plural = _("goods receipt lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="receipt_qty_gt_0"),
            models.CheckConstraint(condition=Q(units__gte=F("quantity")), name="receipt_units_ge_qty"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.line_ref}"
