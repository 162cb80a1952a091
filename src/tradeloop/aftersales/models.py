from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field
from tradeloop.orders.models import Order, OrderLine


class ReturnRequest(models.Model):
    """A buyer asks to return goods (or for a refund only); the seller approves or rejects."""

    class Kind(models.TextChoices):
        RETURN = "return", _("Return and refund")
        REFUND_ONLY = "refund_only", _("Refund only")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        REFUNDED = "refunded", _("Refunded")
        CANCELLED = "cancelled", _("Withdrawn")

    ALLOWED = {
        State.REQUESTED: {State.APPROVED, State.REJECTED, State.CANCELLED},
        State.APPROVED: {State.REFUNDED},
    }

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RETURN)
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    refund_amount = amount_field()
    currency = currency_field()
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(refund_amount__gte=0), name="return_refund_ge_0")]

    def __str__(self) -> str:
        return f"return {self.pk} on {self.order}"


class ReturnLine(models.Model):
    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="return_lines")
    quantity = models.PositiveIntegerField()
    amount = amount_field()

    class Meta:
        verbose_name = _("returned line")
        verbose_name_plural = _("returned lines")
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="return_line_qty_gt_0")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.order_line_id}"
