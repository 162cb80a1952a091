"""Invoices for orders on payment terms, their lines (a snapshot), their payments, and the gapless numbering."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field
from tradeloop.orders.models import Order
from tradeloop.payments.models import Payment


class InvoiceSequence(models.Model):
    """The last invoice number a seller gave in a year. Locked in the issuing transaction, so numbers have no
    gaps: a rolled-back issue rolls the counter back with it."""

    seller = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("invoice number sequence")
        verbose_name_plural = _("invoice number sequences")
        constraints = [models.UniqueConstraint(fields=["seller", "year"], name="invoice_sequence_once")]

    def __str__(self) -> str:
        return f"{self.seller_id}/{self.year}: {self.last_number}"


class Invoice(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", _("Invoice")
        DEPOSIT = "deposit", _("Deposit invoice")
        BALANCE = "balance", _("Balance invoice")

    class State(models.TextChoices):
        ISSUED = "issued", _("Unpaid")
        PARTIALLY_PAID = "partially_paid", _("Partially paid")
        PAID = "paid", _("Paid")
        VOID = "void", _("Void")

    OPEN = (State.ISSUED, State.PARTIALLY_PAID)
    ALLOWED = {
        State.ISSUED: {State.PARTIALLY_PAID, State.PAID, State.VOID},
        State.PARTIALLY_PAID: {State.PAID},
    }
    TRANSITION_ALSO_SAVES = ("paid_at", "voided_at")

    number = models.CharField(_("number"), max_length=40)
    seller = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="invoices_issued")
    buyer_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="invoices_received")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FULL)
    state = models.CharField(max_length=16, choices=State.choices, default=State.ISSUED)
    payment_terms = models.CharField(max_length=30)
    currency = currency_field()
    total = amount_field(_("total"))
    commission = amount_field()
    paid_amount = amount_field(_("paid"))
    seller_details = models.JSONField(default=dict, blank=True)  # name, address, e-mail, phone at issue time
    buyer_details = models.JSONField(default=dict, blank=True)
    issued_at = models.DateTimeField(default=clock.now)
    due_at = models.DateTimeField(db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["seller", "-issued_at"], name="invoice_seller_desk"),
            models.Index(fields=["buyer_org", "-issued_at"], name="invoice_buyer_list"),
            models.Index(fields=["state", "due_at"], name="invoice_open_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["seller", "number"], name="invoice_number_once"),
            # One invoice of each kind per order: shipping twice (two parcels) cannot invoice the order twice.
            models.UniqueConstraint(fields=["order", "kind"], name="invoice_kind_once_per_order"),
            models.CheckConstraint(condition=Q(total__gt=0), name="invoice_total_gt_0"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0), name="invoice_paid_ge_0"),
            models.CheckConstraint(condition=Q(paid_amount__lte=F("total")), name="invoice_paid_le_total"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def open_amount(self):
        return self.total - self.paid_amount if self.state in self.OPEN else self.total * 0

    def is_overdue(self, now=None) -> bool:
        return self.state in self.OPEN and self.due_at < (now or clock.now())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def days_overdue(self) -> int:
        return max((clock.now() - self.due_at).days, 0) if self.overdue else 0


class InvoiceLine(models.Model):
    """What the invoice charges, copied at issue time (the order may change later; the invoice does not)."""

    class Kind(models.TextChoices):
        ITEM = "item", _("Item")
        SHIPPING = "shipping", _("Shipping")
        DISCOUNT = "discount", _("Discount")
        DEPOSIT = "deposit", _("Deposit")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ITEM)
    sku = models.CharField(max_length=64, blank=True)
    description = models.CharField(max_length=300)
    quantity = models.PositiveIntegerField(default=1)
    unit_price = amount_field()
    amount = amount_field()  # may be negative (a discount, a deposit already invoiced)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class InvoicePayment(models.Model):
    class Method(models.TextChoices):
        ONLINE = "online", _("Online")
        OFFLINE = "offline", _("Offline")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=10, choices=Method.choices)
    amount = amount_field(_("amount"))
    currency = currency_field()
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_payment"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=clock.now)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("invoice payment")
        verbose_name_plural = _("invoice payments")
        ordering = ["received_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="invoice_payment_gt_0")]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.amount} {self.currency} ({self.method})"


class InvoiceReminder(models.Model):
    """A reminder that went out, once per (invoice, key): the sweep is idempotent."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(max_length=20)  # due_soon, due_today, overdue:<n>
    sent_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("invoice reminder")
        verbose_name_plural = _("invoice reminders")
        ordering = ["sent_at", "id"]
        constraints = [models.UniqueConstraint(fields=["invoice", "key"], name="invoice_reminder_once")]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.key}"
