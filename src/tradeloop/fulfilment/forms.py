"""Console forms for fulfilment: they parse what people type; the rules (band order, limits) live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.core.forms import LineQuantitiesForm
from tradeloop.fulfilment.models import ShippingMethod
from tradeloop.fulfilment.services import ShippingMethodInput

BAND_SEPARATOR = ":"


def parse_bands(text: str) -> list[dict]:
    """ "1000: 8.00" per line → [{"up_to": "1000", "rate": "8.00"}]; the service checks the numbers and the order."""
    bands = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        up_to, separator, rate = line.partition(BAND_SEPARATOR)
        if not separator or not up_to.strip() or not rate.strip():
            raise forms.ValidationError(
                gettext("Write each band as “up to: rate”, e.g. 1000: 8.00 (could not read “%(line)s”).")
                % {"line": line}
            )
        bands.append({"up_to": up_to.strip(), "rate": rate.strip()})
    return bands


def format_bands(bands: list[dict]) -> str:
    return "\n".join(f"{band['up_to']}{BAND_SEPARATOR} {band['rate']}" for band in bands or [])


class ShippingMethodForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("What buyers see, e.g. “SF Express”."))
    kind = forms.ChoiceField(label=_("Pricing"), choices=ShippingMethod.Kind.choices)
    rate = forms.DecimalField(
        label=_("Rate"),
        min_value=0,
        max_digits=18,
        decimal_places=2,
        help_text=_("The flat rate; with bands, the rate above the last band."),
    )
    bands = forms.CharField(
        label=_("Bands"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "1000: 8.00\n5000: 15.00"}),
        help_text=_(
            "One per line, “up to: rate”, going up: grams for weight pricing, the order value for value pricing."
        ),
    )
    free_over = forms.DecimalField(
        label=_("Free over"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
        help_text=_("Orders worth at least this ship free. Leave empty for never."),
    )
    delivery_days = forms.IntegerField(label=_("Delivery days"), min_value=0, max_value=365, initial=3)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0, required=False)
    is_active = forms.BooleanField(label=_("Offered at checkout"), required=False, initial=True)

    def clean_bands(self) -> list[dict]:
        return parse_bands(self.cleaned_data["bands"])

    def to_input(self) -> ShippingMethodInput:
        data = self.cleaned_data
        return ShippingMethodInput(
            name=data["name"],
            kind=data["kind"],
            rate=data["rate"],
            bands=data["bands"],
            free_over=data["free_over"],
            delivery_days=data["delivery_days"],
            position=data["position"] or 0,
            is_active=data["is_active"],
        )

    @staticmethod
    def initial_for(method: ShippingMethod) -> dict:
        return {
            "name": method.name,
            "kind": method.kind,
            "rate": method.rate,
            "bands": format_bands(method.bands),
            "free_over": method.free_over,
            "delivery_days": method.delivery_days,
            "position": method.position,
            "is_active": method.is_active,
        }


class ShipForm(LineQuantitiesForm):
    """Carrier and tracking number; the units per line come as `qty-<line id>` fields (see `quantities`)."""

    carrier = forms.CharField(label=_("Carrier"), max_length=60)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=80)
