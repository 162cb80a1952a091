"""Consumer-request forms: posting a request, a business's answer, a counter. Services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tradeloop.core.errors import DomainError
from tradeloop.o2o.local_requests import MAX_RADIUS_KM

AMOUNT = {"max_digits": 14, "decimal_places": 2, "min_value": 0.01}
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
WHEN_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return ("— " * obj.depth) + obj.label


class RequestForm(forms.Form):
    category = CategoryChoice(label=_("Service"), queryset=None, empty_label=_("Choose a service"))
    title = forms.CharField(
        label=_("What you need"),
        max_length=160,
        widget=forms.TextInput(attrs={"placeholder": _("Deep clean of a 90 m² flat on Saturday")}),
    )
    details = forms.CharField(
        label=_("Details (optional)"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    wanted_at = forms.DateTimeField(label=_("When"), widget=WHEN, input_formats=WHEN_FORMATS)
    city = forms.CharField(label=_("City"), max_length=80)
    district = forms.CharField(label=_("District (optional)"), max_length=80, required=False)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    radius_km = forms.IntegerField(
        label=_("Ask businesses within (km)"), min_value=1, max_value=MAX_RADIUS_KM, initial=5
    )
    budget = forms.DecimalField(label=_("Budget (optional)"), required=False, **AMOUNT)

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class AnswerForm(forms.Form):
    """Choices come as lists read once, so that a page can render one form per nearby request without queries."""

    place = forms.TypedChoiceField(label=_("At your place"), coerce=int)
    service = forms.TypedChoiceField(label=_("Service"), coerce=int)
    price = forms.DecimalField(label=_("Your price"), **AMOUNT)
    proposed_at = forms.DateTimeField(label=_("Proposed time"), widget=WHEN, input_formats=WHEN_FORMATS)
    message = forms.CharField(
        label=pgettext_lazy("request answer", "Message to the customer"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, places=(), services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(p.pk, p.display_name) for p in places]
        self.fields["service"].choices = [(s.pk, s.display_title) for s in services]


class CounterForm(forms.Form):
    price = forms.DecimalField(label=_("Your counter-offer"), **AMOUNT)
    message = forms.CharField(label=_("Note (optional)"), max_length=1000, required=False)


def attach(form: forms.Form, error: DomainError) -> None:
    """A service's refusal as the form's error, on its field when the form has it."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
