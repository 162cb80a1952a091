from __future__ import annotations

from django import forms
from django.utils.translation import gettext


class LineQuantitiesForm(forms.Form):
    """A form with a whole-number quantity input per order line, named `qty-<line id>` (ship, return, …)."""

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
