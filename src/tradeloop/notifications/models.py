from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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
