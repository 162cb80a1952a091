"""The one negotiation engine's tables: a negotiation between a buyer and a seller, and its immutable versions.

B2B quotes, C2C offers and O2O consumer requests are all a `Negotiation` of a `kind`; the mode's rules come from
the policy registered for that kind (`negotiation.policies`) and are snapshotted on the row when it opens.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field


class Side(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    SELLER = "seller", _("Seller")


class Negotiation(models.Model):
    class Kind(models.TextChoices):
        QUOTE = "quote", _("Quote")
        OFFER = "offer", _("Offer")
        REQUEST = "request", _("Request")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("negotiation state", "Open")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    ALLOWED = {State.OPEN: {State.ACCEPTED, State.DECLINED, State.WITHDRAWN, State.EXPIRED}}
    TRANSITION_ALSO_SAVES = ("decided_at",)

    kind = models.CharField(max_length=10, choices=Kind.choices)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    buyer_org = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seller = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    currency = currency_field()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    current_version = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)  # the current version's valid_until
    reminded_version = models.PositiveIntegerField(default=0)  # the version whose expiry reminder went out
    # the mode's rules, as they were when the negotiation opened
    max_rounds = models.PositiveIntegerField(null=True, blank=True)  # versions in all; None: no limit
    counter_cap = amount_field(null=True, blank=True, default=None)  # no version's goods total above it
    created_at = models.DateTimeField(default=clock.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    accepted_version = models.PositiveIntegerField(null=True, blank=True)
    result_ref = models.CharField(max_length=60, blank=True)  # what the mode's on_accept made of it (an order)

    class Meta:
        verbose_name = _("negotiation")
        verbose_name_plural = _("negotiations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "expires_at"], name="negotiation_due")]
        constraints = [
            models.CheckConstraint(condition=Q(counter_cap__isnull=True) | Q(counter_cap__gte=0), name="neg_cap_ge_0"),
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(accepted_version__isnull=False), name="neg_accepted_has_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.state})"


class ImmutableError(RuntimeError):
    """A version once written never changes: a counter is a new version."""


class Proposal(models.Model):
    """One version of the terms. Older than the negotiation's current version: superseded."""

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveIntegerField()
    author_side = models.CharField(max_length=6, choices=Side.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shipping = amount_field()
    payment_terms = models.CharField(max_length=30, blank=True)  # a code the mode understands, e.g. net30
    terms_text = models.CharField(max_length=500, blank=True)
    valid_until = models.DateTimeField()
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["negotiation_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["negotiation", "number"], name="proposal_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="proposal_number_ge_1"),
            models.CheckConstraint(condition=Q(shipping__gte=0), name="proposal_shipping_ge_0"),
        ]

    def __str__(self) -> str:
        return f"v{self.number} of {self.negotiation_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("a proposal never changes; counter with a new version")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("a proposal is never deleted")

    def goods_total(self) -> Decimal:
        return sum((line.total for line in self.lines.all()), Decimal(0))

    def total(self) -> Decimal:
        return self.goods_total() + self.shipping


class ProposalLine(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    variant = models.ForeignKey("catalog.Variant", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=300, blank=True)  # the free-text need, or the SKU's snapshot
    quantity = models.PositiveIntegerField()
    unit_price = amount_field()
    discount = amount_field()  # off the whole line

    class Meta:
        verbose_name = _("proposal line")
        verbose_name_plural = _("proposal lines")
        ordering = ["proposal_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "position"], name="proposal_line_position_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="proposal_line_qty_gt_0"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="proposal_line_price_ge_0"),
            models.CheckConstraint(
                condition=Q(discount__gte=0) & Q(discount__lte=F("quantity") * F("unit_price")),
                name="proposal_line_discount_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description or self.variant_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("a proposal line never changes")
        super().save(*args, **kwargs)

    @property
    def total(self) -> Decimal:
        return self.quantity * self.unit_price - self.discount

    @property
    def key(self) -> str:
        """What a line is across versions: its SKU, or its free text."""
        return f"variant:{self.variant_id}" if self.variant_id else f"text:{self.description.strip().lower()}"
