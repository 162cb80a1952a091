"""The seller's "record a payment" form. Rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.invoicing.services import MAX_REFERENCE


class OfflinePaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount received"), min_value=0, max_digits=18, decimal_places=4)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=MAX_REFERENCE,
        help_text=_("E.g. the bank transfer's reference, so the payment can be traced."),
    )
    received_on = forms.DateField(
        label=_("Received on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Default: today"),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=120)
