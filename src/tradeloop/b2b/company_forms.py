"""Web forms of the company pages: they parse what people typed into the services' inputs. Rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.core.money import SUPPORTED_CURRENCIES


class RegisterCompanyForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=120)
    city = forms.CharField(label=_("City"), max_length=80, required=False)
    registration_number = forms.CharField(label=_("Registration number"), max_length=60, required=False)
    tax_id = forms.CharField(label=_("Tax ID"), max_length=60, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    currency = forms.ChoiceField(
        label=_("Currency you buy in"), choices=[(c, c) for c in SUPPORTED_CURRENCIES], initial="CNY"
    )


class SpendingLimitForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Spending limit"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        required=False,
        help_text=_("Empty: no limit."),
    )


class AddressForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=60, required=False, help_text=_("e.g. Main warehouse"))
    name = forms.CharField(label=_("Recipient"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    line1 = forms.CharField(label=_("Address"), max_length=240)
    line2 = forms.CharField(label=_("Address line 2"), max_length=240, required=False)
    city = forms.CharField(label=_("City"), max_length=80)
    region = forms.CharField(label=_("Province / state"), max_length=80, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False)
    country = forms.CharField(label=_("Country"), max_length=2, initial="CN")
    is_default = forms.BooleanField(label=_("Default delivery address"), required=False)


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the order's timeline. Needed to reject."),
    )
