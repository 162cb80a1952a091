"""Web forms of places: the local home's search (a GET form that works without script) and the console's place
editor. They parse what people typed; the rules live in o2o.places and o2o.place_selectors."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tradeloop.catalog.models import Category
from tradeloop.o2o.places import DAYS

RADII = ("1", "3", "5", "10", "20", "50")
DAY_LABELS = {
    "mon": pgettext_lazy("weekday", "Monday"),
    "tue": pgettext_lazy("weekday", "Tuesday"),
    "wed": pgettext_lazy("weekday", "Wednesday"),
    "thu": pgettext_lazy("weekday", "Thursday"),
    "fri": pgettext_lazy("weekday", "Friday"),
    "sat": pgettext_lazy("weekday", "Saturday"),
    "sun": pgettext_lazy("weekday", "Sunday"),
}
_PERIOD = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–~至到]\s*(\d{1,2}:\d{2})\s*$")


# a radius in the reader's language, decided when the form is shown (not when this module is imported)
_km = lazy(lambda km: gettext("%(km)s km") % {"km": km}, str)


def attach(form: forms.Form, error) -> None:
    """A service's error shown on its field (`opening_hours.mon.0` → hours_mon), or on top of the form."""
    parts = (error.field or "").split(".")
    name = f"hours_{parts[1]}" if parts[0] == "opening_hours" and len(parts) > 1 else parts[0]
    form.add_error(name if name in form.fields else None, error.message)


class SearchForm(forms.Form):
    """/local/: a city, a category, a position (typed, from the browser, or a point on the map), a radius, a sort."""

    city = forms.CharField(label=_("City"), required=False, max_length=80)
    category = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)
    near = forms.CharField(
        label=pgettext_lazy("map", "Position"),
        required=False,
        max_length=60,
        help_text=_("Latitude,longitude — or use “Near me” or the map."),
        widget=forms.TextInput(attrs={"placeholder": "32.0416,118.7784", "inputmode": "decimal"}),
    )
    radius_km = forms.ChoiceField(label=_("Within"), required=False, initial="3", choices=[(r, _km(r)) for r in RADII])
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Best match")),
            ("distance", _("Nearest")),
            ("rating", _("Best rated")),
            ("price", _("Lowest price")),
        ],
    )

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].widget = forms.Select(
            choices=[("", _("All cities"))] + [(c.city, c.label) for c in cities], attrs={"data-autosubmit": ""}
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Photos of the place; each one is checked (JPEG, PNG or WebP, 5 MB) by the service."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in files if f]


class CategoryChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{'— ' * obj.depth}{obj.label}"


def hours_text(periods: list[list[str]]) -> str:
    return ", ".join(f"{opens}-{closes}" for opens, closes in periods)


class PlaceForm(forms.Form):
    """Add or edit a place: names, address and city in both languages, position, hours per weekday, photos."""

    name = forms.CharField(label=pgettext_lazy("place", "Name (English)"), max_length=160, required=False)
    name_zh = forms.CharField(label=pgettext_lazy("place", "Name (Chinese)"), max_length=160, required=False)
    address = forms.CharField(label=_("Address (English)"), max_length=240, required=False)
    address_zh = forms.CharField(label=_("Address (Chinese)"), max_length=240, required=False)
    city = forms.CharField(label=_("City (English)"), max_length=80)
    city_zh = forms.CharField(label=_("City (Chinese)"), max_length=80, required=False)
    district = forms.CharField(label=_("District (English)"), max_length=80, required=False)
    district_zh = forms.CharField(label=_("District (Chinese)"), max_length=80, required=False)
    latitude = forms.FloatField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "data-place-lat": ""}),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "data-place-lng": ""}),
    )
    phone = forms.CharField(label=pgettext_lazy("place", "Phone"), max_length=40, required=False)
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial=settings.TIME_ZONE)
    categories = CategoryChoice(
        label=_("Service categories"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    photos = PhotosField(label=_("Add photos"), required=False, help_text=_("JPEG, PNG or WebP, 5 MB each, 12 in all."))
    is_active = forms.BooleanField(
        label=_("Shown on the storefront and in nearby search"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.order_by("path")
        for day in DAYS:
            self.fields[f"hours_{day}"] = forms.CharField(
                label=DAY_LABELS[day],
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"placeholder": "09:00-21:00"}),
            )
        self.fields["hours_mon"].help_text = _("e.g. 09:00-21:00, or 10:00-14:00, 17:00-22:00; empty: closed.")

    def hour_fields(self):
        return [self[f"hours_{day}"] for day in DAYS]

    def _periods(self, day: str) -> list[list[str]]:
        text = self.cleaned_data.get(f"hours_{day}", "")
        periods = []
        for chunk in filter(None, (c.strip() for c in re.split(r"[,，;；]", text or ""))):
            match = _PERIOD.match(chunk)
            if not match:
                self.add_error(f"hours_{day}", _("Write opening hours as 09:00-21:00."))
                return []
            periods.append([t.zfill(5) for t in match.groups()])
        return periods

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("hours_") and k != "photos"}
        data["opening_hours"] = {day: p for day in DAYS if (p := self._periods(day))}
        data["categories"] = list(data.get("categories") or [])
        return data

    @staticmethod
    def initial_of(place) -> dict:
        initial = {
            name: getattr(place, name)
            for name in (
                "name",
                "name_zh",
                "address",
                "address_zh",
                "city",
                "city_zh",
                "district",
                "district_zh",
                "latitude",
                "longitude",
                "phone",
                "time_zone",
                "is_active",
            )
        }
        initial["categories"] = list(place.categories.all())
        for day in DAYS:
            initial[f"hours_{day}"] = hours_text((place.opening_hours or {}).get(day, []))
        return initial
