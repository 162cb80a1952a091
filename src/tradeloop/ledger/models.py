from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field


class Account(models.Model):
    """A ledger account in one currency. Its balance is the sum of its entries, never stored.

    Entries are signed: debits positive, credits negative. Every transaction sums to zero per currency.
    """

    class Kind(models.TextChoices):
        ASSET = "asset", _("Asset")  # debit-normal: money the platform holds (at the payment provider)
        LIABILITY = "liability", _("Liability")  # credit-normal: money owed to sellers or buyers
        REVENUE = "revenue", _("Revenue")  # credit-normal: commission
        EXPENSE = "expense", _("Expense")

    CREDIT_NORMAL = (Kind.LIABILITY, Kind.REVENUE)

    code = models.CharField(max_length=120, unique=True)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    currency = currency_field()
    owner = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_accounts"
    )

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def sign(self) -> int:
        """Multiply a raw entry sum by this to read the balance the way people expect (owed = positive)."""
        return -1 if self.kind in self.CREDIT_NORMAL else 1


class Transaction(models.Model):
    memo = models.CharField(max_length=200)
    ref = models.CharField(
        max_length=120, unique=True, help_text="What it records; unique, so posting twice is refused"
    )
    at = models.DateTimeField(default=clock.now, db_index=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.ref}: {self.memo}"


class Entry(models.Model):
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = amount_field()
    currency = currency_field()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["id"]
        indexes = [models.Index(fields=["account", "transaction"])]
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="entry_amount_not_zero")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount} {self.currency}"
