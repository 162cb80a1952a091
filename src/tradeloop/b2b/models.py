"""B2B tables. Companies, spending limits, approvals and company addresses (b2b/companies.py, approvals.py,
credit.py use them); RFQs and quotes (b2b/rfqs.py, quotes.py) below them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tradeloop.b2b.rfq_storage import rfq_storage
from tradeloop.catalog.models import in_language, reads_chinese
from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field
from tradeloop.core.models import PostalAddress


class Company(models.Model):
    """A buying organization's trade profile. Only an approved company buys on payment terms."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    # The operator decides in the back office; a rejected company may be reconsidered, an approved one suspended.
    ALLOWED = {
        State.PENDING: {State.APPROVED, State.REJECTED},
        State.REJECTED: {State.APPROVED},
        State.APPROVED: {State.REJECTED},
    }
    TRANSITION_ALSO_SAVES = ("decided_at",)

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="company", verbose_name=_("organization")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    tax_id = models.CharField(_("tax ID"), max_length=60, blank=True)
    website = models.URLField(_("website"), blank=True)
    payment_terms = models.CharField(_("payment terms"), max_length=30, default="prepay")
    credit_limit = amount_field(_("credit limit"))
    currency = currency_field(verbose_name=_("currency"))
    created_at = models.DateTimeField(_("created"), default=clock.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["organization__name"]
        constraints = [
            models.CheckConstraint(condition=Q(credit_limit__gte=0), name="company_credit_limit_not_negative"),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "approved", "rejected"]), name="company_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED


class SpendingLimit(models.Model):
    """The most one member may order at once without an approver; no row = no limit."""

    membership = models.OneToOneField(
        "accounts.Membership", on_delete=models.CASCADE, related_name="spending_limit", verbose_name=_("member")
    )
    amount = amount_field(_("spending limit"))
    currency = currency_field(verbose_name=_("currency"))
    updated_at = models.DateTimeField(_("updated"), default=clock.now)

    class Meta:
        verbose_name = _("spending limit")
        verbose_name_plural = _("spending limits")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="spending_limit_not_negative")]

    def __str__(self) -> str:
        return f"{self.membership}: {self.amount} {self.currency}"


