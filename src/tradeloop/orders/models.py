from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.catalog.models import Variant
from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field
from tradeloop.orders.terms import parse_terms
from tradeloop.payments.models import Payment


class Order(models.Model):
    """One order between one buyer and one seller. The four modes share it; `mode` picks the policies."""

    class Mode(models.TextChoices):
        B2C = "b2c", "B2C"
        B2B = "b2b", "B2B"
        C2C = "c2c", "C2C"
        O2O = "o2o", "O2O"

    class State(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
        CONFIRMED = "confirmed", _("Confirmed on terms")
        PAID = "paid", _("Paid")
        PARTIALLY_SHIPPED = "partially_shipped", _("Partially shipped")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    ALLOWED = {
        State.AWAITING_APPROVAL: {State.PENDING_PAYMENT, State.CONFIRMED, State.CANCELLED},
        State.PENDING_PAYMENT: {State.PAID, State.CANCELLED},
        State.CONFIRMED: {State.PARTIALLY_SHIPPED, State.SHIPPED, State.CANCELLED},
        # an O2O order ships nothing: it completes when its vouchers are all used, refunded or expired
        State.PAID: {State.PARTIALLY_SHIPPED, State.SHIPPED, State.COMPLETED, State.CANCELLED},
        State.PARTIALLY_SHIPPED: {State.SHIPPED, State.CANCELLED},
        # a shipped escrow order (C2C) whose dispute ended in a full refund is closed as cancelled
        State.SHIPPED: {State.DELIVERED, State.CANCELLED},
        State.DELIVERED: {State.COMPLETED, State.CANCELLED},
    }
    # core.states.transition saves these with the state (orders.services.advance stamps them).
    TRANSITION_ALSO_SAVES = (
        *("confirmed_at", "payment_due_at", "paid_at", "shipped_at", "delivered_at", "completed_at", "cancelled_at"),
        "ship_by",
    )

    number = models.CharField(max_length=24, unique=True)
    mode = models.CharField(max_length=3, choices=Mode.choices, default=Mode.B2C)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING_PAYMENT)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    buyer_org = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="purchases"
    )
    seller = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sales")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="orders")
    payment_terms = models.CharField(
        _("payment terms"), max_length=30, blank=True, help_text="orders.terms code; empty: paid before shipping"
    )
    checkout_ref = models.CharField(max_length=40, blank=True, db_index=True)
    currency = currency_field()
    subtotal = amount_field()
    discount_total = amount_field()
    shipping_total = amount_field()
    total = amount_field()
    refunded_total = amount_field()
    commission_rate = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    # the mode's settlement: the ledger holds the payment in escrow (C2C) until the mode releases it
    held_in_escrow = models.BooleanField(default=False)
    shipping_address = models.JSONField(default=dict, blank=True)
    shipping_method = models.CharField(max_length=120, blank=True)
    note = models.CharField(max_length=500, blank=True)
    placed_at = models.DateTimeField(default=clock.now, db_index=True)
    payment_due_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)  # accepted on credit terms
    paid_at = models.DateTimeField(null=True, blank=True)
    ship_by = models.DateTimeField(null=True, blank=True)
    ship_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(fields=["seller", "state", "-placed_at"], name="order_desk"),
            models.Index(fields=["buyer", "-placed_at"], name="order_history"),
            models.Index(fields=["state", "payment_due_at"], name="order_unpaid_due"),
            models.Index(fields=["state", "ship_by"], name="order_ship_by"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_ge_0"),
            models.CheckConstraint(condition=Q(refunded_total__lte=F("total")), name="order_refund_le_total"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def terms(self):
        """The payment terms (orders.terms.Terms); B2C orders: pay before shipping."""
        return parse_terms(self.payment_terms)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="+")
    product_title = models.CharField(max_length=200)
    variant_name = models.CharField(max_length=120, blank=True)
    sku = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField()
    unit_price = amount_field()
    discount = amount_field()
    line_total = amount_field()
    weight_grams = models.PositiveIntegerField(default=0)
    quantity_shipped = models.PositiveIntegerField(default=0)
    quantity_returned = models.PositiveIntegerField(default=0)
    return_window_days = models.PositiveSmallIntegerField(default=7)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="line_qty_gt_0"),
            models.CheckConstraint(condition=Q(quantity_shipped__lte=F("quantity")), name="line_shipped_le_qty"),
            models.CheckConstraint(condition=Q(quantity_returned__lte=F("quantity")), name="line_returned_le_qty"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku}"


class Adjustment(models.Model):
    """One line of the price breakdown: a discount (negative) or a shipping charge, with where it came from."""

    class Kind(models.TextChoices):
        DISCOUNT = "discount", _("Discount")
        SHIPPING = "shipping", _("Shipping")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="adjustments")
    line = models.ForeignKey(OrderLine, null=True, blank=True, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.CharField(max_length=160)
    code = models.CharField(max_length=40, blank=True)
    promotion_id = models.BigIntegerField(null=True, blank=True)
    amount = amount_field()

    class Meta:
        verbose_name = _("order adjustment")
        verbose_name_plural = _("order adjustments")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"
