"""The "Save this search" form (the watching page, or the listing search page's hidden fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.c2c.watching import MAX_WORDS
from tradeloop.catalog.models import Category


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return "— " * obj.depth + obj.label


class SavedSearchForm(forms.Form):
    query = forms.CharField(label=_("Words"), max_length=MAX_WORDS, required=False)
    category = CategoryChoice(label=_("Category"), queryset=Category.objects.all(), required=False)
    city = forms.CharField(label=_("City"), max_length=80, required=False)
    max_price = forms.DecimalField(
        label=_("Up to (price)"), min_value=0, max_digits=18, decimal_places=2, required=False
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "query" not in data and "q" in data:  # the listing search's own field names
            data = data.copy()
            data["query"] = data.get("q", "")
        super().__init__(data, *args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        values = (cleaned.get("query"), cleaned.get("category"), cleaned.get("city"), cleaned.get("max_price"))
        if not self.errors and not any(v not in (None, "") for v in values):
            raise forms.ValidationError(_("Give words, a category, a city or a price to look for."))
        return cleaned