class OrderApproval(models.Model):
    """An order held for an approver: why, who asked, who decided and what they said."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")

    order = models.OneToOneField(
        "orders.Order", on_delete=models.CASCADE, related_name="approval", verbose_name=_("order")
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("company"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    comment = models.TextField(_("comment"), blank=True)
    requested_at = models.DateTimeField(_("requested"), default=clock.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("order approval")
        verbose_name_plural = _("order approvals")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["company", "decision", "-requested_at"], name="b2b_approval_inbox")]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="pending") | Q(decided_at__isnull=False), name="approval_decided_has_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.decision}"


class CompanyAddress(PostalAddress):
    """A company's delivery address; checkout offers them through orders.policies.buyer_context(...).addresses."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("company"))
    label = models.CharField(_("label"), max_length=60, blank=True, help_text=_("e.g. Main warehouse"))

    class Meta:
        verbose_name = _("company address")
        verbose_name_plural = _("company addresses")
        ordering = ["-is_default", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=Q(is_default=True), name="one_default_company_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label or self.name}, {self.line1}, {self.city}"


# --- RFQs and quotes (helper Q): an inquiry, its lines and files, and each supplier's quote -------------------------


def rfq_attachment_path(instance: RfqAttachment, filename: str) -> str:
    """In the private folder of the data directory (never the public media folder), in a folder no one can guess:
    files are served only through the RFQ's checked download view."""
    return f"rfq/{instance.rfq_id}/{secrets.token_urlsafe(12)}/{filename}"


class Rfq(models.Model):
    """A request for quotation: to one supplier (`supplier`), or open to the suppliers of a category (`category`)."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("rfq state", "Open")
        CLOSED = "closed", pgettext_lazy("rfq state", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("rfq state", "Cancelled")

    ALLOWED = {State.OPEN: {State.CLOSED, State.CANCELLED}}
    TRANSITION_ALSO_SAVES = ("closed_at",)

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer")
    )
    buyer_org = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("buying organization")
    )
    supplier = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supplier"),
    )
    category = models.ForeignKey(
        "catalog.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=200)
    currency = currency_field()
    delivery_terms = models.CharField(_("delivery terms"), max_length=300, blank=True)
    required_by = models.DateField(_("required by"), null=True, blank=True)
    deadline = models.DateTimeField(_("quotes until"))
    max_quotes = models.PositiveIntegerField(_("most quotes"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    quote_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("request for quotation")
        verbose_name_plural = _("requests for quotation")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="rfq_due"),
            models.Index(fields=["supplier", "-created_at"], name="rfq_direct_inbox"),
            models.Index(fields=["category", "-created_at"], name="rfq_open_inbox"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(supplier__isnull=False, category__isnull=True)
                | Q(supplier__isnull=True, category__isnull=False),
                name="rfq_direct_xor_open",
            ),
            models.CheckConstraint(condition=Q(max_quotes__gte=1), name="rfq_max_quotes_ge_1"),
            models.CheckConstraint(condition=Q(quote_count__lte=F("max_quotes")), name="rfq_quotes_le_max"),
        ]

    def __str__(self) -> str:
        return f"RFQ {self.pk}: {self.title}"

    @property
    def is_open_to_category(self) -> bool:
        return self.supplier_id is None


class RfqLine(models.Model):
    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    variant = models.ForeignKey(
        "catalog.Variant", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("SKU")
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"))
    target_price = amount_field(_("target unit price"), null=True, blank=True, default=None)

    class Meta:
        verbose_name = _("RFQ line")
        verbose_name_plural = _("RFQ lines")
        ordering = ["rfq_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rfq", "position"], name="rfq_line_position_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="rfq_line_qty_gt_0"),
            models.CheckConstraint(
                condition=Q(target_price__isnull=True) | Q(target_price__gte=0), name="rfq_line_target_ge_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"


class RfqAttachment(models.Model):
    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=rfq_attachment_path, storage=rfq_storage, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("RFQ attachment")
        verbose_name_plural = _("RFQ attachments")
        ordering = ["rfq_id", "id"]

    def __str__(self) -> str:
        return self.name


class RfqQuote(models.Model):
    """A supplier's answer to an RFQ: the negotiation (kind quote) that holds its versions. One per supplier."""

    rfq = models.ForeignKey(Rfq, on_delete=models.PROTECT, related_name="quotes")
    negotiation = models.OneToOneField(
        "negotiation.Negotiation", on_delete=models.PROTECT, related_name="rfq_link", verbose_name=_("negotiation")
    )
    supplier = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["rfq_id", "created_at", "id"]
        indexes = [models.Index(fields=["supplier", "created_at"], name="rfq_quote_supplier")]
        constraints = [models.UniqueConstraint(fields=["rfq", "supplier"], name="rfq_one_quote_per_supplier")]

    def __str__(self) -> str:
        return f"quote {self.negotiation_id} on RFQ {self.rfq_id}"


# --- the supplier showcase (helper H3): what a company buyer reads about a supplier on its store page --------------


class SupplierProfile(models.Model):
    """A supplier's company profile for company buyers: facts, certifications, markets, capacity, MOQ, lead time
    and an introduction. Text is written in English and in Simplified Chinese (`localized()` reads the reader's,
    falling back to the other); certification names (ISO 9001, CE) are the same in both."""

    FIRST_YEAR = 1800

    organization = models.OneToOneField(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="supplier_profile",
        verbose_name=_("organization"),
    )
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    factory_size_m2 = models.PositiveIntegerField(_("factory size (m²)"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    certifications = models.JSONField(_("certifications"), default=list, blank=True)
    main_markets = models.JSONField(_("main markets (English)"), default=list, blank=True)
    main_markets_zh = models.JSONField(_("main markets (Simplified Chinese)"), default=list, blank=True)
    capacity = models.CharField(_("production capacity (English)"), max_length=300, blank=True)
    capacity_zh = models.CharField(_("production capacity (Simplified Chinese)"), max_length=300, blank=True)
    capacity_per_month = models.PositiveIntegerField(_("units per month"), null=True, blank=True)
    typical_moq = models.PositiveIntegerField(_("typical MOQ (units)"), null=True, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(_("typical lead time (days)"), null=True, blank=True)
    introduction = models.TextField(_("company introduction (English)"), max_length=4000, blank=True)
    introduction_zh = models.TextField(_("company introduction (Simplified Chinese)"), max_length=4000, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=clock.now)

    TRANSLATED = ("main_markets", "capacity", "introduction")

    class Meta:
        verbose_name = _("supplier profile")
        verbose_name_plural = _("supplier profiles")
        ordering = ["organization__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_founded__isnull=True) | Q(year_founded__gte=1800), name="supplier_profile_year"
            ),
            models.CheckConstraint(
                condition=Q(typical_moq__isnull=True) | Q(typical_moq__gte=1), name="supplier_profile_moq_ge_1"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)

    def localized(self, name: str, language: str | None = None):
        if name not in self.TRANSLATED:
            raise ValueError(f"{name!r} is not translated")
        return in_language(getattr(self, name), getattr(self, f"{name}_zh"), language)

    @property
    def display_markets(self) -> list[str]:
        return self.localized("main_markets")

    @property
    def markets_line(self) -> str:
        """The main markets in one line: "Europe, Japan" or "欧洲、日本"."""
        return ("、" if reads_chinese() else ", ").join(self.display_markets)

    @property
    def display_capacity(self) -> str:
        return self.localized("capacity")

    @property
    def display_introduction(self) -> str:
        return self.localized("introduction")
