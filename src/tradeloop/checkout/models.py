from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tradeloop.catalog.models import Variant
from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field
from tradeloop.core.models import PostalAddress
from tradeloop.payments.models import Payment


class Cart(models.Model):
    """A buyer's cart: a signed-in user's, or a guest's (by session) that is merged into the account on sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="cart"
    )
    session_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(session_key__isnull=False), name="cart_has_owner"
            )
        ]

    def __str__(self) -> str:
        return f"cart {self.pk} ({self.user or 'guest'})"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(default=1)
    added_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("cart item")
        verbose_name_plural = _("cart items")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="one_cart_line_per_variant"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cart_qty_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"


class Address(PostalAddress):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses")

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_default", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.line1}, {self.city}"


class Checkout(models.Model):
    """One checkout: the buyer's cart becomes one order per seller, paid by one payment."""

    class State(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired")
        FAILED = "failed", _("Payment failed")
        PLACED = "placed", _("Placed on payment terms")  # nothing to pay now: on credit, or held for approval

    ALLOWED = {
        State.AWAITING_PAYMENT: {State.PAID, State.EXPIRED, State.FAILED, State.PLACED},
        State.FAILED: {State.AWAITING_PAYMENT, State.PAID, State.EXPIRED},  # the buyer may try paying again
    }

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkouts")
    payment = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="checkout")
    state = models.CharField(max_length=20, choices=State.choices, default=State.AWAITING_PAYMENT)
    total = amount_field()
    currency = currency_field()
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "expires_at"])]

    def __str__(self) -> str:
        return f"checkout {self.pk} ({self.state})"

    @property
    def ref(self) -> str:
        return f"checkout:{self.pk}"


class RequisitionList(models.Model):
    """A buyer's saved order lines under a name (quick order's "Save as list"), put into the cart again at will."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="requisition_lists")
    name = models.CharField(_("name"), max_length=80)
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("requisition list")
        verbose_name_plural = _("requisition lists")
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="requisition_list_name_unique")]

    def __str__(self) -> str:
        return self.name


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(RequisitionList, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("requisition list line")
        verbose_name_plural = _("requisition list lines")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["requisition", "variant"], name="one_requisition_line_per_variant"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="requisition_qty_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"
