from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.feedback import services
from tradeloop.feedback.models import Suggestion


class SuggestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your suggestion"),
        min_length=services.MIN_TEXT,
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": services.MAX_TEXT}),
        help_text=_("For example “make it in size XL” or “open on Sundays”. 2–500 characters."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Suggestion.Status.choices)
    reply = forms.CharField(
        label=_("Public reply"), required=False, max_length=services.MAX_REPLY, widget=forms.Textarea(attrs={"rows": 2})
    )


class OrderFeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("What could be better?"),
        min_length=services.MIN_TEXT,
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": services.MAX_TEXT}),
        help_text=_("Only the seller reads this."),
    )
