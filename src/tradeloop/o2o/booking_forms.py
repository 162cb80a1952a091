"""The booking form behind a slot button: the place, the staff member (empty: anyone), the start, a voucher."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class BookForm(forms.Form):
    place = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    staff = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    starts_at = forms.DateTimeField(widget=forms.HiddenInput)
    voucher = forms.IntegerField(label=_("Use a voucher"), min_value=1, required=False)
    note = forms.CharField(label=_("Note for the shop"), max_length=500, required=False)
    idempotency_key = forms.CharField(max_length=80, required=False, widget=forms.HiddenInput)
