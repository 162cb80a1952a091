"""After-sales forms: the buyer's return request and the seller's decision. Rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.aftersales.models import ReturnRequest
from tradeloop.aftersales.services import MAX_REASON
from tradeloop.core.forms import LineQuantitiesForm


class ReturnRequestForm(LineQuantitiesForm):
    """Kind and reason; the units per line come as `qty-<line id>` fields (see `quantities`)."""

    kind = forms.ChoiceField(
        label=_("What would you like?"),
        choices=ReturnRequest.Kind.choices,
        initial=ReturnRequest.Kind.RETURN,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Within the return window no reason is needed."),
    )


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note to the buyer"), required=False, max_length=MAX_REASON)
