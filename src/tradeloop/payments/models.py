from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.catalog.models import Category
from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field


class Payment(models.Model):
    """One charge of a buyer through a provider. It may pay several orders (one checkout, many sellers)."""

    class State(models.TextChoices):
        CREATED = "created", _("Created")
        PENDING = "pending", _("Waiting for the buyer")
        AUTHORIZED = "authorized", _("Authorized")
        CAPTURED = "captured", _("Paid")
        FAILED = "failed", _("Failed")
        VOIDED = "voided", _("Voided")
        EXPIRED = "expired", _("Expired")

    ALLOWED = {
        State.CREATED: {State.PENDING, State.FAILED, State.EXPIRED},
        State.PENDING: {State.AUTHORIZED, State.CAPTURED, State.FAILED, State.EXPIRED},
        State.AUTHORIZED: {State.CAPTURED, State.VOIDED, State.EXPIRED},
    }

    token = models.CharField(max_length=40, unique=True, help_text="Public, unguessable reference")
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=30, default="sandbox")
    provider_ref = models.CharField(max_length=120, blank=True, db_index=True)
    purpose = models.CharField(max_length=80, help_text="What it pays, e.g. checkout:12")
    amount = amount_field()
    currency = currency_field()
    captured_amount = amount_field()
    refunded_amount = amount_field()
    state = models.CharField(max_length=10, choices=State.choices, default=State.CREATED)
    failure_reason = models.CharField(max_length=200, blank=True)
    return_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_gt_0"),
            models.CheckConstraint(condition=Q(refunded_amount__lte=F("captured_amount")), name="refund_le_captured"),
        ]

    def __str__(self) -> str:
        return f"{self.token} {self.amount} {self.currency} ({self.state})"

    @property
    def refundable(self):
        return self.captured_amount - self.refunded_amount


class Refund(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Failed")

    ALLOWED = {State.PENDING: {State.SUCCEEDED, State.FAILED}}

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    ref = models.CharField(max_length=80, unique=True, help_text="Why, e.g. return:7 — one refund per cause")
    amount = amount_field()
    currency = currency_field()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    reason = models.CharField(max_length=200, blank=True)
    provider_ref = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_gt_0")]

    def __str__(self) -> str:
        return f"refund {self.amount} {self.currency} of {self.payment_id}"


class WebhookEvent(models.Model):
    """A provider's webhook, kept once per event id: a replay is recognised and ignored."""

    provider = models.CharField(max_length=30)
    event_id = models.CharField(max_length=120)
    kind = models.CharField(max_length=60)
    payload = models.JSONField()
    received_at = models.DateTimeField(default=clock.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id} {self.kind}"


class Payout(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")

    ALLOWED = {State.PENDING: {State.PAID, State.FAILED}}

    seller = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="payouts")
    amount = amount_field()
    currency = currency_field()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    provider = models.CharField(max_length=30, default="sandbox")
    provider_ref = models.CharField(max_length=120, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_gt_0")]

    def __str__(self) -> str:
        return f"payout {self.amount} {self.currency} to {self.seller}"


class CommissionRule(models.Model):
    """The platform's take rate. The most specific rule wins: category, then seller kind, then the default."""

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    seller_kind = models.CharField(max_length=20, blank=True, choices=Organization.Kind.choices)
    rate = models.DecimalField(max_digits=5, decimal_places=4, help_text="0.0500 = 5 %")

    class Meta:
        verbose_name = _("commission rule")
        verbose_name_plural = _("commission rules")
        ordering = ["-category", "seller_kind"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=1), name="commission_rate_0_1"),
            models.UniqueConstraint(fields=["category", "seller_kind"], name="commission_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.rate:.2%} for {self.category or self.seller_kind or 'everyone'}"
