"""CRM tables: one summary row per (seller, customer) kept up to date from the orders signals, the seller's tags and
private notes, saved segments (rules over the summary rows) and the campaigns sent to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field


class Tag(models.Model):
    """A label a seller puts on its customers ("VIP", "wholesale"): the seller's own, many per customer."""

    seller = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="crm_tags")
    name = models.CharField(_("name"), max_length=40)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("customer tag")
        verbose_name_plural = _("customer tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["seller", "name"], name="crm_tag_unique")]

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    """A buyer who ordered from a seller: a person, or a company (the order's buyer_org) with its last buyer as the
    contact. The figures are derived from the orders (`crm.services.refresh`), never edited by hand."""

    seller = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="crm_customers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="crm_customers"
    )
    company = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="crm_as_customer"
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", help_text="Who ordered last"
    )
    name = models.CharField(_("name"), max_length=160)
    email = models.EmailField(_("e-mail"))
    company_name = models.CharField(_("company"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    language = models.CharField(max_length=10, default="en")
    orders_count = models.PositiveIntegerField(_("orders"), default=0)
    currency = currency_field()
    lifetime_value = amount_field(_("lifetime value"))
    first_order_at = models.DateTimeField(_("first order"), default=clock.now)
    last_order_at = models.DateTimeField(_("last order"), default=clock.now)
    tags = models.ManyToManyField(Tag, blank=True, related_name="customers", through="CustomerTag")
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-last_order_at", "-id"]
        indexes = [
            models.Index(fields=["seller", "-last_order_at", "-id"], name="crm_by_last_order"),
            models.Index(fields=["seller", "-lifetime_value", "-id"], name="crm_by_value"),
            models.Index(fields=["seller", "-orders_count", "-id"], name="crm_by_orders"),
            models.Index(fields=["seller", "city"], name="crm_by_city"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "user"], condition=Q(company__isnull=True), name="crm_one_person_per_seller"
            ),
            models.UniqueConstraint(
                fields=["seller", "company"], condition=Q(company__isnull=False), name="crm_one_company_per_seller"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, company__isnull=True) | Q(user__isnull=True, company__isnull=False),
                name="crm_person_or_company",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CustomerTag(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("tag on a customer")
        verbose_name_plural = _("tags on customers")
        constraints = [models.UniqueConstraint(fields=["customer", "tag"], name="crm_customer_tag_once")]
        indexes = [models.Index(fields=["tag", "customer"], name="crm_tag_members")]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.customer_id}"


class Note(models.Model):
    """A private note of the seller's staff about a customer; only the author deletes it."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("customer note")
        verbose_name_plural = _("customer notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]


class Segment(models.Model):
    """A saved set of conditions over the seller's customers, combined with AND (`crm.rules`)."""

    seller = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="crm_segments")
    name = models.CharField(_("name"), max_length=80)
    rules = models.JSONField(_("rules"), default=list, help_text='[{"kind": "min_orders", "value": 2}, …]')
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("customer segment")
        verbose_name_plural = _("customer segments")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """One send to a segment: a coupon or a message, with who sent it, when, and to how many."""

    class Kind(models.TextChoices):
        COUPON = "coupon", _("Coupon")
        MESSAGE = "message", _("Message")

    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="campaigns")
    seller = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="crm_campaigns")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(_("subject"), max_length=160)
    body = models.TextField(_("message"), max_length=4000, blank=True)
    promotion_id = models.BigIntegerField(null=True, blank=True, unique=True, help_text="The coupon's promotion")
    code = models.CharField(_("coupon code"), max_length=40, blank=True)
    recipients_count = models.PositiveIntegerField(_("recipients"), default=0)
    sent_count = models.PositiveIntegerField(_("e-mails sent"), default=0)
    created_at = models.DateTimeField(_("sent"), default=clock.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class Recipient(models.Model):
    """A member of the segment when the campaign was sent: once per (campaign, customer); for a coupon, who may
    use its code."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("campaign recipient")
        verbose_name_plural = _("campaign recipients")
        constraints = [models.UniqueConstraint(fields=["campaign", "customer"], name="crm_send_once_per_member")]
        indexes = [models.Index(fields=["user", "campaign"], name="crm_recipient_user")]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.user_id}"
