from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.catalog.models import Product
from tradeloop.core import clock
from tradeloop.orders.models import Order


class Conversation(models.Model):
    """A thread between one buyer and one seller's support staff: before a sale (about a product) or after (an order)."""

    class Kind(models.TextChoices):
        PRESALES = "presales", _("Question about a product")
        ORDER = "order", _("About an order")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    seller = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="conversations")
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.CASCADE, related_name="conversations")
    subject = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=clock.now)
    last_message_at = models.DateTimeField(default=clock.now, db_index=True)
    buyer_read_at = models.DateTimeField(null=True, blank=True)
    seller_read_at = models.DateTimeField(null=True, blank=True)
    first_response_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["seller", "-last_message_at"]),
            models.Index(fields=["buyer", "-last_message_at"]),
        ]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_seller = models.BooleanField(default=False)
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "created_at"])]

    def __str__(self) -> str:
        return self.body[:40]
