"""Make-an-offer forms: an amount (an offer or a counter) and the seller's auto rules. Services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.core.errors import DomainError

AMOUNT = {"max_digits": 14, "decimal_places": 2, "min_value": 0.01}


class OfferForm(forms.Form):
    amount = forms.DecimalField(label=_("Your offer"), **AMOUNT)
    note = forms.CharField(label=_("Note to the seller (optional)"), max_length=1000, required=False)


class CounterForm(forms.Form):
    amount = forms.DecimalField(label=_("Counter-offer"), **AMOUNT)
    note = forms.CharField(label=_("Note (optional)"), max_length=1000, required=False)


class RulesForm(forms.Form):
    auto_accept_at = forms.DecimalField(label=_("Auto-accept offers from"), required=False, **AMOUNT)
    auto_decline_below = forms.DecimalField(label=_("Auto-decline offers below"), required=False, **AMOUNT)


def attach(form: forms.Form, error: DomainError) -> None:
    """A service's refusal as the form's error, on its field when the form has it."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
