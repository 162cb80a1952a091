"""After-sales forms: the buyer's return request and the seller's decision. Rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.aftersales.models import ReturnRequest
from tradeloop.aftersales.services import MAX_REASON


class ReturnRequestForm(forms.Form):
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

    def __init__(self, *args, line_ids: list[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.line_ids = list(line_ids)

    def quantities(self) -> dict[int, int]:
        out = {}
        for line_id in self.line_ids:
            raw = (self.data.get(f"qty-{line_id}") or "0").strip()
            if not raw.isdigit():
                raise forms.ValidationError(gettext("Quantities must be whole numbers."))
            out[line_id] = int(raw)
        return out


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note to the buyer"), required=False, max_length=MAX_REASON)
