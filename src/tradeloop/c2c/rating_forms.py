"""The rating form: it parses what people chose; the rules live in c2c.ratings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.c2c import ratings

STAR_CHOICES = [(n, "★" * n) for n in range(5, 0, -1)]


def _score(label, *, required: bool) -> forms.TypedChoiceField:
    choices = STAR_CHOICES if required else [("", _("No answer")), *STAR_CHOICES]
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, empty_value=None, required=required, widget=forms.RadioSelect
    )


class RatingForm(forms.Form):
    stars = _score(_("Overall"), required=True)
    text = forms.CharField(
        label=_("A few words (optional)"),
        required=False,
        max_length=ratings.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    as_described = _score(_("Item as described"), required=False)
    communication = _score(_("Communication"), required=False)
    shipping = _score(_("Shipping"), required=False)

    def __init__(self, *args, side: str = "buyer", **kwargs):
        super().__init__(*args, **kwargs)
        if side != "buyer":  # only the buyer rates the item and the shipping
            for name in ratings.SUB_SCORES:
                del self.fields[name]
