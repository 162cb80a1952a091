"""The console's showcase form: it parses what the supplier typed into showcase.ProfileIn; the rules are the
service's (showcase.clean), shown on their fields."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.b2b import showcase
from tradeloop.b2b.models import SupplierProfile

LIST_FIELDS = ("certifications", "main_markets", "main_markets_zh")
SEPARATORS = re.compile(r"[,，;；、\n]+")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in SEPARATORS.split(text or "") if part.strip()]


def _number(label, help_text=""):
    return forms.IntegerField(label=label, required=False, help_text=help_text)


class ShowcaseForm(forms.Form):
    year_founded = _number(_("Year founded"))
    factory_size_m2 = _number(_("Factory size (m²)"))
    employees = _number(_("Employees"))
    certifications = forms.CharField(
        label=_("Certifications"), required=False, help_text=_("Separate them with commas, e.g. ISO 9001, CE, RoHS")
    )
    main_markets = forms.CharField(
        label=_("Main markets (English)"), required=False, help_text=_("Separate them with commas, e.g. Europe, Japan")
    )
    main_markets_zh = forms.CharField(label=_("Main markets (Simplified Chinese)"), required=False)
    capacity = forms.CharField(
        label=_("Production capacity (English)"),
        required=False,
        max_length=300,
        help_text=_("e.g. 3 SMT lines, 2 shifts"),
    )
    capacity_zh = forms.CharField(label=_("Production capacity (Simplified Chinese)"), required=False, max_length=300)
    capacity_per_month = _number(_("Units per month"))
    typical_moq = _number(_("Typical MOQ (units)"), _("The smallest order you usually take"))
    lead_time_days = _number(_("Typical lead time (days)"), _("From order to dispatch"))
    introduction = forms.CharField(
        label=_("Company introduction (English)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    introduction_zh = forms.CharField(
        label=_("Company introduction (Simplified Chinese)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    @classmethod
    def initial_from(cls, profile: SupplierProfile) -> dict:
        initial = {name: getattr(profile, name) for name in showcase.ProfileIn.__dataclass_fields__}
        for name in LIST_FIELDS:
            initial[name] = ("、" if name.endswith("_zh") else ", ").join(initial[name] or [])
        return initial

    def to_input(self) -> showcase.ProfileIn:
        data = dict(self.cleaned_data)
        for name in LIST_FIELDS:
            data[name] = split_list(data[name])
        return showcase.ProfileIn(**data)
