"""The console's redemption form: the place (remembered), the code as typed or scanned."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RedeemForm(forms.Form):
    place = forms.TypedChoiceField(label=_("Place"), coerce=int, choices=())
    code = forms.CharField(
        label=_("Voucher code"),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text"}
        ),
    )

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(p.pk, p.display_name) for p in places]
