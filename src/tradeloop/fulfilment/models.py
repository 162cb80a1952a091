from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field
from tradeloop.orders.models import Order, OrderLine


class ShippingMethod(models.Model):
    """How a seller ships, and what it costs: a flat rate, or bands by weight or by order value."""

    class Kind(models.TextChoices):
        FLAT = "flat", _("Flat rate")
        WEIGHT = "weight", _("By weight")
        PRICE = "price", _("By order value")

    seller = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="shipping_methods")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("pricing"), max_length=6, choices=Kind.choices, default=Kind.FLAT)
    rate = amount_field(_("rate"), help_text="The flat rate, or the rate above the last band")
    bands = models.JSONField(
        default=list, blank=True, help_text='[{"up_to": 1000, "rate": "8.00"}, …] — grams or order value'
    )
    free_over = amount_field(_("free over"), null=True, blank=True, default=None)
    currency = currency_field()
    delivery_days = models.PositiveSmallIntegerField(_("delivery days"), default=3)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        ordering = ["seller", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.seller})"


class Shipment(models.Model):
    class State(models.TextChoices):
        SHIPPED = "shipped", _("Shipped")
        IN_TRANSIT = "in_transit", _("In transit")
        DELIVERED = "delivered", _("Delivered")
        EXCEPTION = "exception", _("Delivery problem")

    ALLOWED = {
        State.SHIPPED: {State.IN_TRANSIT, State.DELIVERED, State.EXCEPTION},
        State.IN_TRANSIT: {State.DELIVERED, State.EXCEPTION},
        State.EXCEPTION: {State.IN_TRANSIT, State.DELIVERED},
    }

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    carrier = models.CharField(_("carrier"), max_length=60)
    tracking_number = models.CharField(_("tracking number"), max_length=80)
    state = models.CharField(max_length=12, choices=State.choices, default=State.SHIPPED)
    shipped_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    shipped_at = models.DateTimeField(default=clock.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["shipped_at", "id"]
        constraints = [models.UniqueConstraint(fields=["carrier", "tracking_number"], name="tracking_number_unique")]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="shipment_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("shipped line")
        verbose_name_plural = _("shipped lines")
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="shipment_line_qty_gt_0")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.order_line_id}"
