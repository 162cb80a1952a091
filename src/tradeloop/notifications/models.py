from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tradeloop.core import clock


class EmailLog(models.Model):
    """Each e-mail we send, once per (kind, ref): a retried job never sends the same mail twice."""

    kind = models.CharField(max_length=40)
    ref = models.CharField(max_length=80)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    sent_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "ref", "to"], name="email_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref} → {self.to}"


class Notification(models.Model):
    """An in-site notice for one person: written in their language when it was sent, once per (kind, ref, recipient)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=40)
    ref = models.CharField(_("reference"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    body = models.CharField(_("text"), max_length=1000, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)  # a path on this site ("/orders/…"), or ""
    created_at = models.DateTimeField(_("created"), default=clock.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "ref", "recipient"], name="notification_once")]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref} → {self.recipient_id}"


class WebhookEndpoint(models.Model):
    """Where an organization wants to hear about its events: an http(s) URL, the events, a signing secret."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)  # event types from webhooks.EVENTS
    secret = models.CharField(_("secret"), max_length=80)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: the body we POST (signed at each attempt), its state and the next try."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("webhook delivery", "Pending")
        SUCCEEDED = "succeeded", pgettext_lazy("webhook delivery", "Delivered")
        FAILED = "failed", pgettext_lazy("webhook delivery", "Gave up")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event_id = models.CharField(_("event id"), max_length=40)
    event_key = models.CharField(max_length=120)  # the cause, e.g. "order.paid:order:7": an event is sent once
    event_type = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("body"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)  # since it was created or last replayed
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status = models.PositiveIntegerField(_("last status"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_key"], name="webhook_delivery_once")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} → {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: what the receiver answered, how long it took, or why it failed."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    at = models.DateTimeField(_("at"), default=clock.now)
    status_code = models.PositiveIntegerField(_("status code"), null=True, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"
