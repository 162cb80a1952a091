"""Console forms for services and staff: they parse; o2o.staffing checks and saves (its errors land on the field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.o2o.models import Place, Service

WEEKDAYS = (_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday"))


def attach(form: forms.Form, error) -> None:
    """A service's error shown on its field (`hours.3` → the hours of that day), or on top of the form."""
    name = (error.field or "").split(".")[0]
    if name == "place_ids":
        name = "places"
    if name == "service_ids":
        name = "services"
    if name == "place_id":
        name = "place"
    form.add_error(name if name in form.fields else None, error.message)


class ServiceForm(forms.Form):
    title = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    title_zh = forms.CharField(label=_("Title (Simplified Chinese)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_zh = forms.CharField(
        label=_("Description (Simplified Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    price = forms.DecimalField(label=_("Price"), min_value=0, max_digits=12, decimal_places=2)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=1440, initial=60)
    deposit = forms.DecimalField(
        label=_("Deposit"), min_value=0, max_digits=12, decimal_places=2, required=False, help_text=_("Empty: none")
    )
    instant_confirm = forms.BooleanField(label=_("Confirm bookings instantly"), required=False, initial=True)
    free_cancel_hours = forms.IntegerField(
        label=_("Free cancellation until (hours before)"), min_value=0, max_value=720, initial=24
    )
    cancel_fee = forms.DecimalField(
        label=_("Late cancellation fee"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=0,
        help_text=_("Kept from the deposit"),
    )
    places = forms.ModelMultipleChoiceField(
        label=_("Places"), queryset=Place.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("Bookable"), required=False, initial=True)

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = Place.objects.filter(seller=org).order_by("id")
        self.fields["places"].label_from_instance = lambda p: p.display_name

    @classmethod
    def initial_of(cls, service: Service) -> dict:
        product = service.product
        variant = product.variants.order_by("position", "id").first()
        return {
            "title": product.title,
            "title_zh": product.title_zh,
            "description": product.description,
            "description_zh": product.description_zh,
            "price": variant.price if variant else None,
            "duration_minutes": service.duration_minutes,
            "deposit": service.deposit,
            "instant_confirm": service.instant_confirm,
            "free_cancel_hours": service.free_cancel_hours,
            "cancel_fee": service.cancel_fee,
            "places": list(service.places.all()),
            "is_active": service.is_active,
        }


class StaffForm(forms.Form):
    """A staff member and their week: one working span per weekday (empty: not working that day)."""

    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none())
    name = forms.CharField(label=_("Name (English)"), max_length=120, required=False)
    name_zh = forms.CharField(label=_("Name (Simplified Chinese)"), max_length=120, required=False)
    title = forms.CharField(label=_("Title (English)"), max_length=120, required=False)
    title_zh = forms.CharField(label=_("Title (Simplified Chinese)"), max_length=120, required=False)
    services = forms.ModelMultipleChoiceField(
        label=_("Performs"), queryset=Service.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    is_active = forms.BooleanField(label=_("Takes bookings"), required=False, initial=True)

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(seller=org).order_by("id")
        self.fields["place"].label_from_instance = lambda p: p.display_name
        self.fields["services"].queryset = Service.objects.filter(product__seller=org).select_related("product")
        self.fields["services"].label_from_instance = lambda s: s.product.display_title
        for day, label in enumerate(WEEKDAYS):
            time_input = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            self.fields[f"from_{day}"] = forms.TimeField(label=label, required=False, widget=time_input)
            self.fields[f"until_{day}"] = forms.TimeField(label=_("until"), required=False, widget=time_input)

    def day_rows(self):
        return [(self[f"from_{d}"], self[f"until_{d}"]) for d in range(7)]

    def hours(self) -> list[tuple]:
        spans = []
        for day in range(7):
            starts, ends = self.cleaned_data.get(f"from_{day}"), self.cleaned_data.get(f"until_{day}")
            if starts or ends:
                spans.append((day, starts or "", ends or ""))
        return spans

    @classmethod
    def initial_of(cls, person) -> dict:
        initial = {
            "place": person.place,
            "name": person.name,
            "name_zh": person.name_zh,
            "title": person.title,
            "title_zh": person.title_zh,
            "services": list(person.services.all()),
            "is_active": person.is_active,
        }
        for span in person.hours.all():
            initial.setdefault(f"from_{span.weekday}", span.starts)
            initial.setdefault(f"until_{span.weekday}", span.ends)
        return initial


class DayOffForm(forms.Form):
    day = forms.DateField(label=_("Day off"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=120, required=False)
