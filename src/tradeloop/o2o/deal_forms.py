"""The console's deal form: both languages' texts, prices, places (the business's own), sale window, rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.o2o.models import AtExpiry


def attach(form: forms.Form, error) -> None:
    """A service's error shown on its field, or on top of the form."""
    name = (error.field or "").split(".")[0]
    form.add_error(name if name in form.fields else None, error.message)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        from django.utils import timezone

        if hasattr(value, "tzinfo") and value.tzinfo is not None:
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


class DealForm(forms.Form):
    title = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    title_zh = forms.CharField(label=_("Title (Simplified Chinese)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_zh = forms.CharField(
        label=_("Description (Simplified Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    price = forms.DecimalField(label=_("Deal price"), min_value=0, decimal_places=2, max_digits=12)
    original_price = forms.DecimalField(
        label=_("Original price"),
        min_value=0,
        decimal_places=2,
        max_digits=12,
        required=False,
        help_text=_("Shown struck through beside the deal price."),
    )
    place_ids = forms.TypedMultipleChoiceField(
        label=_("Valid at"), coerce=int, widget=forms.CheckboxSelectMultiple, choices=()
    )
    sale_starts_at = forms.DateTimeField(label=_("Sale starts"), widget=DateTimeInput())
    sale_ends_at = forms.DateTimeField(label=_("Sale ends"), widget=DateTimeInput())
    voucher_valid_days = forms.IntegerField(label=_("Vouchers valid for (days)"), min_value=1, initial=90)
    usage_rules = forms.CharField(
        label=_("Usage rules (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    usage_rules_zh = forms.CharField(
        label=_("Usage rules (Simplified Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    stock_cap = forms.IntegerField(
        label=_("At most sold"), min_value=1, required=False, help_text=_("Leave empty for no cap.")
    )
    per_person_limit = forms.IntegerField(label=_("Per person at most"), min_value=1, initial=5)
    tipping_point = forms.IntegerField(
        label=_("Tipping point (buyers)"),
        min_value=2,
        required=False,
        help_text=_("The deal happens only if this many people buy before the sale ends; otherwise all are refunded."),
    )
    refundable_any_time = forms.BooleanField(
        label=_("Unused vouchers refundable any time"), required=False, initial=True
    )
    at_expiry = forms.ChoiceField(label=_("Unused at expiry"), choices=AtExpiry.choices, initial=AtExpiry.REFUND)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place_ids"].choices = [(p.pk, p.display_name) for p in places]

    def values(self) -> dict:
        return dict(self.cleaned_data)


class BuyForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1000, initial=1)
